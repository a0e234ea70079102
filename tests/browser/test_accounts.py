"""Journey: a newcomer registers, receives the verification mail on the real SMTP
server, opens its link and is verified (the reminder banner is gone)."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from tests.browser.conftest import login


def test_register_and_verify_by_the_link_in_the_mail(page, live, mailbox):
    address = f"newcomer-{uuid.uuid4().hex[:8]}@example.org"
    page.goto("/register")
    page.locator("#email").fill(address)
    page.locator("#display_name").fill("Nová Členka")
    page.locator("#password").fill("a long enough password")
    with page.expect_navigation():
        page.get_by_role("button", name="Create account").click()
    banner = page.get_by_text("Please confirm your email address to vote and submit ideas.")
    assert banner.is_visible()

    message = mailbox.wait_for(address)
    links = [link for link in mailbox.links(message) if "/verify/" in link]
    assert links, message.get_body(("plain",)).get_content()
    link = links[0]
    assert link.startswith(live.url), link  # the site's public address, not localhost:5000

    page.goto(urlsplit(link).path)
    assert page.get_by_text(f"your email address {address} is confirmed").is_visible()
    assert banner.count() == 0

    # The account works with its password in another session.
    page.context.clear_cookies()
    login(page, address, "a long enough password")
    assert banner.count() == 0
