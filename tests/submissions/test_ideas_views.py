import io
import re

import pytest
from flask import g
from PIL import Image
from sqlalchemy import func, select

from ideas.challenges.models import ChallengeInvite
from ideas.submissions import services
from ideas.submissions.models import Idea, IdeaRevision
from ideas.submissions.terms import accept_terms

FORM = {"title": "Steam cleaning cycle", "summary": "Clean the drum with steam after each wash.",
        "description": "A short steam burst kills bacteria left in the drum and the seal.",
        "tags": "laundry, hygiene", "coauthors": "", "submission_key": "key-1"}


def new_url(c):
    return f"/challenges/{c.id}-{c.slug}/ideas/new"


def logout(client):
    return client.post("/logout", form_page="/me/contributions")


def idea_count(db):
    return db.session.scalar(select(func.count(Idea.id)))


@pytest.fixture
def member(db, make, client):
    user = make.user()
    db.session.commit()
    client.login(user)
    return user


def test_terms_first_then_submit_twice_makes_one_idea(db, make, client, member):
    challenge = make.challenge()
    db.session.commit()
    page = client.get(new_url(challenge)).get_data(as_text=True)
    assert "I accept" in page and 'name="title"' not in page
    response = client.post(f"/challenges/{challenge.id}-{challenge.slug}/terms", form_page=new_url(challenge))
    assert response.status_code == 303
    page = client.get(new_url(challenge)).get_data(as_text=True)
    assert 'name="title"' in page and 'name="submission_key"' in page
    first = client.post(new_url(challenge), FORM)
    second = client.post(new_url(challenge), FORM)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert idea_count(db) == 1


def test_submit_refused_without_terms(db, make, client, member):
    challenge = make.challenge()
    db.session.commit()
    response = client.post(new_url(challenge), FORM, form_page=new_url(challenge))
    assert response.status_code == 403
    assert idea_count(db) == 0


@pytest.mark.parametrize("field,value", [("title", ""), ("summary", "x" * 501), ("description", "short")])
def test_invalid_fields_are_named_and_nothing_saved(db, make, client, member, field, value):
    challenge = make.challenge()
    accept_terms(member, challenge)
    db.session.commit()
    response = client.post(new_url(challenge), dict(FORM, **{field: value}))
    assert response.status_code == 422
    assert f'id="{field}-err"' in response.get_data(as_text=True)
    assert idea_count(db) == 0


def test_non_image_upload_is_a_field_error(db, make, client, member):
    challenge = make.challenge()
    accept_terms(member, challenge)
    db.session.commit()
    data = dict(FORM, csrf_token=client.csrf_token(new_url(challenge)),
                **{"images-0-file": (io.BytesIO(b"#!/bin/sh\necho hi"), "evil.png"), "images-0-alt": "A script"})
    response = client.client.post(new_url(challenge), data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert 'id="images-0-file-err"' in response.get_data(as_text=True)
    assert idea_count(db) == 0


def test_unverified_member_gets_no_form(db, make, client):
    user = make.user(verified=False)
    challenge = make.challenge()
    accept_terms(user, challenge)
    db.session.commit()
    client.login(user)
    assert 'name="title"' not in client.get(new_url(challenge)).get_data(as_text=True)
    assert client.post(new_url(challenge), FORM, form_page=new_url(challenge)).status_code == 403
    assert idea_count(db) == 0


def test_closed_challenge_refuses_submission(db, make, client, member):
    challenge = make.challenge(phase="voting")
    accept_terms(member, challenge)
    db.session.commit()
    assert client.post(new_url(challenge), FORM, form_page=new_url(challenge)).status_code == 403
    assert idea_count(db) == 0


def test_script_in_markdown_is_not_rendered(db, make, client):
    idea = make.idea(description="Hello <script>alert('x')</script> **bold**", title="Scripted <b>idea</b>")
    db.session.commit()
    html = client.get(f"/ideas/{idea.id}-{idea.slug}").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "<strong>bold</strong>" in html
    assert "Scripted &lt;b&gt;idea&lt;/b&gt;" in html


def test_wrong_slug_redirects_permanently(db, make, client):
    idea = make.idea()
    db.session.commit()
    response = client.get(f"/ideas/{idea.id}-wrong")
    assert response.status_code == 301 and response.headers["Location"].endswith(f"/ideas/{idea.id}-{idea.slug}")
    c = idea.challenge
    response = client.get(f"/challenges/{c.id}-wrong/ideas?sort=new")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/challenges/{c.id}-{c.slug}/ideas?sort=new")


def test_merged_idea_redirects_to_target(db, make, client):
    target = make.idea()
    source = make.idea(target.challenge, status="merged", merged_into_id=target.id)
    db.session.commit()
    response = client.get(f"/ideas/{source.id}-{source.slug}")
    assert response.status_code == 301 and response.headers["Location"].endswith(f"/ideas/{target.id}-{target.slug}")


def test_invite_only_ideas_are_404_for_others(db, make, client):
    invited = make.user()
    challenge = make.challenge(visibility="invite")
    db.session.add(ChallengeInvite(challenge_id=challenge.id, user_id=invited.id))
    idea = make.idea(challenge)
    outsider = make.user()
    db.session.commit()
    urls = [f"/ideas/{idea.id}-{idea.slug}", f"/challenges/{challenge.id}-{challenge.slug}/ideas",
            f"/ideas/{idea.id}/revisions"]
    for url in urls:
        assert client.get(url).status_code == 404
    client.login(outsider)
    for url in urls:
        assert client.get(url).status_code == 404
    logout(client)
    client.login(invited)
    for url in urls:
        assert client.get(url).status_code == 200


def test_editing_someone_elses_idea_is_403(db, make, client, member):
    idea = make.idea()
    db.session.commit()
    assert client.get(f"/ideas/{idea.id}/edit").status_code == 403
    response = client.post(f"/ideas/{idea.id}/edit", dict(FORM), form_page=f"/ideas/{idea.id}-{idea.slug}")
    assert response.status_code == 403
    assert db.session.get(Idea, idea.id).title != FORM["title"]


def test_edit_keeps_revisions_and_shows_diff(db, make, client, member):
    idea = make.idea(author=member, title="Steam cleaning cycle", summary=FORM["summary"],
                     description=FORM["description"], tags=["laundry", "hygiene"])
    db.session.commit()
    edit_url = f"/ideas/{idea.id}/edit"
    response = client.post(edit_url, dict(FORM, description=FORM["description"] + " Also for dryers."))
    assert response.status_code == 303
    assert db.session.scalar(select(func.count(IdeaRevision.id)).where(IdeaRevision.idea_id == idea.id)) == 2
    html = client.get(f"/ideas/{idea.id}/revisions?rev=2").get_data(as_text=True)
    assert "<ins" in html and "Also for dryers." in html
    page = client.get(f"/ideas/{idea.id}-{idea.slug}").get_data(as_text=True)
    assert "2 revisions" in page


def test_withdraw_by_author(db, make, client, member):
    idea = make.idea(author=member)
    db.session.commit()
    url = f"/ideas/{idea.id}-{idea.slug}"
    response = client.post(f"/ideas/{idea.id}/withdraw", {"reason": "Duplicate"}, form_page=url)
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).status == "withdrawn"
    assert client.get(url).status_code == 200  # the author still sees it
    logout(client)
    assert client.get(url).status_code == 404


