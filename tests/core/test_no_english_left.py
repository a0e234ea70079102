"""The main pages of the demo, read in Czech, Russian and Chinese, keep no English of
the interface: no message of the catalog shows up untranslated, in text or in the
attributes people hear (aria-label, title, placeholder, alt)."""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select, update

from ideas.accounts.models import User
from ideas.challenges.models import Challenge
from ideas.demo.content import PASSWORD
from ideas.focus_groups.models import FocusGroup
from ideas.judging.models import JudgingSetup
from ideas.prototypes.models import Prototype
from ideas.submissions.models import Comment, Idea
from tests.core.test_catalogs import catalog

HEARD = {"aria-label", "title", "placeholder", "alt", "aria-description"}
PLACEHOLDER = re.compile(r"%\(\w+\)[-+ #0]*\d*(?:\.\d+)?[sdirf]|%%")


class _Visible(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self._skip, self._user = [], 0, 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "style", "template", "svg") or self._skip:
            self._skip += tag not in ("br", "img", "input", "meta", "link", "hr", "source", "path")
            return
        # members' own words (titles, bodies, names, comments) are content, not interface
        if self._user or "dir" in attributes and attributes.get("dir") == "auto":
            self._user += tag not in ("br", "img", "input", "meta", "link", "hr", "source")
            return
        self.parts += [value for name, value in attrs if name in HEARD and value]

    def handle_endtag(self, tag):
        if self._skip:
            self._skip -= 1
        elif self._user:
            self._user -= 1

    def handle_data(self, data):
        if not self._skip and not self._user:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


@cache
def english_phrases(code: str) -> list[tuple[str, re.Pattern]]:
    """Pieces of English that the catalog translates to something else: each message's
    literal runs of two words or more (around its placeholders)."""
    phrases = {}
    for message in catalog(code):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else [message.id]
        forms = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        for english in ids:
            for piece in PLACEHOLDER.split(re.sub(r"<[^>]+>", "\x00", english)):
                for run in piece.split("\x00"):
                    run = run.strip(" .,:;!?()“”\"'–—·")
                    if len(run.split()) >= 2 and not any(run in form for form in forms):
                        phrases[run] = re.compile(r"(?<![\w-])" + re.escape(run) + r"(?![\w-])")
    return sorted(phrases.items())


def untranslated(html: str, code: str) -> list[str]:
    text = visible_text(html)
    return [phrase for phrase, pattern in english_phrases(code) if pattern.search(text)]


@pytest.fixture
def demo(app, db):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return db


def _pages(db) -> dict[str, list[str]]:
    challenge = db.session.scalars(select(Challenge).where(Challenge.phase == "submission")
                                   .order_by(Challenge.id)).first()
    base = f"/challenges/{challenge.id}-{challenge.slug}"
    idea = db.session.scalars(select(Idea).join(Comment, Comment.idea_id == Idea.id)
                              .where(Idea.challenge_id == challenge.id, Idea.hidden_at.is_(None))
                              .group_by(Idea.id).order_by(func.count(Comment.id).desc())).first()
    judged = db.session.scalars(select(Challenge).join(JudgingSetup, JudgingSetup.challenge_id == Challenge.id)
                                .order_by(Challenge.id)).first()
    group = db.session.scalars(select(FocusGroup).order_by(FocusGroup.id)).first()
    prototype = db.session.scalars(select(Prototype).order_by(Prototype.id)).first()
    member = db.session.scalars(select(User).where(User.email.like("katerina.dvorak@%"))).one()
    visitor = ["/", "/challenges/", base, f"{base}/ideas", f"/ideas/{idea.id}-{idea.slug}", "/login",
               "/register", "/reset", "/search?q=washing", "/prototypes", f"/prototypes/{prototype.id}",
               "/leaderboard", "/experts", "/companies/", f"/members/{member.username}"]
    pages = {
        "visitor": visitor,
        "katerina.dvorak": ["/", "/notifications/", "/notifications/settings", "/settings", f"{base}/ideas/new",
                            f"{base}/compare", "/me/contributions", "/feed"],
        "petra.vlckova": ["/", f"{base}/moderation", "/challenges/new"],
        "chen.wei": [f"/focus-groups/{group.id}", f"/focus-groups/{group.id}/board"],
    }
    if judged is not None:
        pages["petra.vlckova"] += [f"/challenges/{judged.id}-{judged.slug}/judging",
                                   f"/challenges/{judged.id}-{judged.slug}/judging/ranking"]
        pages["judge.novak"] = ["/judging", f"/judging/challenges/{judged.id}"]
    return pages


@pytest.mark.parametrize("code", ["cs", "ru", "zh"])
def test_main_pages_keep_no_english(demo, client, code):
    pages = _pages(demo)
    demo.session.execute(update(User).values(locale=code))  # members read in their own setting
    demo.session.commit()
    left, covered = {}, []
    for who, paths in pages.items():
        if who != "visitor":
            email = demo.session.scalar(select(User.email).where(User.email.like(f"{who}@%")))
            response = client.post("/login", {"email": email, "password": PASSWORD})
            assert response.status_code in (302, 303), who
        for path in paths:
            response = client.get(path, headers={"Accept-Language": code}, follow_redirects=True)
            assert response.status_code == 200, (who, path, response.status_code)
            html = response.get_data(as_text=True)
            assert f'<html lang="{code}"' in html, (who, path)
            covered.append(f"{who} {path}")
            found = untranslated(html, code)
            if found:
                left[f"{who} {path}"] = found[:8]
        if who != "visitor":
            client.logout()
    print(f"{code}: {len(covered)} pages read: " + ", ".join(covered))
    assert not left, f"English left in {code}: {left}"
