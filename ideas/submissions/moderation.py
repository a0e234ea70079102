"""Shortlisting, declining, hiding, merging and reports.

Only the staff of the challenge's company (or an admin) moderate: `can_manage`.
Every status change is recorded as an IdeaDecision with its reason, so no author is
left without an answer; a merge records what moved, so it can be undone exactly.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select, update

from ideas.accounts.models import User
from ideas.challenges.models import Challenge
from ideas.challenges.policy import can_manage
from ideas.core import events, languages
from ideas.core.db import utcnow
from ideas.core.errors import Invalid, InvalidTransition, NotAllowed, NotFound
from ideas.extensions import db
from ideas.submissions import policy, statuses
from ideas.submissions.counters import move_comment_counters, recount_idea_votes, sync_idea_count
from ideas.submissions.models import (
    Comment,
    Idea,
    IdeaCoauthor,
    IdeaDecision,
    IdeaMerge,
    Report,
    Vote,
)
from ideas.submissions.policy import can_view_idea
from ideas.submissions.votes import refund_budget

MIN_FEEDBACK = 10
MAX_TEXT = 2000
SHORTLISTABLE = statuses.SHORTLISTABLE
DECLINABLE = statuses.DECLINABLE
MERGEABLE = statuses.MERGEABLE


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def require_staff(actor, challenge: Challenge) -> None:
    if not _authenticated(actor) or not can_manage(actor, challenge):
        raise NotAllowed(_("Only the challenge's staff can do this."))


def reason_text(text: str | None, *, field: str = "reason", required: bool = False, min_len: int = 0) -> str:
    text = (text or "").strip()
    if required and not text:
        raise Invalid(_("Please give a reason."), field=field)
    if min_len and len(text) < min_len:
        raise Invalid(ngettext("Please write at least %(num)d character.", "Please write at least %(num)d characters.", min_len), field=field)
    if len(text) > MAX_TEXT:
        raise Invalid(ngettext("Please write at most %(num)d character.", "Please write at most %(num)d characters.", MAX_TEXT), field=field)
    return text


def staff_panel(user, idea) -> dict:
    """What the staff actions box of an idea page shows (template: submissions/_staff_actions.html)."""
    is_staff = _authenticated(user) and can_manage(user, idea.challenge)
    member = _authenticated(user) and getattr(user, "is_verified", False)
    return {
        "idea": idea,
        "is_staff": is_staff,
        "can_shortlist": is_staff and idea.status in SHORTLISTABLE,
        "can_decline": is_staff and idea.status in DECLINABLE,
        "can_reconsider": is_staff and idea.status == "declined" and idea.challenge.phase != "closed",
        "can_hide": is_staff and idea.hidden_at is None,
        "can_unhide": is_staff and idea.hidden_at is not None,
        "can_merge": is_staff and idea.status in MERGEABLE,
        "can_set_language": is_staff,
        "language_choices": languages.choices() if is_staff else [],
        "can_report": bool(member) and not is_staff and not policy.is_author(user, idea),
    }


# -- decisions ---------------------------------------------------------------

def decide(actor, idea: Idea, to_status: str, reason: str, now=None, *, closing: bool = False,
           held: bool = False, via: str = "") -> IdeaDecision:
    """Record a status change with its reason and announce it (`closing`: decided as
    the challenge closes, the closing notice tells the authors; `held`: the authors are
    told later, as when judging results are published; `via`: the module deciding, for
    receivers of `idea_status_changing` that may refuse)."""
    events.idea_status_changing.send(idea, idea=idea, to_status=to_status, actor=actor, closing=closing, via=via)
    now = now or utcnow()
    decision = IdeaDecision(idea_id=idea.id, from_status=idea.status, to_status=to_status,
                            reason=reason, actor_id=actor.id, created_at=now)
    db.session.add(decision)
    from_status = idea.status
    idea.status = to_status
    idea.status_reason = reason
    idea.decided_at = now
    idea.decided_by_id = actor.id
    idea.updated_at = now
    db.session.flush()
    events.idea_status_changed.send(idea, idea=idea, from_status=from_status, to_status=to_status,
                                    reason=reason, actor=actor, closing=closing, held=held)
    return decision


def shortlist(actor, idea: Idea, reason: str = "", now=None) -> IdeaDecision:
    """Put a submitted idea on the shortlist the judges see."""
    require_staff(actor, idea.challenge)
    if idea.status not in SHORTLISTABLE:
        raise InvalidTransition(_("Only submitted ideas can be shortlisted."))
    return decide(actor, idea, "shortlisted", reason_text(reason), now)


def shortlist_top(actor, challenge: Challenge, n: int, reason: str = "", now=None) -> list[Idea]:
    """Shortlist the N best-scored submitted ideas (not hidden) of a challenge."""
    require_staff(actor, challenge)
    if not isinstance(n, int) or n < 1 or n > 500:
        raise Invalid(_("Choose how many ideas to shortlist (1 to 500)."), field="n")
    reason = reason_text(reason)
    ideas = list(db.session.scalars(
        select(Idea).where(Idea.challenge_id == challenge.id, Idea.status.in_(SHORTLISTABLE),
                           Idea.hidden_at.is_(None))
        .order_by(Idea.score.desc(), Idea.up_votes.desc(), Idea.id).limit(n)
    ))
    for idea in ideas:
        decide(actor, idea, "shortlisted", reason, now)
    return ideas


def decline(actor, idea: Idea, feedback: str, now=None, *, held: bool = False) -> IdeaDecision:
    """Decline an idea with feedback to its author (required, at least MIN_FEEDBACK characters)."""
    require_staff(actor, idea.challenge)
    feedback = reason_text(feedback, field="feedback", required=True, min_len=MIN_FEEDBACK)
    if idea.status not in DECLINABLE:
        raise InvalidTransition(_("This idea can no longer be declined."))
    return decide(actor, idea, "declined", feedback, now, held=held)


def reconsider(actor, idea: Idea, reason: str, now=None) -> IdeaDecision:
    """Take back a decline: the idea returns to the status it had before (submitted or
    shortlisted), with a reason its authors are told. Not once the challenge is closed:
    its outcomes are final."""
    require_staff(actor, idea.challenge)
    reason = reason_text(reason, field="reason", required=True, min_len=MIN_FEEDBACK)
    if idea.status != "declined":
        raise InvalidTransition(_("Only a declined idea can be reconsidered."))
    if idea.challenge.phase == "closed":
        raise InvalidTransition(_("The challenge is closed: its outcomes are final."))
    before = db.session.scalar(select(IdeaDecision.from_status).where(
        IdeaDecision.idea_id == idea.id, IdeaDecision.to_status == "declined")
        .order_by(IdeaDecision.id.desc()).limit(1))
    back = before if before in ("submitted", "shortlisted") else statuses.INITIAL
    return decide(actor, idea, back, reason, now)


# -- hiding ------------------------------------------------------------------

def _listed_changed(idea: Idea) -> None:
    """The idea joined or left the public list: the challenge's count follows."""
    sync_idea_count(idea.challenge_id)
    db.session.expire(idea.challenge, ["idea_count"])


