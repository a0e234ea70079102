"""Staff tools on an idea page: the actions above the idea, reconsidering a decline,
and picking a merge target from the challenge's ideas."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ideas.core.errors import Invalid, InvalidTransition, NotAllowed
from ideas.notifications.models import Notification
from ideas.submissions import moderation
from tests.permissions import cheap_logins


@pytest.fixture
def world(db, make):
    staff = make.user()
    company = make.company(staff=[staff])
    challenge = make.challenge(company, phase="voting")
    return staff, challenge


def test_reconsider_returns_the_idea_to_where_it_was_and_tells_the_author(db, make, world):
    staff, challenge = world
    idea = make.idea(challenge, status="submitted")
    moderation.shortlist(staff, idea, "")
    moderation.decline(staff, idea, "Not feasible at our price point.")
    with pytest.raises(Invalid):
        moderation.reconsider(staff, idea, "oops")
    with pytest.raises(NotAllowed):
        moderation.reconsider(make.user(), idea, "We had the numbers wrong, sorry.")
    moderation.reconsider(staff, idea, "We had the numbers wrong, sorry.")
    assert idea.status == "shortlisted" and idea.status_reason == "We had the numbers wrong, sorry."
    notice = db.session.scalars(select(Notification).where(Notification.user_id == idea.author_id)
                                .order_by(Notification.id.desc())).first()
    assert "reconsidered" in notice.text and "We had the numbers wrong" in notice.text
    with pytest.raises(InvalidTransition):
        moderation.reconsider(staff, idea, "We had the numbers wrong, sorry.")


def test_no_reconsidering_once_the_challenge_is_closed(db, make, world):
    staff, challenge = world
    idea = make.idea(challenge, status="submitted")
    moderation.decline(staff, idea, "Not feasible at our price point.")
    challenge.phase = "closed"
    with pytest.raises(InvalidTransition, match="closed"):
        moderation.reconsider(staff, idea, "We had the numbers wrong, sorry.")
    assert idea.status == "declined"


def test_merge_candidates_by_words_or_number_never_itself_hidden_or_elsewhere(db, make, world):
    from ideas.core.db import utcnow

    staff, challenge = world
    source = make.idea(challenge, title="Steam cleaning drum")
    twin = make.idea(challenge, title="Drum cleaning with steam bursts")
    make.idea(challenge, title="Steam drum hidden", hidden_at=utcnow())
    make.idea(challenge, title="Withdrawn steam drum", status="withdrawn")
    make.idea(make.challenge(), title="Steam drum elsewhere")
    make.idea(challenge, title="100% cotton_filter")
    assert [r.id for r in moderation.merge_candidates(staff, source, "steam drum")] == [twin.id]
    assert [r.id for r in moderation.merge_candidates(staff, source, f"#{twin.id}")] == [twin.id]
    assert [r.title for r in moderation.merge_candidates(staff, source, "100%")] == ["100% cotton_filter"]
    assert moderation.merge_candidates(staff, source, "_") and len(moderation.merge_candidates(staff, source, "")) == 2
    with pytest.raises(NotAllowed):
        moderation.merge_candidates(make.user(), source, "steam")


def test_staff_actions_sit_above_the_idea_and_the_picker_answers_staff_only(client, db, make, world, monkeypatch):
    cheap_logins(monkeypatch)
    staff, challenge = world
    source = make.idea(challenge, title="Steam cleaning drum")
    twin = make.idea(challenge, title="Drum cleaning with steam bursts")
    member = make.user()
    db.session.commit()
    client.login(staff)
    page = client.get(f"/ideas/{source.id}-{source.slug}").get_data(as_text=True)
    assert page.index('id="staff-actions"') < page.index('dir="auto">Steam cleaning drum</h1>')
    picker = client.get(f"/ideas/{source.id}/merge-targets?q=steam", headers={"HX-Request": "true"})
    assert picker.status_code == 200 and f'value="{twin.id}"' in picker.get_data(as_text=True)
    merged = client.post(f"/ideas/{source.id}/merge", {"target_id": str(twin.id), "reason": ""},
                         form_page=f"/ideas/{source.id}-{source.slug}")
    assert merged.status_code == 303
    client.logout()
    client.login(member)
    assert client.get(f"/ideas/{twin.id}/merge-targets?q=steam").status_code == 403
    assert 'id="staff-actions"' not in client.get(f"/ideas/{twin.id}-{twin.slug}").get_data(as_text=True)


def test_reconsider_through_the_page(client, db, make, world, monkeypatch):
    cheap_logins(monkeypatch)
    staff, challenge = world
    idea = make.idea(challenge, status="submitted")
    moderation.decline(staff, idea, "Not feasible at our price point.")
    db.session.commit()
    client.login(staff)
    page = client.get(f"/ideas/{idea.id}-{idea.slug}").get_data(as_text=True)
    assert "Reconsider the decline" in page
    response = client.post(f"/ideas/{idea.id}/reconsider", {"reason": "We had the numbers wrong, sorry."},
                           form_page=f"/ideas/{idea.id}-{idea.slug}")
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(type(idea), idea.id).status == "submitted"
