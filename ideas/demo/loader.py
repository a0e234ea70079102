"""Writes the demo community (ideas.demo.content) into the database.

Rows are written directly with the models, with a fixed random seed, so the same
content appears every time; every counter is computed from the rows it counts.
The caller commits.
"""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from sqlalchemy import func, select

from ideas.accounts.models import User
from ideas.challenges.models import (
    Challenge,
    ChallengeCriterion,
    ChallengeInvite,
    PhasePlan,
    PhaseTransition,
    TermsAcceptance,
    TermsVersion,
)
from ideas.challenges.services import record_terms_version
from ideas.companies.models import Company, CompanyMember
from ideas.core.db import utcnow
from ideas.core.links import path_to
from ideas.core.slugs import slugify
from ideas.demo import content as C
from ideas.demo import focus
from ideas.demo.pictures import add_pictures
from ideas.extensions import db
from ideas.judging.models import (
    JudgeAssignment,
    JudgeInvitation,
    JudgingSetup,
    RubricCriterion,
    Score,
    Scorecard,
    ScoreChange,
)
from ideas.notifications.models import Notification
from ideas.submissions import statuses
from ideas.submissions.counters import recount
from ideas.submissions.models import (
    Comment,
    Idea,
    IdeaDecision,
    IdeaRevision,
    PairwiseComparison,
    Vote,
)

SEED = 2026
EMAIL_DOMAIN = "demo.example"
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CZECH = re.compile(r"[ěščřžýáíéůúťďňĚŠČŘŽÝÁÍÉŮÚŤĎŇ]")


def language_of(text: str) -> str:
    """The demo language of a text by its script: ru, zh, cs or en."""
    if _CYRILLIC.search(text):
        return "ru"
    if _CJK.search(text):
        return "zh"
    if _CZECH.search(text):
        return "cs"
    return "en"


def has_users() -> bool:
    return db.session.scalar(select(func.count(User.id))) > 0


def demo_loaded() -> bool:
    return db.session.scalar(select(func.count(User.id)).where(User.email == C.ADMIN_EMAIL)) > 0


def demo_accounts() -> list[tuple[str, str, str]]:
    """(role, display name, email) of the demo accounts worth logging in as."""
    rows = [("site admin", C.ADMIN[1], C.ADMIN_EMAIL)]
    for username, display, _loc, _bio, _exp, company, role in C.COMPANY_PEOPLE:
        rows.append((f"{C.COMPANIES[company]['name']} {role}", display, _email(username)))
    for username, display, *_ in C.JUDGES:
        rows.append(("judge", display, _email(username)))
    for username, display, *_ in C.MEMBERS[:6:2] + C.MEMBERS[10:11] + C.MEMBERS[15:16]:
        rows.append(("member", display, _email(username)))
    return rows


def _email(username: str) -> str:
    return C.ADMIN_EMAIL if username == "admin" else f"{username}@{EMAIL_DOMAIN}"


