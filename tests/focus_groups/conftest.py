"""A world for focus groups and prototypes: a company with its staff, another company,
a challenge in refinement with two selected ideas (author + co-author on the first),
members, and a group created for the first idea."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from PIL import Image

from ideas.core.db import utcnow
from ideas.extensions import db
from ideas.focus_groups import services
from ideas.submissions.models import IdeaCoauthor

AGREEMENT = "Everything said in this group stays in it until the company publishes it."


@dataclass
class World:
    challenge: object
    idea: object
    other_idea: object
    people: dict = field(default_factory=dict)
    group: object = None
    other_group: object = None


def png(color=(200, 40, 40)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), color).save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "pic.png"
    return buffer


def not_an_image() -> io.BytesIO:
    buffer = io.BytesIO(b"%PDF-1.4 this is not an image")
    buffer.name = "doc.pdf"
    return buffer


def make_group(staff, challenge, ideas, **kw):
    values = dict(title="Quiet drum panel", purpose="Refine the idea with its future users.",
                  agreement=AGREEMENT, size_limit=5, starts_on=date.today(),
                  ends_on=date.today() + timedelta(days=30), idea_ids=[i.id for i in ideas])
    values.update(kw)
    return services.create_group(staff, challenge, **values)


def join(user, group):
    services.respond(user, group, True, agreed=True, version=group.agreement_version)


@pytest.fixture
def world(make) -> World:
    people = {"visitor": None}
    for role in ("staff", "author", "coauthor", "member", "invitee", "outsider", "other_member",
                 "former", "other_staff"):
        people[role] = make.user(name=role.replace("_", " ").title())
    people["unverified"] = make.user(verified=False)
    people["admin"] = make.user(admin=True)
    company = make.company(staff=[people["staff"]])
    make.company(staff=[people["other_staff"]])
    challenge = make.challenge(company, phase="refinement")
    idea = make.idea(challenge, people["author"], status="selected", title="Rubber feet for the drum")
    db.session.add(IdeaCoauthor(idea_id=idea.id, user_id=people["coauthor"].id))
    other_idea = make.idea(challenge, make.user(), status="selected", title="Foam lining")
    db.session.flush()
    w = World(challenge=challenge, idea=idea, other_idea=other_idea, people=people)
    staff = people["staff"]
    w.group = make_group(staff, challenge, [idea])
    for role in ("author", "member", "former"):
        services.invite(staff, w.group, people[role])
        join(people[role], w.group)
    services.invite(staff, w.group, people["invitee"])
    services.leave(people["former"], w.group)
    w.other_group = make_group(staff, challenge, [other_idea], title="Foam group")
    services.invite(staff, w.other_group, people["other_member"])
    join(people["other_member"], w.other_group)
    db.session.commit()
    return w


@pytest.fixture
def now():
    return utcnow()
