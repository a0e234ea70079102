"""User content carries dir="auto", so right-to-left text mixed with Latin reads right."""

from __future__ import annotations

RTL = "מכונת כביסה שקטה"


def test_idea_and_challenge_text_carry_dir_auto(client, db, make):
    challenge = make.challenge(title=f"Challenge {RTL}", summary=f"Summary {RTL}")
    idea = make.idea(challenge, title=f"Idea {RTL}", summary=f"About {RTL}")
    db.session.commit()
    page = client.get(f"/ideas/{idea.id}-{idea.slug}").get_data(as_text=True)
    assert f'dir="auto">Idea {RTL}</h1>' in page
    assert f'dir="auto">About {RTL}</p>' in page
    listing = client.get(f"/challenges/{challenge.id}-{challenge.slug}/ideas").get_data(as_text=True)
    assert f'dir="auto">Idea {RTL}</a>' in listing
    show = client.get(f"/challenges/{challenge.id}-{challenge.slug}").get_data(as_text=True)
    assert f'dir="auto">Challenge {RTL}</h1>' in show
