import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from ideas.core.errors import Invalid, NotAllowed
from ideas.submissions import services
from ideas.submissions.models import Idea, IdeaDecision, IdeaImage, IdeaRevision
from ideas.submissions.terms import accept_terms, has_accepted
from tests.factories import with_alt

TEXT = {"title": "Steam cleaning cycle", "summary": "Clean the drum with steam after each wash.",
        "description": "A short steam burst kills bacteria left in the drum and the seal."}


def png_stream():
    buf = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(buf, "PNG")
    buf.seek(0)
    return buf


@pytest.fixture
def setup(make):
    author = make.user()
    challenge = make.challenge()
    accept_terms(author, challenge)
    return author, challenge


def count(db, model=Idea):
    return db.session.scalar(select(func.count()).select_from(model))


def test_submit_creates_idea_revision_and_counts(db, setup):
    author, challenge = setup
    idea = services.submit_idea(author, challenge, tags="laundry, Hygiene, laundry", images=with_alt(png_stream()),
                                submission_key="k1", **TEXT)
    assert idea.slug == "steam-cleaning-cycle"
    assert idea.tags == ["laundry", "Hygiene"]
    assert len(idea.images) == 1
    assert challenge.idea_count == 1 and challenge.last_activity_at is not None
    assert db.session.scalar(select(IdeaRevision.number).where(IdeaRevision.idea_id == idea.id)) == 1


@pytest.mark.parametrize("phase", ["draft", "voting", "review", "closed"])
def test_submission_only_in_submission_phase(db, make, phase):
    author = make.user()
    challenge = make.challenge(phase=phase)
    accept_terms(author, challenge)
    with pytest.raises(NotAllowed):  # a member may see the challenge, not submit (403)
        services.submit_idea(author, challenge, **TEXT)
    assert count(db) == 0


def test_unverified_member_is_refused(db, make):
    author = make.user(verified=False)
    challenge = make.challenge()
    accept_terms(author, challenge)
    with pytest.raises(NotAllowed):
        services.submit_idea(author, challenge, **TEXT)


def test_terms_must_be_accepted_in_current_version(db, make):
    author, challenge = make.user(), make.challenge()
    with pytest.raises(NotAllowed) as err:
        services.submit_idea(author, challenge, **TEXT)
    assert err.value.field == "terms"
    accept_terms(author, challenge)
    accept_terms(author, challenge)  # idempotent
    assert has_accepted(author, challenge)
    challenge.terms_version = 2
    assert not has_accepted(author, challenge)


def test_same_submission_key_makes_one_idea(db, setup):
    author, challenge = setup
    first = services.submit_idea(author, challenge, submission_key="same", **TEXT)
    second = services.submit_idea(author, challenge, submission_key="same", **TEXT)
    assert first.id == second.id
    assert count(db) == 1 and challenge.idea_count == 1


@pytest.mark.parametrize("field,value", [
    ("title", "abc"), ("title", "x" * 161), ("summary", ""), ("description", "too short"),
    ("description", "x" * 20001),
])
def test_lengths_are_checked(db, setup, field, value):
    author, challenge = setup
    with pytest.raises(Invalid) as err:
        services.submit_idea(author, challenge, **dict(TEXT, **{field: value}))
    assert err.value.field == field
    assert count(db) == 0


def test_tags_images_and_coauthors_are_checked(db, setup, make):
    author, challenge = setup
    with pytest.raises(Invalid) as err:
        services.submit_idea(author, challenge, tags=[f"t{i}" for i in range(11)], **TEXT)
    assert err.value.field == "tags"
    with pytest.raises(Invalid) as err:
        services.submit_idea(author, challenge, tags=["x" * 31], **TEXT)
    assert err.value.field == "tags"
    with pytest.raises(Invalid) as err:
        services.submit_idea(author, challenge, images=with_alt(png_stream(), io.BytesIO(b"<script>")), **TEXT)
    assert err.value.field == "images"
    with pytest.raises(Invalid) as err:
        services.submit_idea(author, challenge, images=with_alt(*(png_stream() for _ in range(6))), **TEXT)
    assert err.value.field == "images"
    with pytest.raises(Invalid) as err:
        services.submit_idea(author, challenge, coauthor_usernames="nobody-here", **TEXT)
    assert err.value.field == "coauthors"
    with pytest.raises(Invalid):
        services.submit_idea(author, challenge, coauthor_usernames=author.username, **TEXT)
    assert count(db) == 0
    friend = make.user()
    idea = services.submit_idea(author, challenge, coauthor_usernames=f"@{friend.username}", **TEXT)
    assert [c.user_id for c in idea.coauthors] == [friend.id]
    assert services.is_author(friend, idea)


