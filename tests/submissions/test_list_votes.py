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
