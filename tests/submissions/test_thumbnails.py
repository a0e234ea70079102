"""Thumbnails in the idea list: only for ideas with images, always the first image, part
of the memoized row's values, never shown to those who may not see the idea, and
without another query."""

from __future__ import annotations

import io

from PIL import Image

from ideas.core.db import utcnow
from ideas.core.uploads import store_image
from ideas.submissions.models import IdeaImage


def _picture(color="red", size=(640, 400)) -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", size, color).save(data, "PNG")
    data.seek(0)
    return data


def _attach(db, idea, *colors):
    names = []
    for position, color in enumerate(colors, start=1):
        stored = store_image(_picture(color), field="images")
        db.session.add(IdeaImage(idea_id=idea.id, position=position, filename=stored.filename,
                                 width=stored.width, height=stored.height))
        names.append(stored.filename)
    db.session.commit()
    return names


def _list(client, challenge):
    response = client.get(f"/challenges/{challenge.id}-{challenge.slug}/ideas?sort=new")
    assert response.status_code == 200
    return response.get_data(as_text=True), int(response.headers["X-SQL-Queries"])


def test_only_ideas_with_images_get_a_thumbnail_and_it_is_the_first_image(client, db, make):
    challenge = make.challenge(phase="voting")
    pictured = make.idea(challenge, title="With pictures")
    make.idea(challenge, title="Words only")
    db.session.commit()
    first, second = _attach(db, pictured, "red", "blue")
    html, _ = _list(client, challenge)
    assert html.count('class="idea-thumb"') == 1
    assert f"/uploads/thumbs/{first}" in html and second not in html
    row = html.split("Words only", 1)[1].split("</article>", 1)[0]
    assert "idea-thumb" not in row


def test_the_thumbnail_is_part_of_the_memoized_row(client, db, make):
    challenge = make.challenge(phase="voting")
    idea = make.idea(challenge, title="Soon with a picture")
    db.session.commit()
    before, _ = _list(client, challenge)  # the row is memoized without a thumbnail
    assert "idea-thumb" not in before
    (name,) = _attach(db, idea, "green")
    after, _ = _list(client, challenge)
    assert f"/uploads/thumbs/{name}" in after


def test_a_hidden_or_withdrawn_ideas_image_is_never_listed_for_others(client, db, make):
    challenge = make.challenge(phase="voting")
    author, other = make.user(), make.user()
    hidden = make.idea(challenge, author, title="Hidden one", hidden_at=utcnow())
    withdrawn = make.idea(challenge, author, title="Taken back", status="withdrawn")
    make.idea(challenge, title="Public one")
    db.session.commit()
    (hidden_image,) = _attach(db, hidden, "black")
    (withdrawn_image,) = _attach(db, withdrawn, "white")
    client.login(author)  # the author sees their own ideas, images included
    mine, _ = _list(client, challenge)
    assert hidden_image in mine
    client.logout()
    for who in (None, other):
        if who is not None:
            client.login(who)
        html, _ = _list(client, challenge)
        assert "Public one" in html
        assert hidden_image not in html and withdrawn_image not in html
        if who is not None:
            client.logout()


def test_the_list_reads_thumbnails_in_the_same_query(client, db, make):
    challenge = make.challenge(phase="voting")
    ideas = [make.idea(challenge, title=f"Idea {n}") for n in range(6)]
    db.session.commit()
    _list(client, challenge)  # warm: the process-wide caches (expert badges) fill on the first page
    _, without = _list(client, challenge)
    for idea in ideas[:4]:
        _attach(db, idea, "orange", "purple")
    html, with_images = _list(client, challenge)
    assert html.count('class="idea-thumb"') == 4
    assert with_images == without


def test_the_thumbnail_route_makes_a_small_copy_once(client, db, app):
    with app.test_request_context():
        name = store_image(_picture("teal", (1600, 900)), field="images").filename
    response = client.get(f"/uploads/thumbs/{name}")
    assert response.status_code == 200 and response.mimetype == "image/webp"
    with Image.open(io.BytesIO(response.data)) as thumb:
        assert thumb.size == (192, 144)
    again = client.get(f"/uploads/thumbs/{name}")
    assert again.status_code == 200 and again.data == response.data
    for bad in ("nothere.webp", "x" * 24 + ".webp", "..%2Fsecret_key", ".hidden.webp"):
        assert client.get(f"/uploads/thumbs/{bad}").status_code == 404