def test_edit_keeps_revisions_and_diff(db, setup, make):
    author, challenge = setup
    idea = services.submit_idea(author, challenge, **TEXT)
    assert services.edit_idea(author, idea, **TEXT) is None  # no-op
    rev = services.edit_idea(author, idea, title=TEXT["title"], summary=TEXT["summary"],
                             description=TEXT["description"] + " Works on old machines too.")
    assert rev.number == 2 and idea.revision_count == 2
    assert count(db, IdeaRevision) == 2
    diff = services.revision_diff(idea, 1, 2)
    assert ("insert", "Works on old machines too.") in [(op, t.strip()) for op, t in diff["description"]]
    assert all(op == "equal" for op, _ in diff["title"])


def test_only_authors_edit_and_only_while_submitting(db, setup, make):
    author, challenge = setup
    idea = services.submit_idea(author, challenge, **TEXT)
    with pytest.raises(NotAllowed):
        services.edit_idea(make.user(), idea, **dict(TEXT, title="Someone else's title"))
    challenge.phase = "voting"
    with pytest.raises(NotAllowed):
        services.edit_idea(author, idea, **dict(TEXT, title="A later title"))


def test_withdraw_records_decision_and_count(db, setup, make):
    author, challenge = setup
    idea = services.submit_idea(author, challenge, **TEXT)
    with pytest.raises(NotAllowed):
        services.withdraw_idea(make.user(), idea, "not mine")
    services.withdraw_idea(author, idea, "Found a better way")
    assert idea.status == "withdrawn" and challenge.idea_count == 0
    decision = db.session.scalar(select(IdeaDecision))
    assert (decision.from_status, decision.to_status, decision.reason) == ("submitted", "withdrawn", "Found a better way")
    with pytest.raises(NotAllowed):
        services.withdraw_idea(author, idea)


def test_concurrent_same_key_falls_back_to_existing_idea(db, setup, monkeypatch):
    """The check before the insert can miss a concurrent submit; the UNIQUE key catches it."""
    author, challenge = setup
    first = services.submit_idea(author, challenge, submission_key="race", **TEXT)
    real = services._existing_by_key
    calls = []

    def miss_first_time(key):
        calls.append(key)
        return None if len(calls) == 1 else real(key)

    monkeypatch.setattr(services, "_existing_by_key", miss_first_time)
    again = services.submit_idea(author, challenge, submission_key="race", **TEXT)
    assert again.id == first.id and len(calls) == 2
    assert count(db) == 1 and challenge.idea_count == 1
    db.session.commit()  # the outer transaction survived the failed savepoint


def test_an_image_without_alt_text_saves_nothing(db, setup, app):
    from ideas.core.uploads import ImageUpload, upload_dir

    author, challenge = setup
    before = sorted(upload_dir().iterdir())
    with pytest.raises(Invalid) as err:
        services.submit_idea(author, challenge, images=[ImageUpload(png_stream(), "The door seal", 1),
                                                        ImageUpload(png_stream(), " ", 2, alt_field="images-1-alt")],
                             **TEXT)
    assert err.value.field == "images-1-alt" and "alt text" in err.value.message
    assert count(db) == 0 and count(db, IdeaImage) == 0
    assert sorted(upload_dir().iterdir()) == before


def test_the_alt_text_is_stored_with_the_image(db, setup):
    author, challenge = setup
    idea = services.submit_idea(author, challenge, images=with_alt(png_stream(), alt="Steam in the drum"), **TEXT)
    assert [image.alt for image in idea.images] == ["Steam in the drum 1"]
    assert services.idea_page_facts(idea)["images"][0].alt == "Steam in the drum 1"
