"""Journeys of a member with ideas: submitting one (similar ideas appear while typing),
voting and commenting without a page reload, and the pairwise "which is better?" picker."""

from __future__ import annotations

import re
import uuid

from tests.browser.conftest import login

WASHER = "Keep the washing machine fresh"
BUS_STOPS = "Connectivity at rural bus stops"


def _mark_the_page(page) -> str:
    """A value only this document holds: it survives htmx swaps, not a navigation."""
    token = uuid.uuid4().hex
    page.evaluate("token => { window.__e2eMarker = token; }", token)
    return token


def _still_the_same_page(page, token: str) -> bool:
    return page.evaluate("() => window.__e2eMarker") == token


def test_member_submits_an_idea_seeing_similar_ideas(page, live):
    login(page, "emma.clarke")
    page.goto(live.challenge_path(WASHER))
    page.get_by_role("link", name="Submit an idea").first.click()
    page.wait_for_url("**/ideas/new")
    if page.get_by_role("button", name="I accept").count():  # the terms changed since her last idea
        with page.expect_navigation():
            page.get_by_role("button", name="I accept").click()

    similar = page.locator("#similar-ideas")
    assert "As you type a title and summary" in similar.inner_text()
    page.locator("#title").press_sequentially("Blow warm air through the door seal", delay=20)
    # The panel refreshes (debounced) while she types: the demo's twin idea shows up.
    twin = similar.get_by_role("link", name="Warm air through the door seal after every wash")
    twin.wait_for()
    assert similar.get_by_text("Already suggested in this challenge").is_visible()

    title = f"Dry the door seal with the drum fan {uuid.uuid4().hex[:4]}"
    page.locator("#title").fill(title)
    page.locator("#summary").fill("After the spin, the drum fan runs two minutes with the door ajar.")
    page.locator("#description").fill("Most odour starts in the fold of the seal, where water stays.")
    with page.expect_navigation():
        page.get_by_role("button", name="Submit idea").click()
    assert page.get_by_text("Your idea is in. Thank you!").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == title

    page.goto(live.challenge_path(WASHER, "/ideas"))
    assert page.get_by_role("link", name=title).count() == 1


def test_member_votes_and_comments_without_reloading(page, live):
    login(page, "emma.clarke")
    page.goto(live.idea_path("Warm air through the door seal after every wash"))
    token = _mark_the_page(page)
    url = page.url

    widget = page.locator(".vote-widget")
    ups = int(widget.locator(".text-success.fw-bold").inner_text())
    widget.get_by_role("button", name="Up-vote").click()
    page.locator(".vote-widget").get_by_role("button", name="Up-voted").wait_for()
    widget = page.locator(".vote-widget")
    assert int(widget.locator(".text-success.fw-bold").inner_text()) == ups + 1
    assert widget.get_by_text("You voted for this idea.").is_visible()
    assert _still_the_same_page(page, token) and page.url == url

    comments = page.locator("#comments")
    before = comments.locator(".comment-list > li").count()
    body = f"Could the fan reuse the drum's heater? ({uuid.uuid4().hex[:6]})"
    page.locator("#cf-new-body").fill(body)
    page.get_by_role("button", name="Post comment").click()
    page.locator("#comments").get_by_role("paragraph").filter(has_text=body).wait_for()
    assert page.locator("#comments .comment-list > li").count() == before + 1
    assert page.locator("#cf-new-body").input_value() == ""
    assert _still_the_same_page(page, token) and page.url == url

    # Both stayed: a fresh load shows the vote and the comment.
    page.reload()
    assert page.locator(".vote-widget").get_by_role("button", name="Up-voted").is_visible()
    assert page.locator("#comments").get_by_role("paragraph").filter(has_text=body).is_visible()


def test_pairwise_picker(page, live):
    login(page, "sophie.martin")
    page.goto(live.challenge_path(BUS_STOPS))
    page.get_by_role("link", name="Which is better? Compare two ideas").click()
    page.wait_for_url("**/compare")

    def counts():
        judged = page.get_by_title("Pairs you have judged").inner_text()
        total = page.get_by_text(re.compile(r"comparisons? so far")).inner_text()
        return int(re.search(r"\d+", judged).group()), int(re.search(r"\d+", total).group())

    judged, total = counts()
    for step in range(3):
        cards = page.locator("form article")
        assert cards.count() == 2
        pair = {cards.nth(0).get_by_role("heading").inner_text(), cards.nth(1).get_by_role("heading").inner_text()}
        with page.expect_navigation():
            cards.nth(step % 2).get_by_role("button", name=re.compile("This one")).click()
        assert page.get_by_text("Thanks! Here is the next pair.").is_visible()
        assert counts() == (judged + step + 1, total + step + 1)
        shown = {page.locator("form article").nth(k).get_by_role("heading").inner_text() for k in (0, 1)}
        assert shown != pair  # a judged pair is not shown again
    # The ranking table lists the ideas she picked.
    rows = page.locator("section[aria-labelledby=ranking-heading] tbody tr")
    assert rows.count() >= 2

    with page.expect_navigation():
        page.get_by_role("button", name="Skip: I can't decide").click()
    assert page.get_by_text("Skipped. Here is another pair.").is_visible()
