"""A phone-width pass (390x844) over the main pages as a visitor, a member, staff and
a judge: no page scrolls sideways (document.documentElement.scrollWidth <= innerWidth),
and the navigation is collapsed behind its menu button, which opens it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login, phone

WASHER = "Keep the washing machine fresh"
BUS_STOPS = "Connectivity at rural bus stops"
DISHWASHER = "A dishwasher you can't hear from the sofa"
SCOOTERS = "Safer shared e-scooters"


def _pages(live, role: str) -> list[str]:
    if role == "visitor":
        return ["/", "/challenges/", live.challenge_path(WASHER), live.challenge_path(WASHER, "/ideas"),
                live.idea_path("Тёплый обдув уплотнителя после стирки"),
                live.idea_path("Ramp the drain pump instead of switching it on"),
                live.challenge_path(BUS_STOPS, "/compare"), live.challenge_path(SCOOTERS),
                live.challenge_path(SCOOTERS, "/leaderboard"), "/search?q=noise", "/leaderboard",
                "/experts", "/prototypes", "/companies/", "/login", "/register"]
    if role == "member":
        return ["/", "/me/contributions", "/notifications/", "/feed", "/settings", "/focus-groups",
                live.idea_path("Warm air through the door seal after every wash"),
                live.challenge_path(WASHER, "/ideas/new"), live.challenge_path(BUS_STOPS, "/compare")]
    if role == "staff":
        return ["/", live.challenge_path(DISHWASHER), live.challenge_path(DISHWASHER, "/moderation"),
                live.challenge_path(DISHWASHER, "/judging"), live.challenge_path(DISHWASHER, "/judging/rubric"),
                live.challenge_path(DISHWASHER, "/judging/ranking"),
                live.challenge_path(DISHWASHER, "/judging/community"),
                live.idea_path("Ramp the drain pump instead of switching it on"), "/challenges/new"]
    return ["/judging", "/notifications/"]  # judge


ACCOUNTS = {"member": "emma.clarke", "staff": "tom.hale", "judge": "judge.novak"}


@pytest.mark.parametrize("role", ["visitor", "member", "staff", "judge"])
def test_main_pages_fit_a_phone(page, live, role):
    phone(page)
    if role != "visitor":
        login(page, ACCOUNTS[role])
    if role == "judge":  # a judge's queue and scorecard too, found from the judging page
        page.goto("/judging")
        queue = page.locator("main a[href^='/judging/challenges/']").first.get_attribute("href")
        page.goto(queue)
        card = page.locator("main a[href^='/judging/ideas/']").first.get_attribute("href")
        paths = _pages(live, role) + [queue, card]
    else:
        paths = _pages(live, role)

    problems = []
    for path in paths:
        response = page.goto(path)
        if response.status != 200:
            problems.append(f"{path}: HTTP {response.status}")
            continue
        width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width > inner:
            problems.append(f"{path}: {width} px wide in a {inner} px window")
        if not page.locator("nav.navbar .navbar-toggler").is_visible() or page.locator("#nav").is_visible():
            problems.append(f"{path}: the navigation is not collapsed behind its menu button")
    assert not problems, "\n".join(problems)

    # The menu button opens the navigation, which fits too.
    page.goto("/")
    page.locator("nav.navbar .navbar-toggler").click()
    page.locator("#nav").wait_for(state="visible")
    page.locator("#nav.show").wait_for()
    assert page.locator("#nav a[href='/challenges/']").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
