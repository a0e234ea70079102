"""Notices of judging: an invitation to a panel, a reminder of ideas left to score, and
the published results (each author hears the decision on their idea with the judges'
comments meant for them: without the judges' names under blind review).

Written in the transaction of the fact, in each recipient's language (see handlers.py)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ideas.core import events
from ideas.core.links import path_to
from ideas.extensions import db
from ideas.judging import services as judging
from ideas.notifications.handlers import _idea_people, _status_label, _tell, idea_path
from ideas.submissions.models import Idea

MAX_COMMENT_IN_NOTICE = 600


def on_judging_invited(_sender, invitation=None, challenge=None, **_kw) -> None:
    title = challenge.title
    _tell([invitation.user], "judging_invited", path_to("judging.home"),
          lambda: _('You are invited to judge the shortlist of "%(title)s". Accept or decline on your judging page.',
                    title=title))


def on_judges_reminded(_sender, challenge=None, judges=(), **_kw) -> None:
    title = challenge.title
    link = path_to("judging.queue", challenge_id=challenge.id)
    for judge, pending in judges:
        _tell([judge], "judging_reminder", link,
              lambda n=pending: ngettext('A reminder: %(num)d idea of "%(title)s" waits for your score.',
                                         'A reminder: %(num)d ideas of "%(title)s" wait for your scores.', n, title=title))


def on_judging_published(_sender, challenge=None, **_kw) -> None:
    """Every author of a judged idea hears its decision and the judges' comments."""
    setup = judging.setup_for(challenge)
    ids = judging.judged_idea_ids(challenge)
    if not ids:
        return
    ideas = db.session.scalars(select(Idea).where(Idea.id.in_(ids), Idea.hidden_at.is_(None))
                               .options(selectinload(Idea.coauthors))).all()
    for idea in ideas:
        comments = [c["text"] if len(c["text"]) <= MAX_COMMENT_IN_NOTICE
                    else c["text"][:MAX_COMMENT_IN_NOTICE].rstrip() + "…"
                    for c in judging.author_comments(idea, setup)]
        title, status, reason = idea.title, idea.status, idea.status_reason or ""

        def text(title=title, status=status, reason=reason, comments=comments) -> str:
            lines = [_('The judging of "%(title)s" is published. Decision: %(status)s.', title=title,
                       status=_status_label(status))]
            if reason:
                lines.append(_("Reason: %(reason)s", reason=reason))
            if comments:
                lines.append(_("The judges' comments for you:"))
                lines += [f"– {c}" for c in comments]
            return "\n".join(lines)

        _tell(_idea_people(idea), "judging_published", idea_path(idea) + "#judging", text)


def on_scorecard_reopened(_sender, scorecard=None, idea=None, **_kw) -> None:
    title = idea.title
    _tell([scorecard.judge], "judging_reopened", path_to("judging.scorecard", idea_id=idea.id),
          lambda: _('The staff reopened your scorecard on "%(title)s": you can change it and submit it again.',
                    title=title))


_HANDLERS = (
    (events.judging_invited, on_judging_invited),
    (events.judges_reminded, on_judges_reminded),
    (events.scorecard_reopened, on_scorecard_reopened),
    (events.judging_published, on_judging_published),
)


def connect() -> None:
    """Connect the judging notices (called by create_app); connecting twice is harmless."""
    for signal, handler in _HANDLERS:
        signal.connect(handler, weak=False)
