"""Journey: the footer's language switcher turns the interface into Czech and into
Chinese (the page's `lang` attribute, and a navigation label as its catalog translates
it: catalogs may still be incomplete, so the expected text comes from the catalog), and
a member's choice follows them to another session."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login


def switch_language(page, code: str) -> None:
    """Choose a language in the footer's switcher as a person does: pick it, then press
    the switcher's button where it has one (else choosing sends the form)."""
    form = page.locator("footer form[action='/language']")
    button = form.locator("button")
    with page.expect_navigation():
        form.locator("select").select_option(code)
        if button.count() and button.first.is_visible():
            button.first.click()


def nav_link(page, href: str):
    return page.locator(f"nav.navbar a[href='{href}']").first


@pytest.mark.parametrize("code", ["cs", "zh"])
def test_visitor_switches_the_interface(page, live, code):
    page.goto("/challenges/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert nav_link(page, "/challenges/").inner_text().strip() == "Challenges"

    switch_language(page, code)
    assert page.url.endswith("/challenges/")  # back on the page it was switched from
    assert page.locator("html").get_attribute("lang") == code
    assert nav_link(page, "/challenges/").inner_text().strip() == live.gettext("Challenges", code)
    assert page.locator("#lang-select").input_value() == code

    page.goto("/companies/")  # the choice stays (a cookie, for a visitor)
    assert page.locator("html").get_attribute("lang") == code
    assert nav_link(page, "/companies/").inner_text().strip() == live.gettext("Companies", code)

    switch_language(page, "en")
    assert page.locator("html").get_attribute("lang") == "en"


def test_member_language_is_kept_on_the_account(page, new_page, live):
    login(page, "daniel.reyes")
    switch_language(page, "cs")
    assert page.locator("html").get_attribute("lang") == "cs"

    elsewhere = new_page()  # another browser: no cookie, English Accept-Language
    login(elsewhere, "daniel.reyes")
    elsewhere.goto("/challenges/")
    assert elsewhere.locator("html").get_attribute("lang") == "cs"
    assert nav_link(elsewhere, "/challenges/").inner_text().strip() == live.gettext("Challenges", "cs")

    switch_language(elsewhere, "en")
    assert elsewhere.locator("html").get_attribute("lang") == "en"
