"""Journey: staff create a challenge (a private draft), check its preview, and publish
it; visitors then find it in the list and can open it."""

from __future__ import annotations

import uuid

from tests.browser.conftest import login


def test_staff_create_and_open_a_challenge(page, new_page):
    title = f"Quieter fridges at night {uuid.uuid4().hex[:6]}"
    login(page, "tom.hale")
    page.goto("/")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("button", name="Staff").or_(nav.get_by_role("link", name="Staff")).first.click()
    nav.get_by_role("link", name="New challenge").click()
    page.wait_for_url("**/challenges/new*")

    page.locator("#title").fill(title)
    page.locator("#summary").fill("The compressor wakes people up: make it inaudible from the bedroom.")
    page.locator("#problem").fill("Fridges in small flats stand **next to the bedroom**. The compressor's start is the worst.")
    page.locator("#criteria").fill("Below 30 dB(A) at two metres\nNo higher energy use")
    page.locator("#terms").fill("Ideas are shared under CC BY 4.0.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()

    assert page.get_by_text("Draft saved. Check the preview, then publish it.").is_visible()
    assert page.get_by_text("Preview: this draft is visible to the company's staff only.").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == title
    draft_path = page.url.removeprefix(page.url.split("/challenges/")[0])

    visitor = new_page()
    response = visitor.goto(draft_path)
    assert response.status == 404  # a draft does not exist for anyone but its staff

    with page.expect_navigation():
        page.get_by_role("button", name="Publish and open for ideas").click()
    assert page.get_by_text("The challenge is published and accepts ideas.").is_visible()
    assert page.get_by_text("Preview: this draft").count() == 0
    assert page.get_by_role("link", name="Submit an idea").is_visible()

    visitor.goto("/challenges/")
    visitor.get_by_role("link", name=title).first.click()
    visitor.wait_for_url(f"**{draft_path}")
    assert visitor.get_by_role("heading", level=1).inner_text() == title
    assert visitor.get_by_text("Below 30 dB(A) at two metres").is_visible()
