"""A focus group's sessions: scheduled by staff in a zone of their choice (stored in
UTC, shown in each member's zone), online with a video link or in person at a place,
with an agenda, an .ics file for calendars, and afterwards notes and attendance."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import icalendar
from flask_babel import gettext as _
from sqlalchemy import delete, select

from ideas.core import events
from ideas.core.db import utcnow
from ideas.core.errors import Invalid, InvalidTransition
from ideas.extensions import db
from ideas.focus_groups import statuses
from ideas.focus_groups.models import Attendance, FocusGroup, GroupSession, Membership
from ideas.focus_groups.services import (
    MAX_TEXT,
    MAX_TITLE,
    clean_text,
    require_inside,
    require_staff,
)


def _zone(name: str) -> ZoneInfo:
    name = (name or "").strip()
    if name not in available_timezones():
        raise Invalid(_("Choose a time zone from the list."), field="timezone")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(_("Choose a time zone from the list."), field="timezone") from None


def to_utc(local: datetime, zone_name: str) -> datetime:
    """A wall-clock time in the zone as naive UTC (how the database stores times)."""
    aware = local.replace(tzinfo=_zone(zone_name))
    return aware.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def _starts(value, zone_name: str) -> datetime:
    if not isinstance(value, datetime):
        try:
            value = datetime.fromisoformat(str(value or "").strip())
        except ValueError:
            raise Invalid(_("Enter the date and time the session starts."), field="starts_at") from None
    return to_utc(value.replace(tzinfo=None), zone_name)


def _duration(value) -> int:
    try:
        minutes = int(str(value if value is not None else "").strip())
    except ValueError:
        raise Invalid(_("Enter the length in minutes."), field="duration_minutes") from None
    if not 5 <= minutes <= 1440:
        raise Invalid(_("A session lasts from 5 minutes to a day."), field="duration_minutes")
    return minutes


def _link(value: str) -> str:
    value = clean_text(value, "video_link", limit=500)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise Invalid(_("Enter the video link as a web address (https://…)."), field="video_link")
    return value


def schedule(actor, group: FocusGroup, *, title: str, starts_at, timezone: str, duration_minutes=60,
             mode: str = "online", place: str = "", video_link: str = "", agenda: str = "",
             now=None) -> GroupSession:
    """Staff schedule a session in the future; online ones need a video link, in-person
    ones a place. Members who see inside are told."""
    require_staff(actor, group.challenge)
    if group.archived_at is not None:
        raise InvalidTransition(_("This focus group is archived: it is read-only."))
    title = clean_text(title, "title", required=True, limit=MAX_TITLE, message=_("Give the session a title."))
    if mode not in statuses.SESSION_MODES:
        raise Invalid(_("Choose online or in person."), field="mode")
    now = now or utcnow()
    start = _starts(starts_at, timezone)
    if start <= now:
        raise Invalid(_("A new session starts in the future."), field="starts_at")
    minutes = _duration(duration_minutes)
    place = clean_text(place, "place", limit=300)
    if mode == "online":
        link = _link(video_link)
    else:
        link = ""
        if not place:
            raise Invalid(_("Say where the session takes place."), field="place")
    agenda = clean_text(agenda, "agenda", limit=MAX_TEXT)
    session = GroupSession(group_id=group.id, title=title, starts_at=start, duration_minutes=minutes, mode=mode,
                           place=place, video_link=link, agenda=agenda, created_by_id=actor.id, created_at=now)
    db.session.add(session)
    db.session.flush()
    events.focus_group_session_scheduled.send(group, group=group, session=session, actor=actor)
    return session


def record_notes(actor, session: GroupSession, notes: str, attended_ids=(), now=None) -> GroupSession:
    """After the session began: its notes and who attended (members of the group)."""
    group = db.session.get(FocusGroup, session.group_id)
    require_staff(actor, group.challenge)
    now = now or utcnow()
    if session.starts_at > now:
        raise InvalidTransition(_("Notes and attendance are recorded once the session has begun."))
    notes = clean_text(notes, "notes", limit=MAX_TEXT)
    try:
        ids = {int(i) for i in attended_ids or ()}
    except (TypeError, ValueError):
        raise Invalid(_("Choose the members who attended from the list."), field="attended") from None
    known = set(db.session.scalars(select(Membership.user_id).where(
        Membership.group_id == group.id, Membership.status.in_((statuses.INSIDE, *statuses.FORMER)))))
    if not ids <= known:
        raise Invalid(_("Choose the members who attended from the list."), field="attended")
    session.notes = notes
    session.notes_at = now
    db.session.execute(delete(Attendance).where(Attendance.session_id == session.id))
    for uid in sorted(ids):
        db.session.add(Attendance(session_id=session.id, user_id=uid))
    db.session.flush()
    return session


def sessions(user, group: FocusGroup) -> list[GroupSession]:
    require_inside(user, group)
    return list(db.session.scalars(select(GroupSession).where(GroupSession.group_id == group.id)
                                   .order_by(GroupSession.starts_at, GroupSession.id)))


def attendance(session: GroupSession) -> set[int]:
    return set(db.session.scalars(select(Attendance.user_id).where(Attendance.session_id == session.id)))


def ends_at(session: GroupSession) -> datetime:
    return session.starts_at + timedelta(minutes=session.duration_minutes)


def ics(session: GroupSession, group: FocusGroup, url: str, site: str = "Ideas") -> bytes:
    """The session as an iCalendar file (RFC 5545), times in UTC."""
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{site}//focus groups//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = icalendar.Event()
    utc = ZoneInfo("UTC")
    event.add("uid", f"focus-group-session-{session.id}@{site.lower().replace(' ', '-')}")
    event.add("dtstamp", (session.created_at or utcnow()).replace(tzinfo=utc))
    event.add("dtstart", session.starts_at.replace(tzinfo=utc))
    event.add("dtend", ends_at(session).replace(tzinfo=utc))
    event.add("summary", f"{session.title} ({group.title})")
    if session.mode == "online":
        event.add("location", session.video_link)
        event.add("url", session.video_link)
    else:
        event.add("location", session.place)
    description = session.agenda or ""
    event.add("description", f"{description}\n\n{url}".strip())
    cal.add_component(event)
    return cal.to_ical()
