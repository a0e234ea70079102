"""The search page, the search box in every page's navigation, and the similar-ideas
fragments, through HTTP with CSRF on, on both backends."""

from __future__ import annotations

import pytest

from ideas.submissions import moderation
from ideas.submissions.terms import accept_terms
from tests.search.helpers import commit_and_sync

TWINS = [
    ("Quiet night mode for washing machines", "Spin slowly at night so the neighbours can sleep."),
    ("Тихий ночной режим для стиральных машин", "Медленный отжим ночью, чтобы соседи могли спать."),
    ("Solar panels for balconies", "Small panels that clip onto a balcony railing."),
    ("Bike racks in the courtyard", "Covered racks for residents' bicycles."),
    ("Recipe sharing for neighbours", "Swap recipes and leftover food in the building."),
]


@pytest.fixture
def member(db, make, client):
    user = make.user()
    db.session.commit()
    client.login(user)
    return user


@pytest.fixture
def laundry(make, db):
    staff = make.user()
    company = make.company(owner=staff)
    challenge = make.challenge(company, title="Better living at home")
    ideas = [make.idea(challenge, make.user(), title=t, summary=s, description="x") for t, s in TWINS]
    commit_and_sync()
    return {"challenge": challenge, "ideas": ideas, "staff": staff}


def test_every_page_has_the_search_box(client, make, db):
    make.challenge()
    db.session.commit()
    for url in ("/", "/challenges/", "/login", "/search?q=kettle"):
        html = client.get(url).get_data(as_text=True)
        assert 'role="search"' in html and 'action="/search"' in html and 'name="q"' in html, url


def test_search_page_shows_ranked_highlighted_results_with_facets(client, laundry):
    html = client.get("/search?q=washing+machine").get_data(as_text=True)
    assert "<mark>washing</mark>" in html.lower() or "<mark>Washing</mark>" in html
    assert "Quiet night mode for <mark>washing</mark> <mark>machines</mark>" in html
    assert "Better living at home" in html  # the challenge facet, with its count
    assert "Ideas" in html and "Relevance" in html
    empty = client.get("/search?q=wasching").get_data(as_text=True)
    assert "Did you mean" in empty and "washing" in empty


def test_bad_queries_get_a_message_not_an_error(client, laundry):
    for q in ("*", "the", "-washing", "x" * 5000, '"unclosed'):
        response = client.get("/search", query_string={"q": q})
        assert response.status_code == 200, q
    assert "Type a word" not in client.get("/search").get_data(as_text=True)
    response = client.get("/search", query_string={"q": "washing", "page": "99999999999"})
    assert response.status_code in (200, 422)


def test_a_new_idea_is_found_right_after_it_is_posted(client, member, make, db):
    challenge = make.challenge()
    accept_terms(member, challenge)
    db.session.commit()
    form = {"title": "Magnetic lint trap", "summary": "A lint trap held in place by two magnets.",
            "description": "It comes off in one move and is easy to rinse under the tap.", "tags": "",
            "coauthors": "", "submission_key": "k-1"}
    response = client.post(f"/challenges/{challenge.id}-{challenge.slug}/ideas/new", form)
    assert response.status_code == 303, response.get_data(as_text=True)[-3000:]
    # the queue was applied after that response
    assert "Magnetic <mark>lint</mark> <mark>trap</mark>" in client.get("/search?q=lint+trap").get_data(as_text=True)


def test_similar_ideas_while_writing_include_the_twin_in_another_language(client, member, laundry):
    challenge = laundry["challenge"]
    page = client.get(f"/challenges/{challenge.id}-{challenge.slug}/ideas/new").get_data(as_text=True)
    assert 'id="similar-panel"' not in page  # terms not accepted yet: no form, no panel
    accept_terms(member, challenge)
    from ideas.extensions import db

    db.session.commit()
    page = client.get(f"/challenges/{challenge.id}-{challenge.slug}/ideas/new").get_data(as_text=True)
    assert 'id="similar-panel"' in page and "delay:600ms" in page
    html = client.get("/search/similar", query_string={
        "challenge_id": challenge.id, "title": "Тихий режим стирки ночью",
        "summary": "Стиральная машина не шумит ночью"}).get_data(as_text=True)
    assert TWINS[1][0] in html
    assert TWINS[0][0] in html  # the English twin, found by meaning
    english = client.get("/search/similar", query_string={
        "challenge_id": challenge.id, "title": "Silent washing at night",
        "summary": "The washing machine should be quiet at night"}).get_data(as_text=True)
    assert TWINS[1][0] in english  # and the Russian twin of an English text


def test_similar_while_writing_respects_privacy(client, member, make, db, laundry):
    moderation.hide_idea(laundry["staff"], laundry["ideas"][0], "duplicate")
    commit_and_sync()
    html = client.get("/search/similar", query_string={
        "challenge_id": laundry["challenge"].id, "title": "Quiet night mode for washing machines",
        "summary": "spin slowly at night"}).get_data(as_text=True)
    assert TWINS[0][0] not in html
    closed = make.challenge(visibility="invite")
    db.session.commit()
    assert client.get("/search/similar", query_string={"challenge_id": closed.id, "title": "x" * 20}).status_code == 404


def test_idea_page_loads_similar_ideas(client, laundry):
    idea = laundry["ideas"][0]
    page = client.get(f"/ideas/{idea.id}-{idea.slug}").get_data(as_text=True)
    assert f"/ideas/{idea.id}/similar" in page
    html = client.get(f"/ideas/{idea.id}/similar").get_data(as_text=True)
    assert "Similar ideas" in html and TWINS[1][0] in html and f"/ideas/{idea.id}-" not in html


def test_moderation_page_lists_likely_duplicates_for_staff_only(client, make, db, laundry):
    challenge = laundry["challenge"]
    copy = make.idea(challenge, make.user(), title="Quiet night mode for washing machines!",
                     summary="Spin slowly at night so the neighbours can sleep.", description="y")
    commit_and_sync()
    url = f"/challenges/{challenge.id}/duplicates"
    assert client.get(url).status_code == 403  # a visitor
    member = make.user()
    db.session.commit()
    client.login(member)
    assert client.get(url).status_code == 403
    client.logout()
    client.login(laundry["staff"])
    page = client.get(f"/challenges/{challenge.id}-{challenge.slug}/moderation").get_data(as_text=True)
    assert url in page
    html = client.get(url).get_data(as_text=True)
    assert f"Merge #{copy.id} into #{laundry['ideas'][0].id}" in html
    # the button posts to the existing merge
    response = client.post(f"/ideas/{copy.id}/merge", {"target_id": laundry["ideas"][0].id, "reason": "same",
                                                       "next": "moderation"},
                           form_page=f"/challenges/{challenge.id}-{challenge.slug}/moderation")
    assert response.status_code == 303
    db.session.expire_all()
    assert copy.status == "merged"


def test_the_search_page_sql_does_not_grow_with_the_data(client, make, db):
    """A bounded number of statements: grants, the queue's mask, one per kind of hit
    shown (plus two for comments' pages), the facets' labels."""
    challenge = make.challenge()
    author = make.user()

    def add(n):
        for i in range(n):
            idea = make.idea(challenge, author, title=f"Kettle {i}", summary="A kettle that whistles", description="x")
            from ideas.submissions.comments import post_comment

            post_comment(author, idea, "this kettle is loud")
        commit_and_sync()

    add(3)
    small = int(client.get("/search?q=kettle").headers["X-SQL-Queries"])
    add(40)
    large = int(client.get("/search?q=kettle").headers["X-SQL-Queries"])
    assert large <= small <= 12, (small, large)
