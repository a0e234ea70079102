"""The demo's pictures: drawn by the project when the demo loads, stored as uploads."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from sqlalchemy import select

from ideas.accounts.models import User
from ideas.challenges.models import Challenge
from ideas.demo import pictures
from ideas.submissions.models import Idea, IdeaImage


def test_the_demo_has_covers_idea_images_and_avatars(app, db, client):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    uploads = Path(app.config["UPLOAD_FOLDER"])
    challenges = db.session.scalars(select(Challenge)).all()
    covered = [c for c in challenges if c.cover_image]
    assert 0 < len(covered) < len(challenges)  # some keep a generated cover
    images = db.session.scalars(select(IdeaImage)).all()
    assert len({i.idea_id for i in images}) >= 5
    avatars = db.session.scalars(select(User).where(User.avatar.is_not(None))).all()
    assert len(avatars) >= 10
    for name in [c.cover_image for c in covered] + [i.filename for i in images] + [u.avatar for u in avatars]:
        with Image.open(uploads / name) as picture:
            assert picture.format == "WEBP"
    # the washer challenge's list shows the thumbnails of its ideas with images
    washer = next(c for c in challenges if c.title.startswith("Keep the washing machine"))
    pictured = db.session.scalars(select(Idea).join(IdeaImage, IdeaImage.idea_id == Idea.id)
                                  .where(Idea.challenge_id == washer.id)).first()
    html = client.get(f"/challenges/{washer.id}-{washer.slug}/ideas?sort=new").get_data(as_text=True)
    assert pictured.title in html and "/uploads/thumbs/" in html


def test_portraits_are_the_same_for_the_same_member_and_differ_between_members():
    first = pictures.portrait("emma.clarke").tobytes()
    assert pictures.portrait("emma.clarke").tobytes() == first
    assert pictures.portrait("james.okafor").tobytes() != first
