"""Changes made without a page load are announced (HX-Trigger "announce", read out by the
page's live region) and name where keyboard focus goes; plain form posts still redirect."""

from __future__ import annotations

import json

import pytest

from ideas.core.live import announce


def events(response) -> dict:
    return json.loads(response.headers.get("HX-Trigger") or "{}")


@pytest.fixture
def setup(db, make, client):
    member = make.user()
    challenge = make.challenge()
    idea = make.idea(challenge, make.user())
    db.session.commit()
    client.login(member)
    return member, idea


def test_the_header_is_ascii_json_and_takes_only_an_id_selector():
    headers = announce("Ваш голос учтён", focus="#comment-3")
    assert headers["HX-Trigger"].isascii()
    assert json.loads(headers["HX-Trigger"]) == {"announce": "Ваш голос учтён", "moveFocus": "#comment-3"}
    with pytest.raises(ValueError):
        announce("x", focus="body *")


def test_a_vote_by_htmx_is_announced_with_the_counts(client, setup):
    _, idea = setup
    page = f"/ideas/{idea.id}-{idea.slug}"
    response = client.post(f"/ideas/{idea.id}/vote", {"value": "1"}, form_page=page,
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert events(response)["announce"] == "You voted for this idea. 1 up-vote, 0 down-votes."
    html = response.get_data(as_text=True)
    assert f'id="vote-{idea.id}-up"' in html and "aria-live" not in html  # focus kept; no region of its own
    response = client.post(f"/ideas/{idea.id}/vote", {"value": "0"}, form_page=page,
                           headers={"HX-Request": "true"})
    assert events(response)["announce"] == "Your vote is taken back. 0 up-votes, 0 down-votes."
    plain = client.post(f"/ideas/{idea.id}/vote", {"value": "1"}, form_page=page)
    assert plain.status_code == 303 and "HX-Trigger" not in plain.headers


def test_a_comment_by_htmx_is_announced_and_focus_goes_to_it(client, setup):
    _, idea = setup
    page = f"/ideas/{idea.id}-{idea.slug}"
    response = client.post(f"/ideas/{idea.id}/comments", {"body": "Could it dry the drawer too?"},
                           form_page=page, headers={"HX-Request": "true"})
    assert response.status_code == 200
    trigger = events(response)
    assert trigger["announce"] == "Your comment is posted."
    assert trigger["moveFocus"].startswith("#comment-")
    assert f'id="{trigger["moveFocus"][1:]}"' in response.get_data(as_text=True)


def test_similar_ideas_found_while_writing_are_announced(client, setup, monkeypatch):
    from ideas.search import similar

    _, idea = setup
    monkeypatch.setattr(similar, "similar_ideas", lambda *a, **kw: [idea])
    response = client.get(f"/search/similar?challenge_id={idea.challenge_id}&title=Steam+for+the+drum")
    assert events(response)["announce"] == "1 similar idea is already in this challenge."
    monkeypatch.setattr(similar, "similar_ideas", lambda *a, **kw: [])
    response = client.get(f"/search/similar?challenge_id={idea.challenge_id}&title=Steam+for+the+drum")
    assert events(response)["announce"] == "No similar ideas yet. Yours looks new."
    quiet = client.get(f"/search/similar?challenge_id={idea.challenge_id}&title=abc")
    assert "HX-Trigger" not in quiet.headers  # too short to look anything up: nothing to say
