"""Journey: searching from the navigation's search box in Russian and in Chinese finds
the demo's ideas in those languages (a Russian word in another grammatical form than
the title's; a Chinese phrase inside a longer unsegmented title)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("query", "expected"), [
    ("уплотнитель", "Тёплый обдув уплотнителя после стирки"),  # the title says "уплотнителя"
    ("抗菌涂层", "门封使用含银离子抗菌涂层"),
], ids=["russian", "chinese"])
def test_search_finds_demo_content(page, query, expected):
    page.goto("/")
    box = page.get_by_role("search").get_by_role("searchbox")
    box.fill(query)
    with page.expect_navigation():
        box.press("Enter")
    assert "/search?q=" in page.url
    results = page.locator("ol.search-results")
    assert results.get_by_role("link", name=expected, exact=True).first.is_visible()
    results.get_by_role("link", name=expected, exact=True).first.click()
    page.wait_for_url("**/ideas/**")
    assert page.get_by_role("heading", level=1).inner_text() == expected