def hide_idea(actor, idea: Idea, reason: str, now=None) -> None:
    """Hide an idea from everyone but its authors and staff; its status is kept."""
    require_staff(actor, idea.challenge)
    reason = reason_text(reason, required=True)
    if idea.hidden_at is not None:
        raise InvalidTransition(_("This idea is hidden already."))
    idea.hidden_at = now or utcnow()
    idea.hidden_reason = reason
    idea.hidden_by_id = actor.id
    db.session.flush()
    _listed_changed(idea)
    events.idea_hidden.send(idea, idea=idea, reason=reason, actor=actor)


def unhide_idea(actor, idea: Idea, now=None) -> None:
    require_staff(actor, idea.challenge)
    if idea.hidden_at is None:
        raise InvalidTransition(_("This idea is not hidden."))
    idea.hidden_at = None
    idea.hidden_reason = ""
    idea.hidden_by_id = None
    db.session.flush()
    _listed_changed(idea)


def set_language(actor, idea: Idea, language: str) -> None:
    """Staff correct the language an idea is recorded in, at any stage (authors do it
    on their edit page while the idea is editable); AUTO detects it again."""
    require_staff(actor, idea.challenge)
    idea.language = languages.resolve(language, languages.content_text(idea.title, idea.summary, idea.description))
    db.session.flush()


