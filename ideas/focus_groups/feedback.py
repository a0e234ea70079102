"""Feedback rounds: staff publish a short questionnaire (rating and free-text
questions), each member who sees inside answers once (a unique row in the database),
staff close the round and see the results aggregated: per rating question the count,
mean and distribution (for the chart and its table), per text question the texts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ideas.core import events
from ideas.core.db import utcnow
from ideas.core.errors import Invalid, InvalidTransition, NotAllowed
from ideas.extensions import db
from ideas.focus_groups import policy, statuses
from ideas.focus_groups.models import (
    FeedbackAnswer,
    FeedbackQuestion,
    FeedbackResponse,
    FeedbackRound,
    FocusGroup,
)
from ideas.focus_groups.services import (
    MAX_TITLE,
    clean_text,
    require_inside,
    require_staff,
    require_writable,
)

MAX_QUESTIONS = 12
MAX_ANSWER = 4000
SCALE = (1, 5)


def _questions(rows: Sequence[Mapping]) -> list[dict]:
    parsed = []
    for i, row in enumerate(rows or ()):
        text = (row.get("text") or "").strip()
        kind = (row.get("kind") or "rating").strip()
        if not text:
            continue
        if kind not in statuses.QUESTION_KINDS:
            raise Invalid(_("A question is a rating or free text."), field=f"questions-{i}-kind")
        if len(text) > 300:
            raise Invalid(ngettext("Please write at most %(num)d character.", "Please write at most %(num)d characters.", 300), field=f"questions-{i}-text")
        parsed.append({"kind": kind, "text": text})
    if not parsed:
        raise Invalid(_("Ask at least one question."), field="questions")
    if len(parsed) > MAX_QUESTIONS:
        raise Invalid(ngettext("A round has at most %(num)d question.", "A round has at most %(num)d questions.", MAX_QUESTIONS), field="questions")
    return parsed


def publish_round(actor, group: FocusGroup, *, title: str, intro: str = "", questions: Sequence[Mapping],
                  now=None) -> FeedbackRound:
    """Staff publish a questionnaire to the group: it is open for answers at once."""
    require_staff(actor, group.challenge)
    if group.archived_at is not None:
        raise InvalidTransition(_("This focus group is archived: it is read-only."))
    title = clean_text(title, "title", required=True, limit=MAX_TITLE, message=_("Give the round a title."))
    intro = clean_text(intro, "intro", limit=4000)
    parsed = _questions(questions)
    now = now or utcnow()
    round_ = FeedbackRound(group_id=group.id, title=title, intro=intro, status="open", opened_at=now,
                           created_by_id=actor.id, created_at=now)
    for position, q in enumerate(parsed, start=1):
        round_.questions.append(FeedbackQuestion(position=position, kind=q["kind"], text=q["text"],
                                                 scale_low=SCALE[0], scale_high=SCALE[1]))
    db.session.add(round_)
    db.session.flush()
    return round_


def has_answered(user, round_: FeedbackRound) -> bool:
    if not policy.authenticated(user):
        return False
    return db.session.scalar(select(FeedbackResponse.id).where(
        FeedbackResponse.round_id == round_.id, FeedbackResponse.user_id == user.id)) is not None


def answer(user, round_: FeedbackRound, answers: Mapping, now=None) -> FeedbackResponse:
    """A member answers an open round, once: every rating question on its scale, text
    answers optional."""
    group = db.session.get(FocusGroup, round_.group_id)
    require_writable(user, group)
    if policy.is_staff(user, group.challenge):
        raise NotAllowed(_("The round asks the group's members; staff read the results."))
    if round_.status != "open":
        raise InvalidTransition(_("This feedback round is closed."))
    if has_answered(user, round_):
        raise InvalidTransition(_("You answered this round already."))
    parsed: dict[int, tuple[int | None, str]] = {}
    for q in round_.questions:
        raw = (answers or {}).get(q.id, (answers or {}).get(str(q.id)))
        field = f"q-{q.id}"
        if q.kind == "rating":
            try:
                value = int(str(raw if raw is not None else "").strip())
            except ValueError:
                raise Invalid(_("“%(q)s”: choose a rating.", q=q.text), field=field) from None
            if not q.scale_low <= value <= q.scale_high:
                raise Invalid(_("“%(q)s”: rate from %(low)d to %(high)d.", q=q.text, low=q.scale_low,
                                high=q.scale_high), field=field)
            parsed[q.id] = (value, "")
        else:
            parsed[q.id] = (None, clean_text(raw, field, limit=MAX_ANSWER))
    now = now or utcnow()
    response = FeedbackResponse(round_id=round_.id, user_id=user.id, submitted_at=now)
    try:
        with db.session.begin_nested():  # a second answer racing this one hits the unique row
            db.session.add(response)
            db.session.flush()
    except IntegrityError:
        raise InvalidTransition(_("You answered this round already.")) from None
    for qid, (rating, text) in parsed.items():
        db.session.add(FeedbackAnswer(response_id=response.id, question_id=qid, rating=rating, text=text))
    db.session.execute(update(FeedbackRound).where(FeedbackRound.id == round_.id)
                       .values(response_count=FeedbackRound.response_count + 1)
                       .execution_options(synchronize_session=False))
    db.session.flush()
    db.session.refresh(round_, ["response_count"])
    events.focus_group_feedback_given.send(group, group=group, round=round_, response=response, user=user)
    return response


def close_round(actor, round_: FeedbackRound, now=None) -> FeedbackRound:
    group = db.session.get(FocusGroup, round_.group_id)
    require_staff(actor, group.challenge)
    if round_.status != "open":
        raise InvalidTransition(_("This feedback round is closed already."))
    round_.status = "closed"
    round_.closed_at = now or utcnow()
    db.session.flush()
    return round_


def rounds(user, group: FocusGroup) -> list[FeedbackRound]:
    require_inside(user, group)
    return list(db.session.scalars(select(FeedbackRound).where(FeedbackRound.group_id == group.id)
                                   .order_by(FeedbackRound.id.desc())))


def answered_round_ids(user, group: FocusGroup) -> set[int]:
    if not policy.authenticated(user):
        return set()
    return set(db.session.scalars(select(FeedbackResponse.round_id).join(
        FeedbackRound, FeedbackRound.id == FeedbackResponse.round_id)
        .where(FeedbackRound.group_id == group.id, FeedbackResponse.user_id == user.id)))


def results(actor, round_: FeedbackRound) -> list[dict]:
    """Staff's view of a round: for each question, in order, either
    {"question", "kind": "rating", "count", "mean", "distribution": [(value, n), ...]}
    or {"question", "kind": "text", "texts": [...]} (two queries whatever the size)."""
    group = db.session.get(FocusGroup, round_.group_id)
    require_staff(actor, group.challenge)
    counts: dict[int, dict[int, int]] = {}
    for qid, rating, n in db.session.execute(
            select(FeedbackAnswer.question_id, FeedbackAnswer.rating, func.count())
            .join(FeedbackQuestion, FeedbackQuestion.id == FeedbackAnswer.question_id)
            .where(FeedbackQuestion.round_id == round_.id, FeedbackAnswer.rating.is_not(None))
            .group_by(FeedbackAnswer.question_id, FeedbackAnswer.rating)):
        counts.setdefault(qid, {})[rating] = n
    texts: dict[int, list[str]] = {}
    for qid, text in db.session.execute(
            select(FeedbackAnswer.question_id, FeedbackAnswer.text)
            .join(FeedbackQuestion, FeedbackQuestion.id == FeedbackAnswer.question_id)
            .where(FeedbackQuestion.round_id == round_.id, FeedbackQuestion.kind == "text", FeedbackAnswer.text != "")
            .order_by(FeedbackAnswer.id)):
        texts.setdefault(qid, []).append(text)
    out = []
    for q in round_.questions:
        if q.kind == "rating":
            by_value = counts.get(q.id, {})
            distribution = [(v, by_value.get(v, 0)) for v in range(q.scale_low, q.scale_high + 1)]
            n = sum(c for _v, c in distribution)
            mean = sum(v * c for v, c in distribution) / n if n else None
            out.append({"question": q, "kind": "rating", "count": n, "mean": mean, "distribution": distribution})
        else:
            out.append({"question": q, "kind": "text", "texts": texts.get(q.id, [])})
    return out
