"""Permission tables checked through HTTP: "do action X as role Y" and "was it right?".

A table is data, {(role, action): expected}, with expected one of
  "ok"     2xx or the success redirect, and the effect happened in the database;
  "login"  a redirect to the login page (visitors), nothing changed;
  "403"    may see, may not do: status 403, nothing changed;
  "404"    may not know it exists: status 404, nothing changed.
`rows()` builds such a table from one readable row per action. An action is a pair
(perform, happened): `perform(browser, world)` sends the request, `happened(world,
response)` reads the database (or the page) afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import func, select

from ideas.accounts import services as account_services
from ideas.challenges.models import ChallengeInvite
from ideas.extensions import db
from ideas.submissions.models import (
    Comment,
    Idea,
    IdeaCoauthor,
    IdeaRevision,
    PairwiseComparison,
    Vote,
)

ROLES = ("visitor", "unverified", "member", "author", "coauthor", "staff", "other_staff", "admin")
OUTCOMES = ("ok", "login", "403", "404")

IDEA_TITLE = "Steam burst that cleans the drum"
RIVAL_TITLES = ("Copper lining against bacteria", "UV lamp in the door seal")
EDITED_TITLE = "Steam burst after every single wash"
NEW_IDEA = {"title": "Self-drying rubber seal", "summary": "A seal that dries itself after each wash.",
            "description": "Warm air runs along the seal for two minutes so no water is left.",
            "tags": "seal", "coauthors": "", "submission_key": "perm-key"}


def rows(table: dict[str, dict[str, str]], roles=ROLES) -> dict[tuple[str, str], str]:
    """{action: {role: expected}} -> {(role, action): expected}; every row names every
    role of `roles` (extra roles allowed), so a forgotten cell is an error, not a pass."""
    cells = {}
    for action, row in table.items():
        missing = set(roles) - set(row)
        assert not missing, f"{action}: no expectation for {sorted(missing)}"
        for role, expected in row.items():
            assert expected in OUTCOMES, f"{action}/{role}: {expected!r}"
            cells[(role, action)] = expected
    return cells


def cheap_logins(monkeypatch) -> None:
    """Logins verify the factories' cheap hash and do not re-hash it with production
    parameters (~100 ms each): a table logs in once per cell."""
    from argon2 import PasswordHasher

    hasher = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    monkeypatch.setattr(account_services, "_hasher", hasher)


class Browser:
    """One role's browser: logged in (unless a visitor), CSRF token read from a page
    like a browser would, so CSRF protection stays on."""

    def __init__(self, client, user):
        self.client = client
        self.user = user
        if user is not None:
            client.login(user)
        self.token = client.csrf_token("/" if user is not None else "/login")

    def get(self, url, **kwargs):
        return self.client.client.get(url, **kwargs)

    def post(self, url, data=None, **kwargs):
        return self.client.client.post(url, data={**(data or {}), "csrf_token": self.token}, **kwargs)


def check(cell, expected: str, response, happened: bool) -> None:
    """Assert the response's status and the effect for one cell of a table."""
    status, where = response.status_code, response.headers.get("Location", "")
    seen = (f"{cell}: expected {expected}, got {status}{' -> ' + where if where else ''}, "
            f"effect {'happened' if happened else 'did not happen'}")
    if expected == "ok":
        assert status < 400 and urlsplit(where).path != "/login" and happened, seen
    elif expected == "login":
        assert status in (301, 302, 303) and urlsplit(where).path == "/login" and not happened, seen
    else:
        assert status == int(expected) and not happened, seen


def run_cell(client, world, cell, expected: str, actions) -> None:
    """Perform the cell's action as its role and check the outcome."""
    role, action = cell
    perform, happened = actions[action]
    browser = Browser(client, world.people[role])
    response = perform(browser, world)
    db.session.expire_all()
    check(cell, expected, response, happened(world, response))


# -- the people around one idea ------------------------------------------------

@dataclass
class IdeaWorld:
    challenge: object
    idea: object
    rivals: list
    people: dict = field(default_factory=dict)