def hide_comment(actor, comment: Comment, reason: str, now=None, *, report: Report | None = None) -> None:
    """Hide a comment (reason required, shown in its place); it leaves the comment counts.
    Hidden because of `report` (a report on this comment), that report is resolved too."""
    if report is not None and report.comment_id != comment.id:
        raise Invalid(_("That report is about something else."), field="report_id")
    idea = db.session.get(Idea, comment.idea_id)
    require_staff(actor, idea.challenge)
    reason = reason_text(reason, required=True)
    if comment.hidden_at is not None:
        raise InvalidTransition(_("This comment is hidden already."))
    comment.hidden_at = now or utcnow()
    comment.hidden_reason = reason
    comment.hidden_by_id = actor.id
    db.session.flush()
    if comment.deleted_at is None:
        move_comment_counters(comment, -1)
    events.comment_hidden.send(comment, comment=comment, reason=reason, actor=actor)
    if report is not None and report.resolved_at is None:
        resolve_report(actor, report, _("Comment hidden"), now=now)


def unhide_comment(actor, comment: Comment) -> None:
    idea = db.session.get(Idea, comment.idea_id)
    require_staff(actor, idea.challenge)
    if comment.hidden_at is None:
        raise InvalidTransition(_("This comment is not hidden."))
    comment.hidden_at = None
    comment.hidden_reason = ""
    comment.hidden_by_id = None
    db.session.flush()
    if comment.deleted_at is None:
        move_comment_counters(comment, +1)


# -- merging -----------------------------------------------------------------

def _authors(idea: Idea) -> set[int]:
    ids = {idea.author_id}
    ids.update(db.session.scalars(select(IdeaCoauthor.user_id).where(IdeaCoauthor.idea_id == idea.id)))
    return ids


MERGE_CANDIDATES = 10


def merge_candidates(actor, source: Idea, query: str = "", limit: int = MERGE_CANDIDATES) -> list:
    """The ideas of the source's challenge it may be merged into, for the staff's picker:
    by number ("123" or "#123") or by words of the title, best-voted first; rows of
    (id, title, author_name, up_votes). One query, at most `limit` rows."""
    require_staff(actor, source.challenge)
    query = (query or "").strip()[:100]
    stmt = (select(Idea.id, Idea.title, User.display_name.label("author_name"), Idea.up_votes)
            .join(User, User.id == Idea.author_id)
            .where(Idea.challenge_id == source.challenge_id, Idea.id != source.id,
                   Idea.status.in_(statuses.MERGE_TARGETS), Idea.hidden_at.is_(None)))
    number = query.lstrip("#")
    if number.isdigit() and len(number) < 10:
        stmt = stmt.where(Idea.id == int(number))
    elif query:
        for word in query.split()[:5]:
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            stmt = stmt.where(Idea.title.ilike(f"%{escaped}%", escape="\\"))
    return list(db.session.execute(stmt.order_by(Idea.score.desc(), Idea.id).limit(limit)))


