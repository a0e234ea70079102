"""The compare page: visitors see the ranking, members pick."""

from __future__ import annotations

from sqlalchemy import select

from ideas.submissions.models import PairwiseComparison


def _url(challenge):
    return f"/challenges/{challenge.id}-{challenge.slug}/compare"


def test_visitor_sees_ranking_only(client, db, make):
    challenge = make.challenge()
    make.idea(challenge, title="Steam cycle")
    make.idea(challenge, title="Copper drum")
    db.session.commit()
    response = client.get(_url(challenge))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Ranking from comparisons" in html and "This one" not in html
    response = client.post(_url(challenge), {"winner": "skip"}, form_page="/login")
    assert response.status_code == 303 and "/login" in response.headers["Location"]


def test_member_picks_and_ranking_shows(client, db, make):
    challenge = make.challenge()
    a = make.idea(challenge, title="Steam cycle")
    b = make.idea(challenge, title="Copper drum")
    member = make.user()
    db.session.commit()
    client.login(member)
    html = client.get(_url(challenge)).get_data(as_text=True)
    assert "This one" in html and "Skip" in html
    response = client.post(_url(challenge), {"left_id": a.id, "right_id": b.id, "winner": a.id})
    assert response.status_code == 303
    row = db.session.scalar(select(PairwiseComparison))
    assert (row.user_id, row.winner_id) == (member.id, a.id)
    html = client.get(_url(challenge)).get_data(as_text=True)
    assert "1 pair judged" in html
    assert html.index("Steam cycle") < html.index("Copper drum")


def test_wrong_slug_redirects_and_private_is_404(client, db, make):
    challenge = make.challenge()
    draft = make.challenge(phase="draft")
    db.session.commit()
    assert client.get(f"/challenges/{challenge.id}-wrong/compare").status_code == 301
    assert client.get(_url(draft)).status_code == 404


def test_compare_page_is_linked_from_the_challenge_and_its_list(client, db, make):
    challenge = make.challenge(phase="voting")
    make.idea(challenge), make.idea(challenge)
    db.session.commit()
    link = f"/challenges/{challenge.id}-{challenge.slug}/compare"
    assert link in client.get(f"/challenges/{challenge.id}-{challenge.slug}").get_data(as_text=True)
    assert link in client.get(f"/challenges/{challenge.id}-{challenge.slug}/ideas").get_data(as_text=True)
    closed = make.challenge(phase="closed")
    make.idea(closed), make.idea(closed)
    db.session.commit()
    assert "/compare" not in client.get(f"/challenges/{closed.id}-{closed.slug}").get_data(as_text=True)
