import re


def _buttons(html: str, idea_id: int) -> list[str]:
    widget = html.split(f'id="vote-{idea_id}"', 1)[1].split("</div>", 1)[0]
    buttons = re.findall(r"<button[^>]*>", widget)
    assert buttons, f"no vote buttons for idea {idea_id}"
    return buttons


def test_list_row_offers_votes_except_on_own_idea(client, db, make):
    challenge = make.challenge(phase="submission")
    me = make.user()
    mine = make.idea(challenge, me)
    theirs = make.idea(challenge)
    db.session.commit()
    client.login(me)
    html = client.get(f"/challenges/{challenge.id}-{challenge.slug}/ideas?sort=new").get_data(as_text=True)
    assert all("disabled" in b for b in _buttons(html, mine.id))
    assert not any("disabled" in b for b in _buttons(html, theirs.id))


def test_visitors_see_vote_buttons_that_lead_to_login(client, db, make):
    challenge = make.challenge(phase="voting")
    idea = make.idea(challenge, title="Steam cycle", up_votes=4, down_votes=1)
    db.session.commit()
    url = f"/challenges/{challenge.id}-{challenge.slug}/ideas?sort=top"
    html = client.get(url).get_data(as_text=True)
    widget = html.split(f'id="vote-{idea.id}"', 1)[1].split("</div>", 1)[0]
    assert "<form" not in widget and "<button" not in widget
    links = re.findall(r'href="([^"]+)"', widget)
    assert len(links) == 2 and all(link.startswith("/login?next=") for link in links)
    assert links[0].endswith(f"/challenges/{challenge.id}-{challenge.slug}/ideas?sort%3Dtop")
    assert 'aria-label="Up-votes" title="Up-votes"></i> 4' in html
    assert 'aria-label="Down-votes" title="Down-votes"></i> 1' in html


def test_htmx_vote_from_a_list_row_returns_the_new_counts(client, db, make):
    challenge = make.challenge(phase="voting")
    idea = make.idea(challenge, up_votes=0, down_votes=0)
    voter = make.user()
    db.session.commit()
    client.login(voter)
    url = f"/challenges/{challenge.id}-{challenge.slug}/ideas?sort=new"
    response = client.post(f"/ideas/{idea.id}/vote", {"value": "1", "compact": "1"}, form_page=url,
                           headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and f'id="vote-{idea.id}"' in html
    assert 'aria-label="Up-votes" title="Up-votes"></i> 1' in html
    assert 'aria-label="Down-votes" title="Down-votes"></i> 0' in html
    assert 'aria-pressed="true"' in _buttons(html, idea.id)[0]