def merge(actor, source: Idea, target: Idea, reason: str = "", now=None) -> IdeaMerge:
    """Merge a duplicate (source) into target: its authors become co-authors, its votes
    move unless the voter already voted on the target, and its page redirects there."""
    require_staff(actor, source.challenge)
    if source.id == target.id:
        raise Invalid(_("An idea cannot be merged into itself."), field="target_id")
    if source.challenge_id != target.challenge_id:
        raise Invalid(_("Both ideas must belong to the same challenge."), field="target_id")
    if source.status not in MERGEABLE:
        raise InvalidTransition(_("This idea can no longer be merged."))
    if target.status not in statuses.MERGE_TARGETS:
        raise Invalid(_("The target idea is closed; choose another one."), field="target_id")
    now = now or utcnow()
    record = IdeaMerge(source_id=source.id, target_id=target.id, actor_id=actor.id, reason=reason_text(reason),
                       source_prior_status=source.status, kept_vote_ids=[], created_at=now)
    db.session.add(record)
    db.session.flush()
    target_authors = _authors(target)
    for user_id in sorted(_authors(source) - target_authors):
        db.session.add(IdeaCoauthor(idea_id=target.id, user_id=user_id, added_at=now, via_merge_id=record.id))
    voted_on_target = set(db.session.scalars(select(Vote.user_id).where(Vote.idea_id == target.id)))
    kept: list[int] = []
    moved_voters: list[int] = []
    for vote in db.session.scalars(select(Vote).where(Vote.idea_id == source.id).order_by(Vote.id)):
        if vote.user_id in voted_on_target or vote.user_id in target_authors:
            kept.append(vote.id)
            continue
        vote.idea_id = target.id
        vote.moved_by_merge_id = record.id
        vote.moved_from_idea_id = source.id
        moved_voters.append(vote.user_id)
    record.kept_vote_ids = kept
    from_status = source.status
    source.status = "merged"
    source.merged_into_id = target.id
    db.session.add(IdeaDecision(idea_id=source.id, from_status=from_status, to_status="merged",
                                reason=record.reason, actor_id=actor.id, created_at=now))
    db.session.flush()
    recount_idea_votes(source)
    recount_idea_votes(target)
    db.session.flush()
    _listed_changed(source)
    events.idea_merged.send(record, merge=record, source=source, target=target, actor=actor,
                            moved_voter_ids=moved_voters)
    return record


def undo_merge(actor, record: IdeaMerge, now=None) -> None:
    """Reverse a merge: moved votes go back, co-authorships from it go, the source reopens."""
    source, target = record.source, record.target
    require_staff(actor, source.challenge)
    if record.undone_at is not None:
        raise InvalidTransition(_("This merge was undone already."))
    now = now or utcnow()
    moved_voters: list[int] = []
    for vote in db.session.scalars(select(Vote).where(Vote.moved_by_merge_id == record.id)):
        moved_voters.append(vote.user_id)
        vote.idea_id = record.source_id
        vote.moved_by_merge_id = None
        vote.moved_from_idea_id = None
    for coauthor in db.session.scalars(select(IdeaCoauthor).where(IdeaCoauthor.via_merge_id == record.id)):
        db.session.delete(coauthor)
    source.status = record.source_prior_status
    source.merged_into_id = None
    db.session.add(IdeaDecision(idea_id=source.id, from_status="merged", to_status=record.source_prior_status,
                                reason=_("Merge undone"), actor_id=actor.id, created_at=now))
    record.undone_at = now
    record.undone_by_id = actor.id
    db.session.flush()
    recount_idea_votes(source)
    recount_idea_votes(target)
    db.session.flush()
    _listed_changed(source)
    db.session.expire(target, ["coauthors"])
    events.idea_merge_undone.send(record, merge=record, actor=actor, moved_voter_ids=moved_voters)


MOVED_VOTE_CHOICES = ("keep", "back", "remove")


def moved_vote(voter, record: IdeaMerge) -> Vote | None:
    """The voter's vote that this merge moved onto its target, while it is still there."""
    if not _authenticated(voter):
        return None
    return db.session.scalar(select(Vote).where(Vote.moved_by_merge_id == record.id, Vote.user_id == voter.id))


