"""Prototype services: create one from a selected idea (its authors credited, the idea
"prototyped"), move it along the status table (a dated history; launching may make the
idea a winner), its visibility, its iterations with images. Testing (sign-ups, places,
waiting list, feedback, replies) is testing.py's. Plain functions with an explicit
actor and `now`: every input checked before writing, add and flush, events, domain
errors, no commit."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ideas.challenges.models import Challenge
from ideas.core import events, uploads
from ideas.core.db import utcnow
from ideas.core.errors import Invalid, InvalidTransition, NotAllowed
from ideas.core.pagination import Page, paginate_offset
from ideas.extensions import db
from ideas.focus_groups.models import FocusGroup
from ideas.prototypes import policy, statuses
from ideas.prototypes.models import (
    Iteration,
    IterationImage,
    Prototype,
    PrototypeCredit,
    PrototypeStatusChange,
)
from ideas.submissions.models import Idea, IdeaCoauthor
from ideas.submissions.moderation import decide

MAX_TEXT = 20000
MAX_IMAGES = 6
MAX_PLACES = 1000
FROM_STATUS = "selected"  # a prototype is made from a selected idea


def require_staff(actor, challenge: Challenge) -> None:
    if not policy.is_staff(actor, challenge):
        raise NotAllowed(_("Only the challenge's staff can do this."))


def clean(value, field: str, *, required: bool = False, limit: int = MAX_TEXT, message: str | None = None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid(message or _("This field is required."), field=field)
    if len(value) > limit:
        raise Invalid(_("Please write at most %(n)d characters.", n=limit), field=field)
    return value


def store_images(images, field: str = "images", limit: int = MAX_IMAGES) -> list:
    """Check and store every image slot (`core.uploads.ImageUpload`: each picture needs
    its alt text) privately, served by the prototype's route after its policy; or none:
    a refused one removes those stored before it."""
    return uploads.store_images(images, field=field, limit=limit, private=True)


def _visibility(challenge: Challenge, visibility: str, group_id) -> tuple[str, int | None]:
    if visibility not in statuses.VISIBILITIES:
        raise Invalid(_("Choose public or only its focus group."), field="visibility")
    group = None
    if group_id not in (None, "", 0, "0"):
        try:
            group = db.session.get(FocusGroup, int(group_id))
        except (TypeError, ValueError):
            group = None
        if group is None or group.challenge_id != challenge.id:
            raise Invalid(_("Choose one of this challenge's focus groups."), field="focus_group_id")
    if visibility == "group" and group is None:
        raise Invalid(_("A prototype shown only to its focus group needs a focus group."), field="focus_group_id")
    return visibility, group.id if group is not None else None


def create_prototype(actor, idea: Idea, *, title: str, summary: str = "", visibility: str = "public",
                     focus_group_id=None, now=None) -> Prototype:
    """Staff make a prototype of a selected idea: its authors are credited (the lead
    author first) and the idea becomes "prototyped" (with a decision on its history)."""
    challenge = idea.challenge
    require_staff(actor, challenge)
    if idea.status != FROM_STATUS or idea.hidden_at is not None:
        raise InvalidTransition(_("A prototype is made from a selected idea."))
    title = clean(title, "title", required=True, limit=160, message=_("Give the prototype a name."))
    summary = clean(summary, "summary")
    visibility, group_id = _visibility(challenge, visibility, focus_group_id)
    now = now or utcnow()
    prototype = Prototype(challenge_id=challenge.id, idea_id=idea.id, focus_group_id=group_id, title=title,
                          summary=summary, visibility=visibility, created_by_id=actor.id, created_at=now,
                          updated_at=now)
    db.session.add(prototype)
    db.session.flush()
    coauthors = db.session.scalars(select(IdeaCoauthor.user_id).where(IdeaCoauthor.idea_id == idea.id)
                                   .order_by(IdeaCoauthor.added_at, IdeaCoauthor.user_id)).all()
    for position, user_id in enumerate(dict.fromkeys([idea.author_id, *coauthors]), start=1):
        prototype.credits.append(PrototypeCredit(user_id=user_id, position=position))
    prototype.history.append(PrototypeStatusChange(from_status=None, to_status=statuses.INITIAL,
                                                   actor_id=actor.id, at=now))
    db.session.flush()
    # The reason is public (the idea page's outcome): it names no group-only prototype.
    decide(actor, idea, "prototyped", _("A prototype of this idea is being built."), now)
    return prototype


def change_status(actor, prototype: Prototype, to_status: str, note: str = "", *, mark_winner: bool = False,
                  now=None) -> PrototypeStatusChange:
    """Move along the status table, dated; testing needs an iteration; launching with
    `mark_winner` makes the idea a winner."""
    require_staff(actor, prototype.challenge)
    statuses.check_move(prototype.status, to_status)
    note = clean(note, "note", limit=500)
    if to_status == "testing" and prototype.iteration_count == 0:
        raise InvalidTransition(_("Add an iteration before testing."), field="status")
    if mark_winner and to_status != "launched":
        raise Invalid(_("Only a launched prototype makes its idea a winner."), field="mark_winner")
    now = now or utcnow()
    change = PrototypeStatusChange(prototype_id=prototype.id, from_status=prototype.status, to_status=to_status,
                                   note=note, actor_id=actor.id, at=now)
    prototype.history.append(change)
    from_status = prototype.status
    prototype.status = to_status
    prototype.updated_at = now
    if to_status in statuses.FINAL:  # nobody signs up for a finished prototype
        for iteration in iterations(prototype):
            iteration.test_open = False
    db.session.flush()
    if mark_winner and prototype.idea.status == "prototyped":
        decide(actor, prototype.idea, "winner", _("The prototype of this idea was launched."), now)
    events.prototype_status_changed.send(prototype, prototype=prototype, from_status=from_status,
                                         to_status=to_status, actor=actor)
    return change


def set_visibility(actor, prototype: Prototype, visibility: str, focus_group_id=None, now=None) -> Prototype:
    require_staff(actor, prototype.challenge)
    prototype.visibility, prototype.focus_group_id = _visibility(prototype.challenge, visibility, focus_group_id)
    prototype.updated_at = now or utcnow()
    db.session.flush()
    return prototype


def parse_places(value, field: str) -> int:
    try:
        n = int(str(value if value is not None else "").strip() or 0)
    except ValueError:
        raise Invalid(_("Enter a whole number."), field=field) from None
    if not 0 <= n <= MAX_PLACES:
        raise Invalid(_("Enter a number from 0 to %(n)d.", n=MAX_PLACES), field=field)
    return n


def add_iteration(actor, prototype: Prototype, *, version_name: str, description: str, changes: str = "",
                  images=(), places=0, waiting_places=0, signup_mode: str = "first_come",
                  now=None) -> Iteration:
    """A new version: name, description, what changed since the last one (required from
    the second on), images, and its test's places, waiting list and sign-up mode."""
    require_staff(actor, prototype.challenge)
    if prototype.status in statuses.FINAL:
        raise InvalidTransition(_("This prototype is %(status)s: it has no new iterations.",
                                  status=statuses.label(prototype.status).lower()))
    version_name = clean(version_name, "version_name", required=True, limit=80,
                         message=_("Name the version, such as “v2” or “Alpha”."))
    description = clean(description, "description", required=True, message=_("Describe this iteration."))
    changes = clean(changes, "changes")
    if prototype.iteration_count and not changes:
        raise Invalid(_("Say what changed since the last iteration."), field="changes")
    if signup_mode not in statuses.SIGNUP_MODES:
        raise Invalid(_("Choose how testers get their places."), field="signup_mode")
    places, waiting = parse_places(places, "places"), parse_places(waiting_places, "waiting_places")
    stored = store_images(images)
    now = now or utcnow()
    prototype.iteration_count += 1
    iteration = Iteration(prototype_id=prototype.id, number=prototype.iteration_count, version_name=version_name,
                          description=description, changes=changes, places=places, waiting_places=waiting,
                          signup_mode=signup_mode, created_by_id=actor.id, created_at=now)
    db.session.add(iteration)
    db.session.flush()
    for position, image in enumerate(stored, start=1):
        iteration.images.append(IterationImage(position=position, filename=image.filename, width=image.width,
                                               height=image.height, alt=image.alt))
    prototype.updated_at = now
    db.session.flush()
    return iteration