def test_list_shows_rows_and_last_page(db, make, client):
    challenge = make.challenge()
    author = make.user(name="Ada Inventor")
    for n in range(45):
        make.idea(challenge, author, title=f"Idea number {n}")
    hidden = make.idea(challenge, author, title="Secret hidden idea")
    hidden.hidden_at = hidden.created_at
    db.session.commit()
    html = client.get(f"/challenges/{challenge.id}-{challenge.slug}/ideas?sort=new").get_data(as_text=True)
    assert "Idea number 44" in html and "Ada Inventor" in html and "Secret hidden idea" not in html
    assert "page=3" in html and "Last" in html
    html = client.get(f"/challenges/{challenge.id}-{challenge.slug}/ideas?sort=new&page=3").get_data(as_text=True)
    assert "Idea number 0<" in html and "Previous" in html


def _fill(make, challenge, n):
    authors = [make.user() for _ in range(3)]
    for i in range(n):
        idea = make.idea(challenge, authors[i % 3], up_votes=i % 4, score=i / 100, comment_count=i % 5)
        idea.trend = (i * 7) % 11


@pytest.mark.parametrize("sort", ["top", "new", "trending", "discussed", "fresh"])
@pytest.mark.parametrize("logged_in", [False, True])
def test_list_query_count_does_not_grow(db, make, client, sort, logged_in):
    small, large = make.challenge(), make.challenge()
    _fill(make, small, 5)
    _fill(make, large, 60)
    viewer = make.user()
    db.session.commit()
    if logged_in:
        client.login(viewer)
    counts = []
    urls = [f"/challenges/{c.id}-{c.slug}/ideas?sort={sort}&page={page}"
            for c, page in ((small, 1), (large, 1), (large, 3))]
    for url in urls:
        client.get(url)  # warm the cookie session
        # Requests share the test's app context (session, g): start each one cold.
        db.session.expunge_all()
        g.pop("sql_queries", None)
        g.pop("_login_user", None)
        response = client.get(url)
        assert response.status_code == 200
        counts.append(int(response.headers["X-SQL-Queries"]))
    assert counts[0] == counts[1] == counts[2], counts


def test_fresh_order_is_stable_and_favours_few_votes(db, make, client):
    challenge = make.challenge()
    author = make.user()
    popular = make.idea(challenge, author, title="Popular one", up_votes=30)
    for n in range(5):
        make.idea(challenge, author, title=f"Quiet {n}")
    db.session.commit()
    url = f"/challenges/{challenge.id}-{challenge.slug}/ideas?sort=fresh"
    first = client.get(url).get_data(as_text=True)
    assert first == client.get(url).get_data(as_text=True) or first.index("Quiet") < first.index(popular.title)
    assert first.index("Quiet") < first.index("Popular one")