class _Loader:
    def __init__(self, now: datetime):
        self.now = now
        self.rng = random.Random(SEED)
        self.users: dict[str, User] = {}
        self.companies: dict[str, Company] = {}
        self.challenges: dict[str, Challenge] = {}
        self.terms: dict[int, TermsVersion] = {}
        self.stats: dict[str, int] = {}

    def day(self, offset: float) -> datetime:
        return self.now + timedelta(days=offset)

    def add(self, obj):
        db.session.add(obj)
        return obj

    # -- people and companies -------------------------------------------------
    def people(self) -> None:
        pw = PasswordHasher().hash(C.PASSWORD)
        rows = [(*C.ADMIN, True)]
        rows += [(u, d, loc, bio, exp, False) for u, d, loc, bio, exp, _c, _r in C.COMPANY_PEOPLE]
        rows += [(*j, False) for j in C.JUDGES]
        rows += [(*m, False) for m in C.MEMBERS]
        for i, (username, display, locale, bio, expertise, admin) in enumerate(rows):
            joined = self.day(-200 + i * 3)
            self.users[username] = self.add(User(
                email=_email(username), username=username, display_name=display,
                password_hash=pw, email_verified_at=joined + timedelta(minutes=5),
                is_admin=admin, bio=bio, expertise=list(expertise), locale=locale,
                timezone="Europe/Prague" if locale in ("cs", "en") else
                ("Asia/Shanghai" if locale == "zh" else "Europe/Moscow"),
                created_at=joined, password_changed_at=joined,
                last_login_at=self.day(-self.rng.uniform(0, 10)),
            ))
        for key, data in C.COMPANIES.items():
            self.companies[key] = self.add(Company(
                name=data["name"], slug=slugify(data["name"]), tagline=data["tagline"],
                description=data["description"], website=data["website"],
                created_at=self.day(-190),
            ))
        db.session.flush()
        for username, *_rest, company, role in C.COMPANY_PEOPLE:
            self.add(CompanyMember(
                company_id=self.companies[company].id, user_id=self.users[username].id,
                role=role, created_at=self.day(-185),
            ))
        self.stats["users"] = len(self.users)
        self.stats["companies"] = len(self.companies)

    # -- challenges -----------------------------------------------------------
    def challenges_(self) -> None:
        for spec in C.CHALLENGES:
            creator = self.users[spec["creator"]]
            history = spec["history"]
            created = self.day(history[0][1] if history else -5)
            published = self.day(history[1][1]) if len(history) > 1 else None
            ch = self.add(Challenge(
                company_id=self.companies[spec["company"]].id, created_by_id=creator.id,
                title=spec["title"], slug=slugify(spec["title"]), summary=spec["summary"],
                problem=spec["problem"], category=spec["category"], tags=list(spec["tags"]),
                language=language_of(spec["title"] + spec["summary"] + spec["problem"]),
                reward_text=spec["reward_text"], reward_amount=spec["reward_amount"],
                reward_currency=spec["reward_currency"], terms=C.TERMS, terms_version=1,
                visibility=spec["visibility"], phase=spec["phase"],
                published_at=published, created_at=created, updated_at=created,
                last_activity_at=published,
            ))
            db.session.flush()
            self.terms[ch.id] = record_terms_version(ch, creator, now=created)
            for pos, text in enumerate(spec["criteria"], start=1):
                self.add(ChallengeCriterion(challenge_id=ch.id, position=pos, text=text))
            for phase, start, end in spec["plans"]:
                self.add(PhasePlan(
                    challenge_id=ch.id, phase=phase, starts_at=self.day(start),
                    ends_at=self.day(end) if end is not None else None,
                ))
            for (prev, _), (nxt, at) in zip(history, history[1:], strict=False):
                self.add(PhaseTransition(
                    challenge_id=ch.id, from_phase=prev, to_phase=nxt,
                    actor_id=creator.id if nxt in ("submission", "closed") else None,
                    note="Published" if nxt == "submission" else "",
                    at=self.day(at),
                ))
            for username in spec.get("invited", []):
                self.add(ChallengeInvite(
                    challenge_id=ch.id, user_id=self.users[username].id,
                    invited_by_id=creator.id, created_at=self.day(history[1][1]),
                ))
            self.challenges[spec["key"]] = ch
        db.session.flush()

    def _audience(self, spec: dict) -> list[User]:
        """Who may take part: invited members, or every non-staff member."""
        if spec["visibility"] == "invite":
            return [self.users[u] for u in spec["invited"]]
        staff = {u for u, *_ in C.COMPANY_PEOPLE} | {"admin"}
        return [u for name, u in self.users.items() if name not in staff]

    # -- ideas and everything on them ----------------------------------------
    def ideas(self) -> None:
        specs = {s["key"]: s for s in C.CHALLENGES}
        all_ideas: list[tuple[Idea, dict]] = []
        accepted: set[tuple[int, int]] = set()
        for item in C.IDEAS:
            spec = specs[item["challenge"]]
            ch = self.challenges[item["challenge"]]
            author = self.users[item["author"]]
            created = self.day(-item["age"])
            lang = language_of(item["title"] + item["description"])
            description = item["description"]
            idea = self.add(Idea(
                challenge_id=ch.id, author_id=author.id, title=item["title"],
                slug=slugify(item["title"]), summary=item["summary"],
                description=description, tags=list(item["tags"]), language=lang,
                status=item.get("status", statuses.INITIAL), created_at=created, updated_at=created,
            ))
            db.session.flush()
            if (ch.id, author.id) not in accepted:
                accepted.add((ch.id, author.id))
                self.add(TermsAcceptance(
                    challenge_id=ch.id, user_id=author.id, terms_version=1,
                    terms_version_id=self.terms[ch.id].id, accepted_at=created,
                ))
            self.add(IdeaRevision(
                idea_id=idea.id, number=1, title=idea.title, summary=idea.summary,
                description=description, tags=list(idea.tags), editor_id=author.id,
                created_at=created,
            ))
            if item.get("revised"):
                edited = created + timedelta(days=3, hours=2)
                idea.description = description + C.REVISION_NOTE[lang]
                idea.updated_at = edited
                idea.revision_count = 2
                self.add(IdeaRevision(
                    idea_id=idea.id, number=2, title=idea.title, summary=idea.summary,
                    description=idea.description, tags=list(idea.tags), editor_id=author.id,
                    created_at=edited,
                ))
            all_ideas.append((idea, {"spec": spec, "lang": lang, "created": created}))
            db.session.flush()
        self.stats["ideas"] = len(all_ideas)
        self._decisions(all_ideas)
        self._judging(all_ideas)
        self._votes(all_ideas)
        self._comments(all_ideas)
        self._comparisons(all_ideas)
        self._counters()
        self._notifications(all_ideas)
        focus.load(self, all_ideas)  # the focus group and prototype of the scooter winner

    def _end_of_activity(self, spec: dict) -> datetime:
        """Votes and comments stop when a challenge leaves voting (or now)."""
        for prev, at in spec["history"]:
            if prev in ("review", "closed"):
                return self.day(at)
        return self.now

    def _decisions(self, ideas) -> None:
        for idea, meta in ideas:
            if idea.status == "submitted":
                continue
            spec = meta["spec"]
            history = dict(spec["history"])
            judge = self.users[spec["creator"]]
            reason = C.DECISIONS[idea.title]
            at = self.day(history["review"] + 2)
            if idea.status == "declined":
                steps = [("submitted", "declined", reason, at)]
            else:
                steps = [("submitted", "shortlisted",
                          reason if idea.status == "shortlisted" else "On the shortlist for the final round.",
                          at)]
            if idea.status == "winner":
                steps.append(("shortlisted", "winner", reason, self.day(history["closed"])))
            for from_s, to_s, why, when in steps:
                self.add(IdeaDecision(
                    idea_id=idea.id, from_status=from_s, to_status=to_s, reason=why,
                    actor_id=judge.id, created_at=when,
                ))
            idea.status_reason = reason
            idea.decided_at = steps[-1][3]
            idea.decided_by_id = judge.id

    def _judging(self, ideas) -> None:
        """The panels of C.JUDGING: invitations, rubric, assignments, scorecards with
        their audit trail; published where the spec says so."""
        by_title = {idea.title: idea for idea, _meta in ideas}
        specs = {s["key"]: s for s in C.CHALLENGES}
        cards = 0
        for key, plan in C.JUDGING.items():
            ch, spec = self.challenges[key], specs[key]
            history = dict(spec["history"])
            staff = self.users[spec["creator"]]
            start = self.day(history["review"])
            # Published before the refinement (focus groups) when the challenge had one.
            published = self.day(history.get("refinement", history["closed"]) - 1) if plan["published"] else None
            self.add(JudgingSetup(challenge_id=ch.id, blind=plan["blind"], judges_per_idea=plan["per_idea"],
                                  assign_mode="all", published_at=published,
                                  published_by_id=staff.id if published else None, created_at=start))
            lines = [(text, "", 1.0, 1, 5) for text in spec["criteria"]]
            if plan["extra_criterion"]:
                lines.append(plan["extra_criterion"])
            criteria = [self.add(RubricCriterion(challenge_id=ch.id, position=n, title=title, description=desc,
                                                 weight=weight, scale_low=low, scale_high=high))
                        for n, (title, desc, weight, low, high) in enumerate(lines, start=1)]
            db.session.flush()
            for n, (username, per_idea) in enumerate(plan["cards"].items()):
                judge = self.users[username]
                self.add(JudgeInvitation(challenge_id=ch.id, user_id=judge.id, status="accepted",
                                         invited_by_id=staff.id, created_at=start,
                                         responded_at=start + timedelta(hours=5 + n)))
                for m, (title, (values, status, comment, note)) in enumerate(per_idea.items()):
                    idea = by_title[title]
                    at = start + timedelta(days=1 + m, hours=n)
                    assignment = self.add(JudgeAssignment(challenge_id=ch.id, idea_id=idea.id, judge_id=judge.id,
                                                          assigned_at=start + timedelta(hours=2)))
                    db.session.flush()
                    card = self.add(Scorecard(assignment_id=assignment.id, judge_id=judge.id, idea_id=idea.id,
                                              status=status, comment_for_author=comment, note_for_staff=note,
                                              submitted_at=at if status == "submitted" else None,
                                              created_at=at, updated_at=at))
                    db.session.flush()
                    for criterion, value in zip(criteria, values, strict=True):
                        if value is None:
                            continue
                        self.add(Score(scorecard_id=card.id, criterion_id=criterion.id, value=value))
                        self.add(ScoreChange(scorecard_id=card.id, criterion_id=criterion.id, actor_id=judge.id,
                                             old_value=None, new_value=value, changed_at=at))
                    cards += 1
        self.stats["scorecards"] = cards

    def _random_time(self, start: datetime, end: datetime) -> datetime:
        span = max((end - start).total_seconds(), 60.0)
        return start + timedelta(seconds=self.rng.uniform(30, span))

    def _votes(self, ideas) -> None:
        count = 0
        for idea, meta in ideas:
            spec = meta["spec"]
            end = self._end_of_activity(spec)
            base = 0.5 + self.rng.random() * 0.45  # how much this idea appeals
            if idea.status in ("shortlisted", "winner"):
                base = max(base, 0.85)
            reach = 0.45 + self.rng.random() * 0.45  # how many members saw it
            for voter in self._audience(spec):
                if voter.id == idea.author_id or self.rng.random() > reach:
                    continue
                value = 1 if self.rng.random() < base else -1
                at = self._random_time(meta["created"], end)
                self.add(Vote(
                    idea_id=idea.id, challenge_id=idea.challenge_id, user_id=voter.id,
                    value=value, created_at=at, updated_at=at,
                ))
                count += 1
        db.session.flush()
        self.stats["votes"] = count

    def _comments(self, ideas) -> None:
        count = 0
        for idea, meta in ideas:
            spec = meta["spec"]
            end = self._end_of_activity(spec)
            audience = [u for u in self._audience(spec) if u.id != idea.author_id]
            author = self.users_by_id[idea.author_id]
            topical = list(C.TOPICAL.get(spec["key"], []))
            self.rng.shuffle(topical)
            used: set[int] = set()
            for _ in range(self.rng.randint(1, 3)):
                body = None
                if topical and self.rng.random() < 0.6:
                    lang, text = topical.pop()
                    fits = [u for u in audience if u.locale == lang and u.id not in used]
                    if fits:
                        asker, body = self.rng.choice(fits), text
                if body is None:
                    asker = self.rng.choice([u for u in audience if u.id not in used])
                    body = self.rng.choice(C.COMMENTS[asker.locale])
                used.add(asker.id)
                at = self._random_time(meta["created"], end - timedelta(hours=3))
                top = self.add(Comment(
                    idea_id=idea.id, author_id=asker.id, created_at=at, body=body,
                ))
                db.session.flush()
                count += 1
                replies = []
                if self.rng.random() < 0.6:
                    replies.append((author, C.AUTHOR_ANSWERS[author.locale].format(asker=asker.username)))
                if self.rng.random() < 0.4:
                    other = self.rng.choice([u for u in audience if u is not asker])
                    replies.append((other, self.rng.choice(C.REPLIES[other.locale]).format(
                        author=asker.username)))
                for k, (who, body) in enumerate(replies, start=1):
                    self.add(Comment(
                        idea_id=idea.id, author_id=who.id, parent_id=top.id, body=body,
                        created_at=at + timedelta(hours=k),
                    ))
                    count += 1
        db.session.flush()
        # One comment removed by moderation, to show that it is not counted.
        target = next(i for i, m in ideas if m["spec"]["key"] == "busstop")
        spammer = self.add(User(
            email=f"deals24@{EMAIL_DOMAIN}", username="deals24", display_name="Deals 24",
            password_hash="!", email_verified_at=self.day(-16), bio="", locale="en",
            created_at=self.day(-16), password_changed_at=self.day(-16), active=False,
        ))
        db.session.flush()
        at = self.day(-15)
        self.add(Comment(
            idea_id=target.id, author_id=spammer.id, body=C.SPAM, created_at=at,
            hidden_at=at + timedelta(hours=2), hidden_reason="Advertising",
            hidden_by_id=self.users["admin"].id,
        ))
        count += 1
        self.stats["comments"] = count

    def _comparisons(self, ideas) -> None:
        by_challenge: dict[int, list[Idea]] = {}
        for idea, _ in ideas:
            by_challenge.setdefault(idea.challenge_id, []).append(idea)
        count = 0
        for key in ("busstop", "dishwasher"):
            ch = self.challenges[key]
            pool = by_challenge[ch.id]
            spec = next(s for s in C.CHALLENGES if s["key"] == key)
            voters = self._audience(spec)
            for _ in range(8):
                left, right = self.rng.sample(pool, 2)
                user = self.rng.choice([v for v in voters if v.id not in (left.author_id, right.author_id)])
                winner = self.rng.choice([left.id, right.id, left.id, right.id, None])
                self.add(PairwiseComparison(
                    challenge_id=ch.id, user_id=user.id, left_id=left.id, right_id=right.id,
                    winner_id=winner, created_at=self._random_time(
                        max(left.created_at, right.created_at), self._end_of_activity(spec)),
                ))
                count += 1
        db.session.flush()
        self.stats["comparisons"] = count

    def _counters(self) -> None:
        """Every counter from the rows it counts, by the app's own recount; then each
        challenge's last activity."""
        db.session.flush()
        recount()
        for ch in self.challenges.values():
            stamps = [ch.published_at]
            stamps += db.session.execute(select(func.max(Idea.updated_at)).where(Idea.challenge_id == ch.id)).scalars().all()
            stamps += db.session.execute(select(func.max(Vote.updated_at)).where(Vote.challenge_id == ch.id)).scalars().all()
            stamps += db.session.execute(select(func.max(Comment.created_at)).join(Idea, Idea.id == Comment.idea_id).where(
                Idea.challenge_id == ch.id, Comment.deleted_at.is_(None), Comment.hidden_at.is_(None))).scalars().all()
            stamps = [t for t in stamps if t is not None]
            ch.last_activity_at = max(stamps) if stamps else None
        db.session.flush()

    def _notifications(self, ideas) -> None:
        count = 0
        for idea, _meta in ideas:
            kind = f"idea_{idea.status}"
            if kind not in C.NOTIFY:
                continue
            author = self.users_by_id[idea.author_id]
            self.add(Notification(
                user_id=author.id, kind=kind,
                text=C.NOTIFY[kind][author.locale].format(title=idea.title, reason=idea.status_reason),
                link=path_to("submissions.show", idea_id=idea.id, slug=idea.slug), created_at=idea.decided_at,
                read_at=idea.decided_at + timedelta(hours=5) if idea.status == "declined" else None,
            ))
            count += 1
        replies = db.session.scalars(
            select(Comment).where(Comment.parent_id.is_not(None)).order_by(Comment.id).limit(12)
        ).all()
        for c in replies:
            match = re.search(r"@([\w.]+)", c.body)
            if not match or match.group(1) not in self.users:
                continue
            who = self.users_by_id[c.author_id]
            target = self.users[match.group(1)]
            idea = db.session.get(Idea, c.idea_id)
            self.add(Notification(
                user_id=target.id, kind="mention",
                text=C.NOTIFY["mention"][target.locale].format(name=who.display_name, title=idea.title),
                link=path_to("submissions.show", idea_id=idea.id, slug=idea.slug) + f"#comment-{c.id}",
                created_at=c.created_at,
            ))
            count += 1
        self.stats["notifications"] = count

    def run(self) -> dict[str, int]:
        self.people()
        db.session.flush()
        self.users_by_id = {u.id: u for u in self.users.values()}
        self.challenges_()
        self.stats["challenges"] = len(self.challenges)
        self.ideas()
        db.session.flush()
        by_title = {idea.title: idea for idea in db.session.scalars(select(Idea))}
        self.stats.update(add_pictures(self.users, self.challenges, by_title))
        db.session.flush()
        return self.stats


def load_demo(now: datetime | None = None) -> dict[str, int]:
    """Write the whole demo community; returns counts of what was written. No commit."""
    from ideas.demo.track_record import load_track_record

    now = now or utcnow()
    stats = _Loader(now).run()
    more = load_track_record(now)  # reputation, follows, the feed (ideas/demo/track_record.py)
    for key in ("challenges", "ideas", "notifications"):
        stats[key] += more.pop(key, 0)
    stats.update(more)
    return stats
