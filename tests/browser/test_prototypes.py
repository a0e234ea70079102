"""Journey: staff make a prototype of a selected idea, add an iteration and open its
test; a member signs up as a tester and gives feedback against the success criteria;
staff see it with the iteration's scores.

It starts from the idea the judging journey selected (tests/browser/test_judging.py
runs first); run alone, the same selection is made through the judging services."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from ideas.accounts.models import User
from ideas.challenges.models import Challenge
from ideas.submissions.models import Idea
from tests.browser.conftest import demo_email, login

DISHWASHER = "A dishwasher you can't hear from the sofa"


@pytest.fixture
def selected_idea(live) -> str:
    """The title of a selected idea of the dishwasher challenge (Lumora Home's)."""
    query = (select(Idea.title).join(Challenge, Challenge.id == Idea.challenge_id)
             .where(Challenge.title == DISHWASHER, Idea.status == "selected").order_by(Idea.id))
    title = live.scalar(query)
    if title is None:
        from ideas.extensions import db
        from ideas.judging import services

        with live.app.app_context():
            try:
                staff = db.session.scalar(select(User).where(User.email == demo_email("tom.hale")))
                challenge = db.session.scalar(select(Challenge).where(Challenge.title == DISHWASHER))
                ideas = db.session.scalars(select(Idea).where(Idea.challenge_id == challenge.id,
                                                              Idea.status == "shortlisted").order_by(Idea.id)).all()
                for k, idea in enumerate(ideas):
                    decide = services.select_idea if k == 0 else services.decline_idea
                    decide(staff, idea, "Decided for the prototype journey, run on its own.")
                services.publish_results(staff, challenge)
                db.session.commit()
            finally:
                db.session.remove()
        title = live.scalar(query)
    assert title
    return title


def test_tester_gives_prototype_feedback(page, new_page, live, selected_idea):
    login(page, "tom.hale")
    page.goto(live.idea_path(selected_idea))
    page.get_by_role("link", name="Make a prototype").first.click()
    page.wait_for_url("**/prototype")
    page.locator("#title").fill(f"{selected_idea}: bench rig")
    page.locator("#summary").fill("A bench rig in the lab, then ten homes.")
    with page.expect_navigation():
        page.get_by_role("button", name="Create the prototype").click()
    assert page.get_by_text("The prototype is created and the idea is now prototyped.").is_visible()

    page.locator("#description").fill("First build: the new part on a standard machine.")
    page.locator("#places").fill("3")
    page.locator("#waiting_places").fill("1")
    page.locator("#signup_mode").select_option("first_come")
    with page.expect_navigation():
        page.get_by_role("button", name="Add the iteration").click()
    assert page.get_by_text("The iteration is added. Open its test when it is ready for testers.").is_visible()
    prototype_url = page.url.split("#")[0]

    iteration = page.locator("#iteration-1")
    iteration.get_by_text("Test settings and testers").click()
    with page.expect_navigation():
        iteration.get_by_role("button", name="Open sign-up").click()
    assert page.get_by_text("Sign-up is open.").is_visible()
    assert page.locator("#iteration-1").get_by_text("sign-up open").is_visible()

    tester = new_page()
    login(tester, "sophie.martin")
    tester.goto(prototype_url)
    with tester.expect_navigation():
        tester.locator("#iteration-1").get_by_role("button", name="Sign up to test").click()
    assert tester.get_by_text("You have a place as a tester.").is_visible()
    assert tester.locator("#iteration-1").get_by_text("Test: 1 of 3 places taken").is_visible()
    tester.locator("#iteration-1").get_by_role("link", name="Give feedback").click()
    tester.wait_for_url("**/feedback")

    # Sending without every rating is refused on the form, nothing saved.
    with tester.expect_navigation():
        tester.get_by_role("button", name="Send my feedback").click()
    assert tester.get_by_role("alert").first.is_visible()
    groups = tester.locator("form fieldset:has(input[type=radio])")
    assert groups.count() >= 1
    for k in range(groups.count()):
        groups.nth(k).locator("label.btn").nth(3).click()  # 4 of 5 on each criterion
    tester.locator("#worked").fill("Quiet through the whole programme.")
    tester.locator("#did_not_work").fill("The door rattled once.")
    with tester.expect_navigation():
        tester.get_by_role("button", name="Send my feedback").click()
    assert tester.get_by_text("Thank you for testing: your feedback is in.").is_visible()
    assert tester.locator("#iteration-1").get_by_text("Quiet through the whole programme.").is_visible()
    assert tester.locator("#iteration-1").get_by_role("link", name="Give feedback").count() == 0

    page.goto(prototype_url)
    assert page.locator("#iteration-1").get_by_text("Feedback by Sophie Martin").is_visible()
    scores = page.locator("table", has=page.get_by_role("columnheader", name=re.compile(r"1\.")))
    assert "4" in scores.locator("tbody").inner_text()