def test_my_contributions(db, make, client, member):
    mine = make.idea(author=member, title="My own idea", status="declined", status_reason="Too costly to build")
    make.idea(title="Not mine at all")
    db.session.commit()
    html = client.get("/me/contributions").get_data(as_text=True)
    assert "My own idea" in html and "Too costly to build" in html and "Not mine at all" not in html
    for tab in ("votes", "comments"):
        assert client.get(f"/me/contributions?tab={tab}").status_code == 200
    logout(client)
    assert client.get("/me/contributions").status_code in (302, 303)
    assert mine.id


def test_service_submission_appears_in_list(db, make, client):
    author, challenge = make.user(), make.challenge()
    accept_terms(author, challenge)
    services.submit_idea(author, challenge, title="Listed idea", summary="A summary that is long enough.",
                         description="A description that is long enough to pass.")
    db.session.commit()
    assert "Listed idea" in client.get(f"/challenges/{challenge.id}-{challenge.slug}/ideas").get_data(as_text=True)


def test_image_over_the_size_limit_keeps_what_was_typed(db, make, client, member, app):
    """Over the per-image limit: the form comes back with the field named and the text
    kept; the page tells the browser the limit so it can refuse the file before sending."""
    app.config["UPLOAD_MAX_BYTES"] = 2000
    challenge = make.challenge()
    accept_terms(member, challenge)
    db.session.commit()
    buffer = io.BytesIO()
    Image.effect_noise((200, 200), 90).convert("RGB").save(buffer, "PNG")
    buffer.seek(0)
    data = dict(FORM, csrf_token=client.csrf_token(new_url(challenge)),
                **{"images-0-file": (buffer, "big.png"), "images-0-alt": "Noise"})
    response = client.client.post(new_url(challenge), data=data, content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="images-0-file-err"' in body
    assert FORM["title"] in body and FORM["summary"] in body
    assert 'data-upload-max="2000"' in body
    assert idea_count(db) == 0


def test_request_over_the_whole_limit_explains_the_limits(db, make, client, member, app):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    challenge = make.challenge()
    accept_terms(member, challenge)
    db.session.commit()
    data = dict(FORM, csrf_token=client.csrf_token(new_url(challenge)),
                **{"images-0-file": (io.BytesIO(b"x" * 20_000), "a.png"), "images-0-alt": "Big"})
    response = client.client.post(new_url(challenge), data=data, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "each image at most" in response.get_data(as_text=True)


def _png(color="red"):
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), color).save(buffer, "PNG")
    buffer.seek(0)
    return buffer


def test_an_image_without_alt_text_is_refused_on_its_field(db, make, client, member, app):
    from ideas.core.uploads import upload_dir

    challenge = make.challenge()
    accept_terms(member, challenge)
    db.session.commit()
    before = sorted(upload_dir().iterdir())
    data = dict(FORM, csrf_token=client.csrf_token(new_url(challenge)),
                **{"images-0-file": (_png(), "seal.png"), "images-0-alt": "The seal, dried",
                   "images-1-file": (_png("blue"), "fan.png"), "images-1-alt": "   "})
    response = client.client.post(new_url(challenge), data=data, content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Please correct the fields marked below." in body
    assert 'id="images-1-alt-err"' in body and "Describe image 2 for people who cannot see it" in body
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="images-1-alt"|<input[^>]*id="images-1-alt"[^>]*aria-invalid="true"', body)
    assert '<details class="image-slots-more" open>' in body  # the slot with the error is not hidden
    assert FORM["title"] in body and 'value="The seal, dried"' in body  # what was typed is kept
    assert idea_count(db) == 0 and sorted(upload_dir().iterdir()) == before


def test_every_image_slot_has_a_labelled_file_and_description(db, make, client, member):
    challenge = make.challenge()
    accept_terms(member, challenge)
    db.session.commit()
    page = client.get(new_url(challenge)).get_data(as_text=True)
    for n in range(5):
        assert f'<label class="form-label small mb-1" for="images-{n}-file">Image {n + 1}: file</label>' in page
        assert f'<label class="form-label small mb-1" for="images-{n}-alt">Image {n + 1}: what it shows (alt text)</label>' in page
    assert '<details class="image-slots-more">' in page  # slots 2 to 5 folded away until wanted


def test_the_alt_text_is_the_image_description_on_the_idea_page(db, make, client, member):
    challenge = make.challenge()
    accept_terms(member, challenge)
    db.session.commit()
    data = dict(FORM, csrf_token=client.csrf_token(new_url(challenge)),
                **{"images-0-file": (_png(), "seal.png"), "images-0-alt": "The door seal <dry> after the fan ran"})
    response = client.client.post(new_url(challenge), data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'alt="The door seal &lt;dry&gt; after the fan ran"' in page