def idea_world(make, *, phase: str = "submission", visibility: str = "public", **idea_kw) -> IdeaWorld:
    """A challenge of a company with one staff member, another company with its own,
    the idea under test (author + one co-author) and two rival ideas by others.
    In an invite-only challenge the authors and the "invited" member are invited."""
    people = {"visitor": None, "unverified": make.user(verified=False)}
    for role in ("member", "author", "coauthor", "staff", "other_staff", "invited"):
        people[role] = make.user()
    people["admin"] = make.user(admin=True)
    company = make.company(staff=[people["staff"]])
    make.company(staff=[people["other_staff"]])
    challenge = make.challenge(company, phase=phase, visibility=visibility)
    idea = make.idea(challenge, people["author"], title=IDEA_TITLE, **idea_kw)
    db.session.add(IdeaCoauthor(idea_id=idea.id, user_id=people["coauthor"].id))
    rival_authors = [make.user() for _ in RIVAL_TITLES]
    rivals = [make.idea(challenge, who, title=title) for who, title in zip(rival_authors, RIVAL_TITLES, strict=True)]
    if visibility == "invite":
        for user in (people["author"], people["coauthor"], people["invited"], *rival_authors):
            db.session.add(ChallengeInvite(challenge_id=challenge.id, user_id=user.id))
    db.session.commit()
    return IdeaWorld(challenge=challenge, idea=idea, rivals=rivals, people=people)


def idea_path(idea) -> str:
    return f"/ideas/{idea.id}-{idea.slug}"


def challenge_path(challenge) -> str:
    return f"/challenges/{challenge.id}-{challenge.slug}"


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _status(w) -> str:
    return db.session.get(Idea, w.idea.id).status


def _submit(b, w):
    path = challenge_path(w.challenge)
    b.post(f"{path}/terms")  # the participation terms come first (refused for some roles)
    return b.post(f"{path}/ideas/new", NEW_IDEA)


# Each action on the idea under test: (perform(browser, world), happened(world, response)).
IDEA_ACTIONS = {
    "view": (lambda b, w: b.get(idea_path(w.idea)),
             lambda w, r: r.status_code == 200 and IDEA_TITLE in r.get_data(as_text=True)),
    "vote": (lambda b, w: b.post(f"/ideas/{w.idea.id}/vote", {"value": "1"}),
             lambda w, r: _count(Vote, Vote.idea_id == w.idea.id) > 0),
    "compare": (lambda b, w: b.post(f"{challenge_path(w.challenge)}/compare", {
                    "left_id": w.idea.id, "right_id": w.rivals[0].id, "winner": w.idea.id}),
                lambda w, r: _count(PairwiseComparison) > 0),
    "comment": (lambda b, w: b.post(f"/ideas/{w.idea.id}/comments", {"body": "Could it run on cold water?"}),
                lambda w, r: _count(Comment, Comment.idea_id == w.idea.id) > 0),
    "edit": (lambda b, w: b.post(f"/ideas/{w.idea.id}/edit", {
                 "title": EDITED_TITLE, "summary": "A short burst of steam after the wash.",
                 "description": "Steam at 100 degrees for one minute kills what is left.", "tags": ""}),
             lambda w, r: _count(IdeaRevision, IdeaRevision.idea_id == w.idea.id) > 1
             or db.session.get(Idea, w.idea.id).title == EDITED_TITLE),
    "withdraw": (lambda b, w: b.post(f"/ideas/{w.idea.id}/withdraw", {"reason": "I found a better one."}),
                 lambda w, r: _status(w) == "withdrawn"),
    "shortlist": (lambda b, w: b.post(f"/ideas/{w.idea.id}/shortlist", {"reason": "Strong and cheap."}),
                  lambda w, r: _status(w) == "shortlisted"),
    "decline": (lambda b, w: b.post(f"/ideas/{w.idea.id}/decline",
                                    {"feedback": "Thank you; steam is out of scope for this model."}),
                lambda w, r: _status(w) == "declined"),
    "hide": (lambda b, w: b.post(f"/ideas/{w.idea.id}/hide", {"reason": "Off topic."}),
             lambda w, r: db.session.get(Idea, w.idea.id).hidden_at is not None),
    "submit": (_submit, lambda w, r: _count(Idea, Idea.title == NEW_IDEA["title"]) > 0),
}
MODERATE = ("shortlist", "decline", "hide")


def listed_in_challenge(browser, world) -> tuple[int, bool]:
    """The challenge's idea list as this browser sees it: (status, idea row shown)."""
    response = browser.get(f"{challenge_path(world.challenge)}/ideas")
    return response.status_code, f'href="{idea_path(world.idea)}"' in response.get_data(as_text=True)


def offered_pair(browser, world) -> set[int]:
    """The ids of the pair the "which is better?" page offers (empty: none)."""
    import re

    html = browser.get(f"{challenge_path(world.challenge)}/compare").get_data(as_text=True)
    return {int(v) for v in re.findall(r'name="(?:left|right)_id" value="(\d+)"', html)}


def cell_id(value) -> str:
    """Readable test ids: member-vote, ok."""
    return "-".join(value) if isinstance(value, tuple) else str(value)
