"""Challenge pages through HTTP, CSRF on."""

from sqlalchemy import func, select

from ideas.challenges.models import Challenge, PhaseTransition


def form_data(**kw):
    base = {
        "title": "Quieter washing machines",
        "summary": "How might we halve the noise of a spin cycle?",
        "problem": "Spin cycles wake the neighbours.",
        "criteria": "Below 40 dB\nCosts under 20 EUR",
        "category": "home",
        "tags": "noise, comfort",
        "reward_text": "A trip to our lab",
        "reward_amount": "500",
        "reward_currency": "EUR",
        "terms": "Ideas are shared under CC BY 4.0.",
        "visibility": "public",
        "vote_budget": "",
        "submission_starts": "2030-01-01",
        "submission_ends": "2030-01-31",
        "voting_starts": "2030-02-01",
        "voting_ends": "2030-02-14",
    }
    base.update(kw)
    return base


def test_staff_creates_publishes_and_advances(client, db, make):
    boss = make.user()
    company = make.company(owner=boss)
    db.session.commit()
    client.login(boss)
    url = f"/challenges/new?company={company.id}"
    assert client.get(url).status_code == 200
    response = client.post(url, form_data())
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    challenge = db.session.scalar(select(Challenge))
    assert challenge.phase == "draft" and challenge.tags == ["noise", "comfort"]
    assert [c.text for c in challenge.criteria] == ["Below 40 dB", "Costs under 20 EUR"]
    assert len(challenge.phase_plans) == 2
    page = f"/challenges/{challenge.id}-{challenge.slug}"
    assert response.headers["Location"].endswith(page)
    html = client.get(page).get_data(as_text=True)
    assert "Preview" in html and "Below 40 dB" in html

    assert client.post(page + "/publish", form_page=page).status_code == 303
    assert client.post(page + "/phase", {"to_phase": "voting", "note": "Enough ideas"},
                       form_page=page).status_code == 303
    db.session.expire_all()
    challenge = db.session.get(Challenge, challenge.id)
    assert challenge.phase == "voting"
    assert db.session.scalar(select(func.count(PhaseTransition.id))) == 2
    html = client.get(page).get_data(as_text=True)
    assert "Enough ideas" in html

    # a forbidden move is refused with a message, nothing recorded
    response = client.post(page + "/phase", {"to_phase": "draft"}, form_page=page, follow_redirects=True)
    assert "cannot move" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Challenge, challenge.id).phase == "voting"


def test_non_staff_cannot_create(client, db, make):
    company = make.company(owner=make.user())
    member = make.user()
    db.session.commit()
    client.login(member)
    assert client.get(f"/challenges/new?company={company.id}").status_code == 404