# -- what pages show -------------------------------------------------------------------

def iterations(prototype: Prototype) -> list[Iteration]:
    return list(db.session.scalars(select(Iteration).where(Iteration.prototype_id == prototype.id)
                                   .options(selectinload(Iteration.images)).order_by(Iteration.number)))


def prototype_list(user, page: int = 1, challenge: Challenge | None = None) -> Page:
    """The prototypes the user may see, the most recently changed first."""
    query = select(Prototype).where(policy.visible_prototypes(user))
    if challenge is not None:
        query = query.where(Prototype.challenge_id == challenge.id)
    query = query.options(selectinload(Prototype.challenge), selectinload(Prototype.credits)).order_by(
        Prototype.updated_at.desc(), Prototype.id.desc())
    return paginate_offset(query, page, 20, db.session)


def prototypes_of_idea(user, idea: Idea) -> list[Prototype]:
    return list(db.session.scalars(select(Prototype).where(Prototype.idea_id == idea.id,
                                                          policy.visible_prototypes(user)).order_by(Prototype.id)))


def challenge_groups(challenge: Challenge) -> list[FocusGroup]:
    """The groups a prototype of this challenge may be shown to (staff's choice)."""
    return list(db.session.scalars(select(FocusGroup).where(FocusGroup.challenge_id == challenge.id)
                                   .order_by(FocusGroup.id)))
