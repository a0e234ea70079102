"""Journeys from the shortlist to the decision: staff shortlist an idea (its author is
told), a judge completes a scorecard, and staff decide every judged idea from the
ranking and publish (the authors then read the decision and the judges' comments).

Order matters within this module: publishing closes the dishwasher challenge's judging,
so the judge's journey runs before the staff's decision (pytest keeps file order)."""

from __future__ import annotations

import re

from sqlalchemy import select

from ideas.accounts.models import User
from ideas.submissions.models import Idea
from tests.browser.conftest import login

WASHER = "Keep the washing machine fresh"
DISHWASHER = "A dishwasher you can't hear from the sofa"
ODOUR = "Odour sensor that schedules the cleaning cycle itself"  # james.okafor's, submitted


def test_staff_shortlist_an_idea(page, new_page, live):
    login(page, "tom.hale")
    page.goto(live.idea_path(ODOUR))
    actions = page.locator("#staff-actions")
    actions.get_by_role("button", name="Shortlist").first.click()
    actions.get_by_label("Note to the author (optional)").fill("Strong on the criteria; the judges will look at it.")
    with page.expect_navigation():
        actions.locator("form[action$='/shortlist'] button[type=submit]").click()
    assert page.get_by_text("The idea is on the shortlist. Its authors will be told.").is_visible()
    assert page.locator("main").get_by_text("Shortlisted", exact=True).first.is_visible()
    assert page.locator("#staff-actions").get_by_role("button", name="Shortlist").count() == 0

    page.goto(live.challenge_path(WASHER))
    assert page.locator("section", has=page.get_by_role("heading", name="Shortlist")).get_by_role(
        "link", name=ODOUR).is_visible()

    author = new_page()
    login(author, "james.okafor")
    author.goto("/notifications/")
    assert author.locator("main").get_by_text(ODOUR).first.is_visible()


def test_judge_scores_an_idea(page, live):
    zh = "zh"  # 刘芳's own language: the interface follows the member's setting
    login(page, "judge.liu")
    page.locator("nav a[href='/judging']").click()
    page.wait_for_url("**/judging")
    page.locator("main a[href^='/judging/challenges/']", has_text=DISHWASHER).first.click()
    page.wait_for_url(re.compile(r"/judging/challenges/\d+$"))
    # Her draft: the "cinema mode" idea, the one card of hers not submitted yet.
    draft = page.locator("main .list-group a", has_text="Режим «кино»")
    with page.expect_navigation():
        draft.click()

    form = page.locator("form", has=page.locator("button[name=action][value=submit]"))
    groups = form.locator("fieldset:has(input[type=radio])")
    assert groups.count() >= 1
    for k in range(groups.count()):
        groups.nth(k).locator("label.btn").last.click()  # the top of each scale
    form.locator("textarea[name=comment_for_author]").fill("把噪音最大的阶段推迟，这个想法简单而有效。")
    with page.expect_navigation():
        form.locator("button[name=action][value=submit]").click()
    assert page.get_by_text(live.gettext("Your scorecard is submitted. Thank you!", zh)).is_visible()
    assert re.search(r"/judging/challenges/\d+$", page.url)

    with page.expect_navigation():
        page.locator("main .list-group a", has_text="Режим «кино»").click()
    assert page.locator("form fieldset[disabled]").count() >= 1  # submitted: final
    assert page.locator("button[name=action][value=submit]").count() == 0


def test_staff_select_from_the_ranking_and_publish(page, new_page, live):
    page.on("dialog", lambda dialog: dialog.accept())  # "Publish the results now?"
    login(page, "tom.hale")
    page.goto(live.challenge_path(DISHWASHER))
    page.get_by_role("link", name="Judging").last.click()
    page.get_by_role("link", name="Open the ranking").click()
    page.wait_for_url("**/judging/ranking")

    rows = page.locator("table tbody tr", has=page.locator("details"))
    undecided = rows.count()
    assert undecided >= 2
    first = rows.first.locator("td").nth(1).locator("a").first.inner_text()
    for k in range(undecided):
        row = page.locator("table tbody tr", has=page.locator("details")).first
        row.locator("details summary").click()
        row.locator("textarea[name=reason]").fill(
            "The panel's clear favourite: refine it with members." if k == 0 else
            "Good thinking, but the panel ranked other ideas higher.")
        button = "Select for refinement" if k == 0 else "Decline"
        with page.expect_navigation():
            row.get_by_role("button", name=button).click()
        assert page.get_by_text("The decision is kept until you publish the results").is_visible()
    assert page.locator("table tbody tr", has=page.locator("details")).count() == 0
    assert page.get_by_text("to be published").count() == undecided

    page.goto(live.challenge_path(DISHWASHER, "/judging"))
    with page.expect_navigation():
        page.get_by_role("button", name="Publish the results").click()
    assert page.get_by_text("The results are published: every author is told the decision").is_visible()

    # The author of the selected idea reads the decision and the judges' comments.
    author_name = _author_of(live, first)
    author = new_page()
    login(author, author_name)
    author.goto(live.idea_path(first))
    assert author.locator("main").get_by_text(live.gettext("Selected", _locale_of(live, author_name)),
                                              exact=True).first.is_visible()
    assert author.locator("#judging li").count() >= 1


def _author_of(live, title: str) -> str:
    return live.scalar(select(User.email).join(Idea, Idea.author_id == User.id).where(Idea.title == title))


def _locale_of(live, email: str) -> str:
    return live.scalar(select(User.locale).where(User.email == email)) or "en"
