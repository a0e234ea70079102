"""Judging through HTTP: a judge's invitation, queue and scorecard (blind), staff setup,
ranking, comparison, decisions and publication, and who may open which page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ideas.judging import services
from ideas.judging.models import JudgeAssignment, JudgeInvitation, Scorecard
from ideas.notifications.models import Notification
from tests.permissions import cheap_logins


@pytest.fixture(autouse=True)
def _fast_logins(monkeypatch):
    cheap_logins(monkeypatch)


@pytest.fixture
def panel(db, make):
    """A review challenge with a rubric of two criteria, three shortlisted ideas (blind
    review), three judges who accepted and every idea given to every judge."""
    staff = make.user(name="Staff Person")
    company = make.company(staff=[staff])
    challenge = make.challenge(company, phase="review", title="Quiet dishwasher")
    judges = [make.user(name=f"Judge {n}") for n in range(3)]
    for judge in judges:
        services.respond_to_invitation(judge, services.invite_judge(staff, challenge, judge.username), True)
    criteria = services.set_rubric(staff, challenge, [
        {"title": "Quiet", "weight": "2", "scale_low": 1, "scale_high": 5},
        {"title": "Cheap", "weight": "1", "scale_low": 1, "scale_high": 10},
    ])
    authors = [make.user(name=f"Author Unique{n}") for n in range(3)]
    ideas = [make.idea(challenge, author=a, status="shortlisted", title=f"Idea title {n}", up_votes=7 + n)
             for n, a in enumerate(authors)]
    services.assign_shortlist(staff, challenge, "all")
    db.session.commit()
    return {"staff": staff, "challenge": challenge, "judges": judges, "criteria": criteria, "ideas": ideas,
            "authors": authors}


def _manage(p, tail=""):
    c = p["challenge"]
    return f"/challenges/{c.id}-{c.slug}/judging{tail}"


def _scores(p, quiet, cheap):
    return {f"score-{p['criteria'][0].id}": str(quiet), f"score-{p['criteria'][1].id}": str(cheap)}


def test_invitation_accept_from_the_judging_page(client, db, make, panel):
    newcomer = make.user()
    services.invite_judge(panel["staff"], panel["challenge"], newcomer.email)
    db.session.commit()
    client.login(newcomer)
    page = client.get("/judging").get_data(as_text=True)
    assert "Quiet dishwasher" in page and "Accept" in page
    invitation = db.session.scalar(select(JudgeInvitation).where(JudgeInvitation.user_id == newcomer.id))
    response = client.post(f"/judging/invitations/{invitation.id}", {"answer": "accept"}, form_page="/judging")
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(JudgeInvitation, invitation.id).status == "accepted"
    notice = db.session.scalar(select(Notification).where(Notification.user_id == newcomer.id))
    assert notice is not None and "Quiet dishwasher" in notice.text


def test_blind_queue_and_scorecard_show_no_author_and_no_votes(client, db, panel):
    judge = panel["judges"][0]
    client.login(judge)
    home = client.get("/").get_data(as_text=True)
    assert ">Judging" in home  # the navigation entry
    queue = client.get(f"/judging/challenges/{panel['challenge'].id}").get_data(as_text=True)
    assert "Idea title 0" in queue and "Author Unique" not in queue
    page = client.get(f"/judging/ideas/{panel['ideas'][0].id}").get_data(as_text=True)
    assert "Idea title 0" in page and "Quiet" in page
    assert "Author Unique" not in page and "bi-caret-up-fill" not in page


def test_draft_then_submit_then_locked(client, db, panel):
    judge, idea = panel["judges"][0], panel["ideas"][0]
    client.login(judge)
    url = f"/judging/ideas/{idea.id}"
    data = {**_scores(panel, 4, ""), "comment_for_author": "Nice one", "note_for_staff": "", "action": "save"}
    assert client.post(url, data).status_code == 303
    card = db.session.scalar(select(Scorecard).where(Scorecard.idea_id == idea.id, Scorecard.judge_id == judge.id))
    assert card.status == "draft" and [s.value for s in card.scores] == [4]
    page = client.get(url).get_data(as_text=True)
    assert "Nice one" in page and "Draft saved" in page
    missing = client.post(url, {**_scores(panel, 4, ""), "action": "submit"})
    assert missing.status_code == 422 and "Cheap is missing" in missing.get_data(as_text=True)
    outside = client.post(url, {**_scores(panel, 4, 11), "action": "submit"})
    assert outside.status_code == 422 and "Cheap: score from 1 to 10" in outside.get_data(as_text=True)
    done = client.post(url, {**_scores(panel, 4, 7), "comment_for_author": "Nice one", "action": "submit"})
    assert done.status_code == 303
    db.session.expire_all()
    assert db.session.get(Scorecard, card.id).status == "submitted"
    again = client.post(url, {**_scores(panel, 1, 1), "action": "submit"})
    assert again.status_code == 409 and "reopen" in again.get_data(as_text=True)
    db.session.expire_all()
    assert sorted(s.value for s in db.session.get(Scorecard, card.id).scores) == [4, 7]


def test_conflict_passes_the_idea_on(client, db, make, panel):
    judge, idea = panel["judges"][0], panel["ideas"][0]
    extra = make.user()
    services.respond_to_invitation(extra, services.invite_judge(panel["staff"], panel["challenge"], extra.username), True)
    db.session.commit()
    client.login(judge)
    empty = client.post(f"/judging/ideas/{idea.id}/conflict", {"conflict-reason": ""}, form_page=f"/judging/ideas/{idea.id}")
    assert empty.status_code == 303
    assert db.session.scalar(select(JudgeAssignment.status).where(
        JudgeAssignment.idea_id == idea.id, JudgeAssignment.judge_id == judge.id)) == "assigned"
    response = client.post(f"/judging/ideas/{idea.id}/conflict", {"conflict-reason": "My brother wrote it."},
                           form_page=f"/judging/ideas/{idea.id}")
    assert response.status_code == 303
    db.session.expire_all()
    rows = dict(db.session.execute(select(JudgeAssignment.judge_id, JudgeAssignment.status)
                                   .where(JudgeAssignment.idea_id == idea.id)).all())
    assert rows[judge.id] == "conflict" and rows[extra.id] == "assigned"
    assert client.get(f"/judging/ideas/{idea.id}").status_code == 404


def test_rubric_bad_weight_names_the_field_and_saves_nothing(client, db, panel):
    client.login(panel["staff"])
    url = _manage(panel, "/rubric")
    page = client.get(url).get_data(as_text=True)
    assert 'value="Quiet"' in page
    response = client.post(url, {"criteria-0-title": "Quiet", "criteria-0-weight": "heavy",
                                 "criteria-0-scale_low": "1", "criteria-0-scale_high": "5"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "Enter a number, such as 1 or 1.5." in body
    assert 'value="heavy"' in body and 'aria-invalid="true" aria-describedby="criteria-0-weight-err"' in body
    assert [c.weight for c in services.rubric(panel["challenge"])] == [2.0, 1.0]


def test_weights_frozen_once_scoring_started_through_the_page(client, db, panel):
    services.submit_scorecard(panel["judges"][0], panel["ideas"][0], {c.id: 3 for c in panel["criteria"]})
    db.session.commit()
    client.login(panel["staff"])
    response = client.post(_manage(panel, "/rubric"), {
        "criteria-0-title": "Quiet", "criteria-0-weight": "5", "criteria-0-scale_low": "1", "criteria-0-scale_high": "5",
        "criteria-1-title": "Cheap", "criteria-1-weight": "1", "criteria-1-scale_low": "1", "criteria-1-scale_high": "10"})
    assert response.status_code == 409 and "Scoring has started" in response.get_data(as_text=True)


def test_invite_unknown_member_is_a_clear_message(client, db, panel):
    client.login(panel["staff"])
    response = client.post(_manage(panel, "/invite"), {"judge": "nobody-at-all"}, form_page=_manage(panel),
                           follow_redirects=True)
    assert "No member has that username or email address." in response.get_data(as_text=True)


def test_staff_ranking_decide_publish_and_authors_hear(client, db, panel):
    judges, ideas, criteria = panel["judges"], panel["ideas"], panel["criteria"]
    for judge, values in zip(judges, [(5, 4, 2), (4, 3, 1), (5, 5, 1)], strict=True):
        for idea, v in zip(ideas, values, strict=True):
            services.submit_scorecard(judge, idea, {criteria[0].id: v, criteria[1].id: v * 2},
                                      comment_for_author=f"Comment of {judge.display_name} on {idea.title}")
    db.session.commit()
    client.login(panel["staff"])
    ranking = client.get(_manage(panel, "/ranking")).get_data(as_text=True)
    assert "Krippendorff" in ranking and "Idea title 0" in ranking and "Select for refinement" in ranking
    community = client.get(_manage(panel, "/community"))
    assert community.status_code == 200 and "Kendall" in community.get_data(as_text=True)
    manage = client.get(_manage(panel)).get_data(as_text=True)
    assert "3 judged ideas still need a decision." in manage
    short = client.post(f"/judging/ideas/{ideas[0].id}/select", {"reason": "short", "next": "ranking"},
                        form_page=_manage(panel, "/ranking"), follow_redirects=True)
    assert "Reason for the authors" in short.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(ideas[0]), ideas[0].id).status == "shortlisted"
    assert client.post(f"/judging/ideas/{ideas[0].id}/select", {"reason": "Loved by the whole panel.", "next": "ranking"},
                       form_page=_manage(panel, "/ranking")).status_code == 303
    for idea in ideas[1:]:
        assert client.post(f"/judging/ideas/{idea.id}/decline", {"reason": "Too costly for this product line."},
                           form_page=_manage(panel, "/ranking")).status_code == 303
    # decisions on judged ideas wait for the publication
    assert db.session.scalar(select(Notification).where(Notification.user_id == panel["authors"][0].id)) is None
    assert client.post(_manage(panel, "/publish"), {}, form_page=_manage(panel)).status_code == 303
    notice = db.session.scalar(select(Notification).where(Notification.user_id == panel["authors"][0].id,
                                                          Notification.kind == "judging_published"))
    assert "Decision: selected." in notice.text and "Comment of Judge 0 on Idea title 0" in notice.text
    assert "Loved by the whole panel." in notice.text
    declined = db.session.scalar(select(Notification).where(Notification.user_id == panel["authors"][1].id,
                                                            Notification.kind == "judging_published"))
    assert "Decision: declined." in declined.text
    client.logout()
    client.login(panel["authors"][0])
    idea = ideas[0]
    page = client.get(f"/ideas/{idea.id}-{idea.slug}").get_data(as_text=True)
    assert "Comment of Judge 0 on Idea title 0" in page
    assert "— a judge" in page and "— Judge 0" not in page  # blind: never which judge


def test_author_sees_no_comment_before_publication(client, db, panel):
    idea = panel["ideas"][0]
    services.submit_scorecard(panel["judges"][0], idea, {c.id: 3 for c in panel["criteria"]},
                              comment_for_author="Secret so far")
    db.session.commit()
    client.login(panel["authors"][0])
    page = client.get(f"/ideas/{idea.id}-{idea.slug}").get_data(as_text=True)
    assert "Secret so far" not in page and 'id="judging"' not in page


@pytest.mark.parametrize("who", ["visitor", "member", "judge", "author", "other_staff", "staff"])
def test_who_may_open_which_page(client, db, make, panel, who):
    other = make.user()
    make.company(staff=[other])
    people = {"member": make.user(), "judge": panel["judges"][0], "author": panel["authors"][0],
              "other_staff": other, "staff": panel["staff"]}
    db.session.commit()
    if who != "visitor":
        client.login(people[who])
    idea = panel["ideas"][0]
    staff_pages = [_manage(panel), _manage(panel, "/rubric"), _manage(panel, "/ranking"),
                   _manage(panel, "/community"), f"/judging/ideas/{idea.id}/scorecards"]
    judge_pages = [f"/judging/challenges/{panel['challenge'].id}", f"/judging/ideas/{idea.id}"]
    expected_staff = {"visitor": 302, "member": 403, "judge": 403, "author": 403, "other_staff": 403, "staff": 200}[who]
    expected_judge = {"visitor": 302, "member": 404, "judge": 200, "author": 404, "other_staff": 404, "staff": 404}[who]
    for url in staff_pages:
        assert client.get(url).status_code == expected_staff, url
    for url in judge_pages:
        assert client.get(url).status_code == expected_judge, url
    before = db.session.scalar(select(Scorecard.id).limit(1))
    if who not in ("staff", "visitor"):
        response = client.post(f"/judging/ideas/{idea.id}/select", {"reason": "I would like this one."},
                               form_page="/")
        assert response.status_code in (403, 404)
        db.session.expire_all()
        assert db.session.get(type(idea), idea.id).status == "shortlisted"
    assert db.session.scalar(select(Scorecard.id).limit(1)) == before


def test_decisions_stay_private_until_publication_and_can_be_undone(client, db, panel):
    idea = panel["ideas"][0]
    client.login(panel["staff"])
    ranking = _manage(panel, "/ranking")
    assert client.post(f"/judging/ideas/{idea.id}/decline", {"reason": "Too costly for this product line."},
                       form_page=ranking).status_code == 303
    assert "to be published" in client.get(f"/judging/ideas/{idea.id}/scorecards").get_data(as_text=True)
    client.logout()
    public = client.get(f"/ideas/{idea.id}-{idea.slug}").get_data(as_text=True)
    assert "Declined" not in public and "Too costly" not in public
    client.login(panel["staff"])
    assert client.post(f"/judging/ideas/{idea.id}/undo-decision", {}, form_page=ranking).status_code == 303
    assert services.pending_decision(idea) is None


def test_reopen_refused_after_publication_and_conflicts_shown_to_staff(client, db, make, panel):
    judges, ideas, criteria = panel["judges"], panel["ideas"], panel["criteria"]
    extra = make.user()
    services.respond_to_invitation(extra, services.invite_judge(panel["staff"], panel["challenge"], extra.username), True)
    assignment = services.policy.assignment_for(judges[2], ideas[2])
    services.declare_conflict(judges[2], assignment, "My sister wrote it.")
    for judge in (judges[0], judges[1]):
        for idea in ideas:
            services.submit_scorecard(judge, idea, {c.id: 3 for c in criteria})
    db.session.commit()
    client.login(panel["staff"])
    assert "My sister wrote it." in client.get(_manage(panel)).get_data(as_text=True)
    assert "My sister wrote it." in client.get(f"/judging/ideas/{ideas[2].id}/scorecards").get_data(as_text=True)
    for idea in ideas:
        services.decline_idea(panel["staff"], idea, "Too costly for this product line.")
    services.publish_results(panel["staff"], panel["challenge"])
    db.session.commit()
    card = db.session.scalar(select(Scorecard).where(Scorecard.judge_id == judges[0].id, Scorecard.idea_id == ideas[0].id))
    page = client.get(f"/judging/ideas/{ideas[0].id}/scorecards").get_data(as_text=True)
    assert "Reopen for its judge" not in page
    response = client.post(f"/judging/scorecards/{card.id}/reopen", {}, form_page=f"/judging/ideas/{ideas[0].id}/scorecards",
                           follow_redirects=True)
    assert "can no longer be reopened" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Scorecard, card.id).status == "submitted"


def test_scorecard_error_is_shown_once_on_its_criterion(client, db, panel):
    client.login(panel["judges"][0])
    idea = panel["ideas"][0]
    response = client.post(f"/judging/ideas/{idea.id}", {**_scores(panel, 4, ""), "action": "submit"})
    body = response.get_data(as_text=True)
    assert body.count("Cheap is missing") == 1
    assert 'border border-danger rounded p-2' in body
