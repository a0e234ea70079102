"""A URL without its slug (a shared short link) redirects to the canonical one."""


def test_idea_and_challenge_short_urls_redirect(client, db, make):
    idea = make.idea()
    challenge = idea.challenge
    db.session.commit()
    response = client.get(f"/ideas/{idea.id}")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/ideas/{idea.id}-{idea.slug}")
    response = client.get(f"/challenges/{challenge.id}")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/challenges/{challenge.id}-{challenge.slug}")


def test_short_url_of_a_private_challenge_is_404(client, db, make):
    challenge = make.challenge(phase="draft")
    db.session.commit()
    assert client.get(f"/challenges/{challenge.id}").status_code == 404