def test_bad_input_is_422_with_field_and_nothing_saved(client, db, make):
    boss = make.user()
    company = make.company(owner=boss)
    db.session.commit()
    client.login(boss)
    url = f"/challenges/new?company={company.id}"
    response = client.post(url, form_data(title=""))
    assert response.status_code == 422
    assert 'id="title-err"' in response.get_data(as_text=True)
    response = client.post(url, form_data(submission_ends="2029-12-01"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="submission_ends-err"' in html and "The end must be after the start" in html
    response = client.post(url, form_data(criteria="x"))
    assert response.status_code == 422 and 'id="criteria-err"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Challenge.id))) == 0


def test_visitor_gets_404_on_draft_and_invite_only(client, db, make):
    draft = make.challenge(phase="draft")
    private = make.challenge(visibility="invite")
    public = make.challenge()
    db.session.commit()
    assert client.get(f"/challenges/{draft.id}-{draft.slug}").status_code == 404
    assert client.get(f"/challenges/{private.id}-{private.slug}").status_code == 404
    response = client.get(f"/challenges/{public.id}-{public.slug}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f"/challenges/{public.id}-{public.slug}/ideas/new" in html
    assert "Removes 99% of bacteria" in html


def test_invited_member_sees_invite_only(client, db, make):
    boss, guest = make.user(), make.user()
    private = make.challenge(make.company(owner=boss), visibility="invite")
    db.session.commit()
    page = f"/challenges/{private.id}-{private.slug}"
    client.login(boss)
    assert client.post(page + "/invites", {"email": guest.email}, form_page=page).status_code == 303
    client.logout()
    client.login(guest)
    assert client.get(page).status_code == 200
    assert private.title in client.get("/challenges/").get_data(as_text=True)
    client.logout()
    client.login(boss)
    assert guest.display_name in client.get(page).get_data(as_text=True)
    assert client.post(f"{page}/invites/{guest.id}/delete", form_page=page).status_code == 303
    client.logout()
    client.login(guest)
    assert client.get(page).status_code == 404


def test_wrong_slug_redirects(client, db, make):
    challenge = make.challenge()
    db.session.commit()
    response = client.get(f"/challenges/{challenge.id}-old-name")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/challenges/{challenge.id}-{challenge.slug}")


def test_list_filters(client, db, make):
    food = make.challenge(category="food", title="Fresh bread longer")
    energy = make.challenge(category="energy", phase="voting", title="Cheaper heat pumps")
    db.session.commit()
    html = client.get("/challenges/?category=food").get_data(as_text=True)
    assert food.title in html and energy.title not in html
    html = client.get("/challenges/?phase=voting&sort=closing").get_data(as_text=True)
    assert energy.title in html and food.title not in html
    html = client.get(f"/challenges/?company={energy.company_id}&sort=active").get_data(as_text=True)
    assert energy.title in html and food.title not in html
    assert client.get("/challenges/?phase=bogus&sort=bogus&page=x").status_code == 200


def test_home_shows_open_challenges(client, db, make):
    open_one = make.challenge(title="Hygienic laundry")
    hidden = make.challenge(phase="draft", title="Secret project")
    make.idea(make.challenge(phase="closed"), status="winner", title="Self-cleaning drum")
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert "Winner: Self-cleaning drum" in html
    assert open_one.title in html and hidden.title not in html
    assert "How it works" in html


def test_all_mistakes_show_at_once(client, db, make):
    boss = make.user()
    company = make.company(owner=boss)
    db.session.commit()
    client.login(boss)
    response = client.post(f"/challenges/new?company={company.id}",
                           form_data(title="", voting_ends="2030-01-15"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="title-err"' in html and 'id="voting_ends-err"' in html


def test_edit_through_the_page_bumps_terms_and_uploads_cover(client, db, make):
    import io

    from PIL import Image

    boss = make.user()
    challenge = make.challenge(make.company(owner=boss), phase="draft")
    db.session.commit()
    client.login(boss)
    page = f"/challenges/{challenge.id}-{challenge.slug}"
    html = client.get(page + "/edit").get_data(as_text=True)
    assert "Removes 99% of bacteria" in html  # criteria prefilled
    buf = io.BytesIO()
    Image.new("RGB", (64, 32), "blue").save(buf, "PNG")
    buf.seek(0)
    data = form_data(title="Hygiene first", terms="New terms", cover=(buf, "cover.png"))
    response = client.post(page + "/edit", data, form_page=page + "/edit", content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)[:1500]
    db.session.expire_all()
    challenge = db.session.get(Challenge, challenge.id)
    assert challenge.title == "Hygiene first" and challenge.slug == "hygiene-first"
    assert challenge.terms_version == 2 and challenge.cover_image


def test_other_members_cannot_manage(client, db, make):
    challenge = make.challenge()
    member = make.user()
    db.session.commit()
    client.login(member)
    page = f"/challenges/{challenge.id}-{challenge.slug}"
    # they may see the public challenge, not run it: 403 (a draft would be a 404)
    assert client.get(page + "/edit").status_code == 403
    assert client.post(page + "/phase", {"to_phase": "voting"}, form_page=page).status_code == 403
    db.session.expire_all()
    assert db.session.get(Challenge, challenge.id).phase == "submission"


def test_advance_due_command(app, db, make):
    from datetime import timedelta

    from ideas.challenges.models import PhasePlan
    from ideas.core.db import utcnow

    challenge = make.challenge()
    db.session.execute(PhasePlan.__table__.update().where(PhasePlan.challenge_id == challenge.id)
                       .values(ends_at=utcnow() - timedelta(minutes=5)))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["challenges", "advance-due"])
    assert result.exit_code == 0, result.output
    assert f"challenge {challenge.id}" in result.output and "submission -> voting" in result.output
    db.session.expire_all()
    assert db.session.get(Challenge, challenge.id).phase == "voting"


def queries(client, url) -> int:
    from flask import g

    from ideas.extensions import cache

    g.pop("sql_queries", None)  # the test's app context is shared by its requests
    cache.clear()  # the worst case: nothing cached (the challenge page caches its participation)
    response = client.get(url)
    assert response.status_code == 200
    return int(response.headers["X-SQL-Queries"])


def test_pages_issue_a_bounded_number_of_queries(client, db, make):
    from ideas.challenges import services

    staff = [make.user() for _ in range(3)]
    company = make.company(owner=staff[0], staff=staff[1:])
    target = make.challenge(company)
    counts = []
    for moves, extra in ((["voting"], 1), (["review", "refinement"], 5)):
        for phase, actor in zip(moves, staff[len(moves) - 1:], strict=False):
            services.advance(actor, target, phase)
        for _ in range(extra):
            make.idea(make.challenge(make.company()), author=make.user(), status="shortlisted")
        db.session.commit()
        counts.append(tuple(queries(client, url) for url in
                            ("/challenges/", f"/challenges/{target.id}-{target.slug}", "/")))
    assert counts[0] == counts[1], counts
    assert all(c <= 12 for c in counts[1]), counts


def test_timeline_shows_open_ended_phases_without_a_dangling_dash(client, db, make):
    from datetime import datetime

    from ideas.challenges.models import PhasePlan

    challenge = make.challenge(phase="submission")
    db.session.add(PhasePlan(challenge_id=challenge.id, phase="voting", starts_at=datetime(2027, 3, 1)))
    db.session.add(PhasePlan(challenge_id=challenge.id, phase="review", ends_at=datetime(2027, 5, 1)))
    db.session.commit()
    html = client.get(f"/challenges/{challenge.id}-{challenge.slug}").get_data(as_text=True)
    assert "from Mar 1, 2027" in html and "until May 1, 2027" in html
    assert "– <" not in html and "> –" not in html


def test_challenge_page_lists_its_results_linked_to_the_ideas(client, db, make):
    from ideas.core.db import utcnow

    challenge = make.challenge(phase="closed")
    winner = make.idea(challenge, status="winner", title="Self-cleaning drum", slug="self-cleaning-drum")
    make.idea(challenge, status="shortlisted", title="Quiet spin", slug="quiet-spin")
    make.idea(challenge, status="declined", title="Louder buzzer")
    make.idea(challenge, status="winner", title="Hidden winner", hidden_at=utcnow())
    db.session.commit()
    html = client.get(f"/challenges/{challenge.id}-{challenge.slug}").get_data(as_text=True)
    assert f'href="/ideas/{winner.id}-self-cleaning-drum"' in html
    assert html.index("Self-cleaning drum") < html.index("Quiet spin")
    assert "Louder buzzer" not in html and "Hidden winner" not in html
    assert f'href="/challenges/{challenge.id}-{challenge.slug}/ideas"' in html