def object_to_moved_vote(voter, record: IdeaMerge, choice: str, now=None) -> Vote | None:
    """A voter whose vote a merge moved decides: "keep" it on the target, move it "back"
    to the idea they voted for (it then counts there, and stays there if the merge is
    undone), or "remove" it. Returns the vote (None once removed)."""
    if choice not in MOVED_VOTE_CHOICES:
        raise Invalid(_("Choose to keep, move back or remove your vote."), field="choice")
    vote = moved_vote(voter, record)
    if vote is None:
        raise NotFound(_("This merge did not move a vote of yours, or you decided already."))
    if record.undone_at is not None:
        raise InvalidTransition(_("This merge was undone: your vote is back where you cast it."))
    target = record.target
    if choice == "keep":
        vote.moved_by_merge_id = None  # settled: the voter stands by it on the target
        vote.moved_from_idea_id = None
        db.session.flush()
        return vote
    if choice == "back":
        vote.idea_id = record.source_id
        vote.moved_by_merge_id = None
        vote.moved_from_idea_id = None
        db.session.flush()
        recount_idea_votes(record.source)
        recount_idea_votes(target)
        db.session.flush()
        events.moved_vote_settled.send(record, merge=record, voter=voter, choice=choice)
        return vote
    value = vote.value
    db.session.delete(vote)
    db.session.flush()
    if value == 1 and target.challenge.vote_budget:
        refund_budget(voter, target.challenge)
    recount_idea_votes(target)
    db.session.execute(update(Challenge).where(Challenge.id == target.challenge_id)
                       .values(vote_count=Challenge.vote_count - 1).execution_options(synchronize_session=False))
    db.session.expire(target.challenge, ["vote_count"])
    db.session.flush()
    events.moved_vote_settled.send(record, merge=record, voter=voter, choice=choice)
    return None


def merges(challenge: Challenge) -> list[IdeaMerge]:
    return list(db.session.scalars(
        select(IdeaMerge).join(Idea, Idea.id == IdeaMerge.source_id)
        .where(Idea.challenge_id == challenge.id).order_by(IdeaMerge.created_at.desc(), IdeaMerge.id.desc())
    ))


# -- reports -----------------------------------------------------------------

def report(member, idea: Idea | None = None, comment: Comment | None = None, reason: str = "", now=None) -> Report:
    """A member flags an idea or a comment to the challenge's staff."""
    if not _authenticated(member) or not getattr(member, "is_verified", False):
        raise NotAllowed(_("Please confirm your email address to report content."))
    if (idea is None) == (comment is None):
        raise Invalid(_("Report either an idea or a comment."))
    subject_idea = idea if idea is not None else db.session.get(Idea, comment.idea_id)
    if subject_idea is None or not can_view_idea(member, subject_idea):
        raise NotFound(_("Not found."))
    reason = reason_text(reason, required=True)
    already = db.session.scalar(select(Report).where(
        Report.reporter_id == member.id, Report.resolved_at.is_(None),
        Report.idea_id == idea.id if idea is not None else Report.comment_id == comment.id))
    if already is not None:  # one open report per member and thing: the staff see it once
        return already
    record = Report(challenge_id=subject_idea.challenge_id, reporter_id=member.id,
                    idea_id=idea.id if idea is not None else None,
                    comment_id=comment.id if comment is not None else None,
                    reason=reason, created_at=now or utcnow())
    db.session.add(record)
    db.session.flush()
    events.content_reported.send(record, report=record, reporter=member)
    return record


def report_queue(challenge: Challenge) -> dict:
    """The moderation page's open reports with the ideas and comments they are about."""
    reports = open_reports(challenge)
    idea_ids = {r.idea_id for r in reports if r.idea_id}
    comment_ids = {r.comment_id for r in reports if r.comment_id}
    comments = ({c.id: c for c in db.session.scalars(select(Comment).where(Comment.id.in_(comment_ids)))}
                if comment_ids else {})
    idea_ids.update(c.idea_id for c in comments.values())
    ideas = {i.id: i for i in db.session.scalars(select(Idea).where(Idea.id.in_(idea_ids)))} if idea_ids else {}
    return {"reports": reports, "ideas": ideas, "comments": comments}


def open_reports(challenge: Challenge) -> list[Report]:
    return list(db.session.scalars(
        select(Report).where(Report.challenge_id == challenge.id, Report.resolved_at.is_(None))
        .order_by(Report.created_at, Report.id)
    ))


def resolve_report(actor, record: Report, resolution: str = "", now=None) -> None:
    challenge = db.session.get(Challenge, record.challenge_id)
    require_staff(actor, challenge)
    if record.resolved_at is not None:
        raise InvalidTransition(_("This report is resolved already."))
    record.resolved_at = now or utcnow()
    record.resolved_by_id = actor.id
    record.resolution = (resolution or "").strip()[:300] or _("Resolved")
    db.session.flush()
