"""Testing an iteration: members sign up (limited places; staff confirm each tester, or
first come first served; then a waiting list), confirmed testers rate the iteration
against each of the challenge's success criteria (1 to 5) with what worked, what did
not and images, staff reply; the scores per iteration and criterion for the chart.

Places are counted by `Iteration.held_places`, raised by a conditional UPDATE, so two
members cannot both take the last place; a sign-up and a feedback are unique per member
and iteration in the database."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ideas.challenges.models import ChallengeCriterion
from ideas.core import events, uploads
from ideas.core.db import utcnow
from ideas.core.errors import Invalid, InvalidTransition, NotAllowed, NotFound
from ideas.extensions import db
from ideas.prototypes import policy, statuses
from ideas.prototypes.models import (
    CriterionRating,
    FeedbackImage,
    Iteration,
    Prototype,
    TesterSignup,
    TestFeedback,
)
from ideas.prototypes.services import clean, iterations, parse_places, require_staff, store_images

RATING = (1, 5)
MAX_FEEDBACK_IMAGES = 4


def _prototype(iteration: Iteration) -> Prototype:
    return db.session.get(Prototype, iteration.prototype_id)


def set_test(actor, iteration: Iteration, *, open_: bool, places=None, waiting_places=None,
             signup_mode: str | None = None) -> Iteration:
    """Staff open or close an iteration's sign-up, and set its places (never below the
    testers confirmed) and mode."""
    prototype = _prototype(iteration)
    require_staff(actor, prototype.challenge)
    new_places = iteration.places if places is None else parse_places(places, "places")
    new_waiting = iteration.waiting_places if waiting_places is None else parse_places(waiting_places, "waiting_places")
    if new_places < iteration.held_places:
        raise Invalid(ngettext("%(num)d tester is confirmed already: there cannot be fewer places.",
                               "%(num)d testers are confirmed already: there cannot be fewer places.",
                               iteration.held_places), field="places")
    if signup_mode is not None and signup_mode not in statuses.SIGNUP_MODES:
        raise Invalid(_("Choose how testers get their places."), field="signup_mode")
    if open_ and prototype.status in statuses.FINAL:
        raise InvalidTransition(_("This prototype is %(status)s: its tests are over.",
                                  status=statuses.label(prototype.status).lower()))
    if open_ and new_places == 0:
        raise Invalid(_("Give the test at least one place."), field="places")
    iteration.places, iteration.waiting_places = new_places, new_waiting
    if signup_mode is not None:
        iteration.signup_mode = signup_mode
    iteration.test_open = bool(open_)
    db.session.flush()
    return iteration


def signup_of(user, iteration: Iteration) -> TesterSignup | None:
    if not policy.authenticated(user):
        return None
    return db.session.scalar(select(TesterSignup).where(TesterSignup.iteration_id == iteration.id,
                                                        TesterSignup.user_id == user.id))


def _count(iteration: Iteration, *states: str) -> int:
    return db.session.scalar(select(func.count(TesterSignup.id)).where(
        TesterSignup.iteration_id == iteration.id, TesterSignup.status.in_(states))) or 0


def _take_place(iteration: Iteration) -> bool:
    taken = db.session.execute(
        update(Iteration).where(Iteration.id == iteration.id, Iteration.held_places < Iteration.places)
        .values(held_places=Iteration.held_places + 1).execution_options(synchronize_session=False))
    db.session.refresh(iteration, ["held_places"])
    return taken.rowcount == 1


def _free_place(iteration: Iteration) -> None:
    db.session.execute(update(Iteration).where(Iteration.id == iteration.id, Iteration.held_places > 0)
                       .values(held_places=Iteration.held_places - 1).execution_options(synchronize_session=False))
    db.session.refresh(iteration, ["held_places"])


def sign_up(user, iteration: Iteration, now=None) -> TesterSignup:
    """Sign up to test: first come first served takes a free place at once, "confirm"
    asks the staff; when the places are taken, the waiting list; when it is full too,
    or the test is closed, a clear refusal and nothing saved."""
    prototype = _prototype(iteration)
    if not policy.can_view(user, prototype):
        raise NotFound(_("We could not find that prototype."))
    why = policy.signup_refusal(user, prototype)
    if why:
        raise NotAllowed(why)
    if not iteration.test_open or prototype.status in statuses.FINAL:
        raise InvalidTransition(_("Sign-up for this test is closed."))
    existing = signup_of(user, iteration)
    if existing is not None and existing.status != "withdrawn":
        raise InvalidTransition(_("You signed up for this test already (%(status)s).",
                                  status=statuses.signup_label(existing.status).lower()))
    waiting = _count(iteration, "waiting")
    if iteration.signup_mode == "first_come":
        status = "confirmed" if iteration.held_places < iteration.places else "waiting"
    else:
        pending = _count(iteration, "pending")
        status = "pending" if iteration.held_places + pending < iteration.places else "waiting"
    if status == "waiting" and waiting >= iteration.waiting_places:
        raise InvalidTransition(_("This test is full: every place and the waiting list are taken."))
    if status == "confirmed" and not _take_place(iteration):
        status = "waiting"  # the last place went to someone else a moment ago
        if waiting >= iteration.waiting_places:
            raise InvalidTransition(_("This test is full: every place and the waiting list are taken."))
    now = now or utcnow()
    if existing is None:
        existing = TesterSignup(iteration_id=iteration.id, user_id=user.id)
        try:
            with db.session.begin_nested():
                db.session.add(existing)
                existing.status, existing.created_at = status, now
                db.session.flush()
        except IntegrityError:
            raise InvalidTransition(_("You signed up for this test already.")) from None
    existing.status = status
    existing.created_at = now
    existing.decided_at = now if status == "confirmed" else None
    db.session.flush()
    return existing


def confirm(actor, signup: TesterSignup, now=None) -> TesterSignup:
    """Staff give a pending or waiting member a place, if one is free."""
    iteration = db.session.get(Iteration, signup.iteration_id)
    require_staff(actor, _prototype(iteration).challenge)
    if signup.status not in ("pending", "waiting"):
        raise InvalidTransition(_("This tester is %(status)s.", status=statuses.signup_label(signup.status).lower()))
    if not _take_place(iteration):
        raise InvalidTransition(_("Every place is taken: raise the number of places or release a tester first."))
    signup.status = "confirmed"
    signup.decided_at = now or utcnow()
    db.session.flush()
    return signup


def withdraw(actor, signup: TesterSignup, now=None) -> TesterSignup:
    """The tester withdraws, or staff release them; with first come first served the
    first on the waiting list takes the freed place."""
    iteration = db.session.get(Iteration, signup.iteration_id)
    prototype = _prototype(iteration)
    own = policy.authenticated(actor) and signup.user_id == actor.id
    if not own:
        require_staff(actor, prototype.challenge)
    if signup.status == "withdrawn":
        raise InvalidTransition(_("This sign-up is withdrawn already."))
    now = now or utcnow()
    held = signup.status == "confirmed"
    signup.status = "withdrawn"
    signup.decided_at = now
    db.session.flush()
    if held:
        _free_place(iteration)
        if iteration.signup_mode == "first_come":
            following = db.session.scalar(select(TesterSignup).where(
                TesterSignup.iteration_id == iteration.id, TesterSignup.status == "waiting")
                .order_by(TesterSignup.created_at, TesterSignup.id).limit(1))
            if following is not None and _take_place(iteration):
                following.status = "confirmed"
                following.decided_at = now
                db.session.flush()
    return signup


def testers(iteration: Iteration) -> list[TesterSignup]:
    return list(db.session.scalars(select(TesterSignup).where(TesterSignup.iteration_id == iteration.id,
                                                              TesterSignup.status != "withdrawn")
                                   .options(selectinload(TesterSignup.user))
                                   .order_by(TesterSignup.created_at, TesterSignup.id)))


# -- feedback -----------------------------------------------------------------------

def criteria(prototype: Prototype) -> list[ChallengeCriterion]:
    return list(db.session.scalars(select(ChallengeCriterion).where(
        ChallengeCriterion.challenge_id == prototype.challenge_id).order_by(ChallengeCriterion.position)))


def give_feedback(tester, iteration: Iteration, ratings: Mapping, worked: str = "", did_not_work: str = "",
                  images=(), now=None) -> TestFeedback:
    """A confirmed tester rates the iteration against every success criterion (1 to 5),
    once, with what worked, what did not and images."""
    prototype = _prototype(iteration)
    if not policy.can_view(tester, prototype):
        raise NotFound(_("We could not find that prototype."))
    signup = signup_of(tester, iteration)
    if signup is None or signup.status != "confirmed":
        raise NotAllowed(_("Only the confirmed testers of this iteration give feedback."))
    if db.session.scalar(select(TestFeedback.id).where(TestFeedback.iteration_id == iteration.id,
                                                       TestFeedback.tester_id == tester.id)) is not None:
        raise InvalidTransition(_("You gave your feedback on this iteration already."))
    parsed = {}
    for criterion in criteria(prototype):
        raw = (ratings or {}).get(criterion.id, (ratings or {}).get(str(criterion.id)))
        field = f"rating-{criterion.id}"
        try:
            value = int(str(raw if raw is not None else "").strip())
        except ValueError:
            raise Invalid(_("Rate “%(c)s”.", c=criterion.text), field=field) from None
        if not RATING[0] <= value <= RATING[1]:
            raise Invalid(_("Rate “%(c)s” from %(low)d to %(high)d.", c=criterion.text, low=RATING[0],
                            high=RATING[1]), field=field)
        parsed[criterion.id] = value
    worked = clean(worked, "worked", limit=5000)
    did_not_work = clean(did_not_work, "did_not_work", limit=5000)
    stored = store_images(images, limit=MAX_FEEDBACK_IMAGES)
    now = now or utcnow()
    feedback = TestFeedback(iteration_id=iteration.id, tester_id=tester.id, worked=worked,
                            did_not_work=did_not_work, created_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(feedback)
            db.session.flush()
    except IntegrityError:
        for image in stored:  # nothing is kept of a refused feedback
            uploads.delete_image(image.filename, private=True)
        raise InvalidTransition(_("You gave your feedback on this iteration already.")) from None
    for cid, value in parsed.items():
        feedback.ratings.append(CriterionRating(criterion_id=cid, value=value))
    for position, image in enumerate(stored, start=1):
        feedback.images.append(FeedbackImage(position=position, filename=image.filename, width=image.width,
                                             height=image.height, alt=image.alt))
    db.session.execute(update(Iteration).where(Iteration.id == iteration.id)
                       .values(feedback_count=Iteration.feedback_count + 1).execution_options(synchronize_session=False))
    db.session.flush()
    db.session.refresh(iteration, ["feedback_count"])
    events.prototype_feedback_given.send(prototype, prototype=prototype, iteration=iteration, feedback=feedback,
                                         tester=tester)
    return feedback


def reply(actor, feedback: TestFeedback, text: str, now=None) -> TestFeedback:
    """Staff answer a tester's feedback (the tester is told)."""
    iteration = db.session.get(Iteration, feedback.iteration_id)
    prototype = _prototype(iteration)
    require_staff(actor, prototype.challenge)
    feedback.reply = clean(text, "reply", required=True, limit=5000, message=_("Write the reply first."))
    feedback.replied_at = now or utcnow()
    feedback.replied_by_id = actor.id
    db.session.flush()
    events.prototype_feedback_replied.send(prototype, prototype=prototype, feedback=feedback, actor=actor)
    return feedback


