"""Who may see and run a challenge, every cell through HTTP (see tests/permissions.py).

Three challenges of one company: a public one taking ideas, a draft, and an
invite-only one taking ideas. The roles are those of the idea tables that mean
something for a challenge (authorship belongs to ideas: tests/submissions), plus a
member invited to the invite-only challenge.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from ideas.challenges.models import Challenge, ChallengeInvite
from ideas.extensions import db
from ideas.submissions.models import Idea
from tests.permissions import NEW_IDEA, Browser, cell_id, challenge_path, rows, run_cell

ROLES = ("visitor", "unverified", "member", "invited", "staff", "other_staff", "admin")
EDITED = "Quieter spin cycles"


@pytest.fixture(autouse=True)
def _cheap_logins(monkeypatch):
    from tests.permissions import cheap_logins

    cheap_logins(monkeypatch)


@dataclass
class World:
    public: Challenge
    draft: Challenge
    invite: Challenge
    guest: object  # a member the invite action invites
    people: dict


@pytest.fixture
def world(make):
    people = {"visitor": None, "unverified": make.user(verified=False)}
    for role in ("member", "invited", "staff", "other_staff"):
        people[role] = make.user()
    people["admin"] = make.user(admin=True)
    company = make.company(staff=[people["staff"]])
    make.company(staff=[people["other_staff"]])
    public = make.challenge(company, title="Hygienic laundry")
    draft = make.challenge(company, phase="draft", title="Secret dryer plans")
    invite = make.challenge(company, visibility="invite", title="Invited testers only")
    db.session.add(ChallengeInvite(challenge_id=invite.id, user_id=people["invited"].id))
    guest = make.user()
    db.session.commit()
    return World(public=public, draft=draft, invite=invite, guest=guest, people=people)


def _form(challenge: Challenge) -> dict:
    return {"title": EDITED, "summary": "How might we halve the noise of a spin cycle?",
            "problem": "Spin cycles wake the neighbours.", "criteria": "Below 40 dB", "category": "home",
            "tags": "", "reward_text": "", "reward_amount": "", "reward_currency": "EUR",
            "terms": challenge.terms, "visibility": challenge.visibility, "vote_budget": ""}


def _fresh(challenge: Challenge) -> Challenge:
    return db.session.get(Challenge, challenge.id)


def _view(which):
    def perform(b, w):
        return b.get(challenge_path(getattr(w, which)))

    def happened(w, r):
        return r.status_code == 200 and getattr(w, which).title in r.get_data(as_text=True)

    return perform, happened


def _submit(which):
    def perform(b, w):
        path = challenge_path(getattr(w, which))
        b.post(f"{path}/terms")  # the participation terms first (refused for some roles)
        return b.post(f"{path}/ideas/new", NEW_IDEA)

    def happened(w, r):
        return db.session.scalar(select(Idea.id).where(Idea.title == NEW_IDEA["title"])) is not None

    return perform, happened


def _edit(which):
    return (lambda b, w: b.post(f"{challenge_path(getattr(w, which))}/edit", _form(getattr(w, which))),
            lambda w, r: _fresh(getattr(w, which)).title == EDITED)


ACTIONS = {
    "view": _view("public"),
    "submit": _submit("public"),
    "edit": _edit("public"),
    "move": (lambda b, w: b.post(f"{challenge_path(w.public)}/phase", {"to_phase": "voting", "note": ""}),
             lambda w, r: _fresh(w.public).phase == "voting"),
    "view_draft": _view("draft"),
    "edit_draft": _edit("draft"),
    "publish_draft": (lambda b, w: b.post(f"{challenge_path(w.draft)}/publish"),
                      lambda w, r: _fresh(w.draft).phase == "submission"),
    "view_invite": _view("invite"),
    "submit_invite": _submit("invite"),
    "invite": (lambda b, w: b.post(f"{challenge_path(w.invite)}/invites", {"email": w.guest.email}),
               lambda w, r: db.session.scalar(select(ChallengeInvite.id).where(
                   ChallengeInvite.challenge_id == w.invite.id, ChallengeInvite.user_id == w.guest.id)) is not None),
}

_MANAGE = dict(visitor="login", unverified="403", member="403", invited="403", staff="ok", other_staff="403",
               admin="ok")
_DRAFT = dict(visitor="404", unverified="404", member="404", invited="404", staff="ok", other_staff="404",
              admin="ok")
_MANAGE_DRAFT = {**_DRAFT, "visitor": "login"}
_SEE_INVITE = dict(visitor="404", unverified="404", member="404", invited="ok", staff="ok", other_staff="404",
                   admin="ok")

TABLE = rows({
    "view": dict.fromkeys(ROLES, "ok"),
    # Nothing in the rules keeps staff from submitting to their own company's challenge.
    "submit": dict(visitor="login", unverified="403", member="ok", invited="ok", staff="ok", other_staff="ok",
                   admin="ok"),
    "edit": _MANAGE,
    "move": _MANAGE,
    "view_draft": _DRAFT,
    "edit_draft": _MANAGE_DRAFT,
    "publish_draft": _MANAGE_DRAFT,
    "view_invite": _SEE_INVITE,
    "submit_invite": {**_SEE_INVITE, "visitor": "login"},
    "invite": {**_SEE_INVITE, "visitor": "login", "invited": "403"},
}, roles=ROLES)


@pytest.mark.parametrize(("cell", "expected"), sorted(TABLE.items()), ids=cell_id)
def test_challenge_permissions(client, world, cell, expected):
    run_cell(client, world, cell, expected, ACTIONS)


@pytest.mark.parametrize("role", ROLES)
def test_challenge_index_lists_what_the_role_may_see(client, world, role):
    """The draft and the invite-only challenge appear in the index exactly for those
    who may open them."""
    html = Browser(client, world.people[role]).get("/challenges/").get_data(as_text=True)
    assert world.public.title in html
    assert (world.invite.title in html) == (TABLE[(role, "view_invite")] == "ok"), role
    if TABLE[(role, "view_draft")] != "ok":
        assert world.draft.title not in html, role
