"""Journey: staff invite a member to the private focus group; the member sees nothing
inside before accepting its confidentiality agreement, accepts it, and posts on the
board, where the other members read it and outsiders cannot."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from ideas.focus_groups.models import FocusGroup
from tests.browser.conftest import login

GROUP = "First rides, safer"  # Nordlink's group on the e-scooter winner (chen.wei runs it)
INSIDE = "How fast should level 1 be?"  # a thread of the group's board


def test_member_accepts_the_agreement_and_posts(page, new_page, live):
    group_id = live.scalar(select(FocusGroup.id).where(FocusGroup.title == GROUP))
    group_url = f"/focus-groups/{group_id}"

    login(page, "chen.wei")  # her interface is Chinese: forms are found by what they do
    page.goto(f"{group_url}/people")
    invite = page.locator(f"form[action='{group_url}/invite']").first
    invite.locator("input[name=member]").fill("james.okafor")
    invite.locator("input[name=reason]").fill("rides every day; declined last time, asked again")
    with page.expect_navigation():
        invite.locator("button").click()
    assert page.get_by_text(live.gettext("%(name)s is invited.", "zh", name="James Okafor")).is_visible()

    member = new_page()
    login(member, "james.okafor")
    member.locator("nav a[href='/focus-groups']").click()
    member.get_by_role("link", name="Answer the invitation").click()
    member.wait_for_url(f"**{group_url}")
    assert member.get_by_text("read and accept its confidentiality agreement").is_visible()
    assert member.get_by_text(INSIDE).count() == 0  # nothing inside before the agreement
    member.goto(f"{group_url}/board")  # nor through the board's own address
    assert member.get_by_text(INSIDE).count() == 0

    member.goto(group_url)
    with member.expect_navigation():  # not ticked: refused, still outside
        member.get_by_role("button", name="Accept and join").click()
    assert member.get_by_text(INSIDE).count() == 0
    member.get_by_role("checkbox").check()
    with member.expect_navigation():
        member.get_by_role("button", name="Accept and join").click()
    assert member.get_by_text("Welcome to the focus group.").is_visible()
    assert member.get_by_text(INSIDE).first.is_visible()

    title = f"Level 1 on wet cobbles {uuid.uuid4().hex[:4]}"
    member.goto(f"{group_url}/board")
    member.locator("#title").fill(title)
    member.locator("#body").fill("On wet cobbles even 12 km/h felt fast. Could rain lower the level?")
    with member.expect_navigation():
        member.get_by_role("button", name="Post", exact=True).click()
    assert member.get_by_text("On wet cobbles even 12 km/h felt fast.").is_visible()

    other = new_page()
    login(other, "emma.clarke")
    other.goto(f"{group_url}/board")
    assert other.get_by_role("link", name=title).is_visible()

    outsider = new_page()
    login(outsider, "sophie.martin")
    response = outsider.goto(f"{group_url}/board")
    assert response.status == 404
    assert outsider.get_by_text(title).count() == 0