def feedback_for(user, iteration: Iteration) -> list[TestFeedback]:
    """The feedback the user may read on an iteration: all for staff, their own otherwise."""
    prototype = _prototype(iteration)
    query = (select(TestFeedback).where(TestFeedback.iteration_id == iteration.id)
             .options(selectinload(TestFeedback.ratings), selectinload(TestFeedback.images),
                      selectinload(TestFeedback.tester)).order_by(TestFeedback.id))
    if not policy.is_staff(user, prototype.challenge):
        if not policy.authenticated(user):
            return []
        query = query.where(TestFeedback.tester_id == user.id)
    return list(db.session.scalars(query))


def scores(prototype: Prototype) -> dict:
    """The mean rating of each iteration on each criterion, with the number of ratings:
    {"iterations": [...], "criteria": [...], "cells": {(iteration_id, criterion_id): (mean, n)}}
    (one query for the ratings whatever their number)."""
    its = iterations(prototype)
    crits = criteria(prototype)
    cells = {}
    if its:
        for iteration_id, criterion_id, mean, n in db.session.execute(
                select(TestFeedback.iteration_id, CriterionRating.criterion_id, func.avg(CriterionRating.value),
                       func.count(CriterionRating.id))
                .join(CriterionRating, CriterionRating.feedback_id == TestFeedback.id)
                .where(TestFeedback.iteration_id.in_([i.id for i in its]))
                .group_by(TestFeedback.iteration_id, CriterionRating.criterion_id)):
            cells[(iteration_id, criterion_id)] = (float(mean), n)
    return {"iterations": its, "criteria": crits, "cells": cells}
