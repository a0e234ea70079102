"""The demo community's track record: a challenge Lumora ran last year (closed, its
best idea prototyped), comments the idea authors marked helpful, a few milestones
on the e-scooter winner's way, follows, and then the ledger, expert status and
activity feed computed from those facts the way the app computes them
(`flask reputation rebuild`, `flask reputation review`). What `make run` shows:
members at every level, experts in home appliances and in mobility with their
badges, leaderboards, follows and a feed.

Rows are written directly, with fixed choices, so the same community appears every
time. The caller commits.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select

from ideas.accounts.models import User
from ideas.challenges.models import (
    Challenge,
    ChallengeCriterion,
    PhasePlan,
    PhaseTransition,
    TermsAcceptance,
)
from ideas.challenges.services import record_terms_version
from ideas.companies.models import Company, CompanyMember
from ideas.core.slugs import slugify
from ideas.demo import content as C
from ideas.demo.loader import language_of
from ideas.extensions import db
from ideas.notifications import feed
from ideas.notifications.models import Follow
from ideas.reputation import experts, ledger
from ideas.submissions.counters import recount
from ideas.submissions.models import Comment, Idea, IdeaDecision, IdeaRevision, Vote

SEED = 19

PAST = {
    "title": "A quieter spin cycle",
    "summary": "Our washing machines are loudest in the last two minutes of spinning. How do we make the "
               "spin quiet enough for a flat with thin walls?",
    "problem": "Customers in blocks of flats tell us the final spin wakes their children and annoys the "
               "neighbours. The drum passes through a resonance band on its way to 1,400 rpm, and the whole "
               "machine hums with the floor.\n\nWe want ideas that lower the peak noise without longer "
               "programmes or a heavier machine.",
    "criteria": ["Peak noise below 70 dB(A) at 1 m", "No longer programme time", "Adds less than 2 kg"],
    "category": "home", "company": "lumora", "creator": "tom.hale",
    "created": -430, "published": -420, "voting": -395, "review": -380, "refinement": -365,
    "prototyping": -345, "closed": -300,
}

PAST_IDEAS = [
    {"author": "hannah.berg", "age": 418, "outcome": ["shortlisted", "selected", "prototyped"], "appeal": 0.95,
     "title": "Spin ramp that skips the resonance band",
     "summary": "Measure the drum's imbalance in the first seconds and ramp through the resonance band fast, "
                "instead of climbing slowly through it.",
     "description": "The loudest moment is not top speed but the band around 600–800 rpm where the tub "
                    "resonates. The motor controller already knows the load; with the imbalance estimate it "
                    "can choose a steep ramp through that band and settle above it.\n\nIn our pump lab a "
                    "similar ramp cut the peak by 6 dB with no hardware change."},
    {"author": "katerina.dvorak", "age": 415, "outcome": ["shortlisted"], "appeal": 0.85,
     "title": "Pračka, která ví, kde stojí",
     "summary": "Při instalaci pračka změří, jak moc se podlaha chvěje, a podle toho zvolí nejvyšší tichou "
                "rychlost odstřeďování.",
     "description": "Stejná pračka je na betonu tichá a na dřevěné podlaze v paneláku hučí celý dům. "
                    "Krátký kalibrační cyklus po instalaci by změřil odezvu podlahy akcelerometrem a "
                    "nastavil limit otáček pro noční programy."},
    {"author": "wang.lei", "age": 412, "outcome": ["shortlisted"], "appeal": 0.8,
     "title": "可调阻尼的减震脚",
     "summary": "用装有磁流变液的减震脚代替普通橡胶脚，脱水时自动变硬，平时保持柔软。",
     "description": "普通橡胶脚只能兼顾一种频率。磁流变阻尼脚在共振频段提高阻尼，"
                    "其余时间保持柔软，减少传到地板的振动。成本约每台十五元。"},
    {"author": "sophie.martin", "age": 410, "outcome": ["declined"], "appeal": 0.6,
     "title": "A night mode that spins later",
     "summary": "Let the machine pause before the final spin and finish it at a time the household chooses.",
     "description": "If the spin cannot be quiet, it can at least be at the right time: after 7 in the "
                    "morning, or when nobody is home.",
     "reason": "Thank you: helpful for scheduling, but it does not lower the noise, which is what this "
               "challenge asked for."},
    {"author": "mia.novotna", "age": 405, "outcome": [], "appeal": 0.55,
     "title": "Zvukově izolační kryt z recyklované plsti",
     "summary": "Vnitřní strana bočnic polepená plstí z recyklovaných textilií pohltí vysoké tóny motoru.",
     "description": "Plsť z odpadu textilek je levná a lehká. Nepomůže na basy, ale pískání motoru a "
                    "ložisek by tlumila výrazně."},
]

PAST_COMMENTS = [  # (idea author, commenter, text, marked helpful by the idea's author)
    ("hannah.berg", "ondrej.svoboda", "Does the ramp need a stronger motor driver, or is the current one enough?",
     True),
    ("hannah.berg", "wang.lei", "共振频段和负载有关，建议按衣物重量分三档。", True),
    ("katerina.dvorak", "hannah.berg", "An accelerometer on the tub already exists in most machines: the "
     "calibration could reuse it.", True),
    ("wang.lei", "hannah.berg", "Worth testing with a cheap passive damper first to see the gain.", True),
    ("mia.novotna", "natalia.kuznetsova", "Войлок может впитывать влагу — нужна защитная плёнка.", True),
]

# Members one of whose comments (on someone else's idea, in a challenge of that category
# when one is named) the idea's author marked helpful, once a line.
HELPFUL = [("ondrej.svoboda", None), ("natalia.kuznetsova", None), ("lucie.kralova", None),
           ("sergey.volkov", None), ("sergey.volkov", None), ("daniel.reyes", None),
           ("katerina.dvorak", "mobility"), ("katerina.dvorak", "mobility"), ("katerina.dvorak", None),
           ("katerina.dvorak", None)]

FOLLOWS = [  # (member, kind, what)
    ("katerina.dvorak", "company", "lumora"), ("katerina.dvorak", "challenge", "washer"),
    ("katerina.dvorak", "member", "hannah.berg"), ("katerina.dvorak", "member", "olga.petrova"),
    ("lucie.kralova", "company", "lumora"), ("lucie.kralova", "member", "katerina.dvorak"),
    ("wang.lei", "challenge", "dishwasher"), ("wang.lei", "member", "hannah.berg"),
    ("emma.clarke", "company", "lumora"), ("emma.clarke", "challenge", "washer"),
    ("emma.clarke", "member", "oliver.grant"),
    ("li.na", "company", "nordlink"), ("li.na", "member", "oliver.grant"),
    ("marek.prochazka", "challenge", "busstop"), ("marek.prochazka", "member", "li.na"),
    ("hannah.berg", "member", "wang.lei"), ("oliver.grant", "challenge", "busstop"),
]


class _TrackRecord:
    def __init__(self, now: datetime):
        self.now = now
        self.rng = random.Random(SEED)
        self.users = {u.username: u for u in db.session.scalars(select(User))}
        self.stats: dict[str, int] = {}

    def day(self, offset: float) -> datetime:
        return self.now + timedelta(days=offset)

    def past_challenge(self) -> None:
        spec = PAST
        company = db.session.scalar(select(Company).where(Company.name == C.COMPANIES[spec["company"]]["name"]))
        creator = self.users[spec["creator"]]
        ch = Challenge(company_id=company.id, created_by_id=creator.id, title=spec["title"],
                       slug=slugify(spec["title"]), summary=spec["summary"], problem=spec["problem"],
                       category=spec["category"], tags=["noise", "vibration"], terms=C.TERMS, terms_version=1,
                       language=language_of(spec["title"] + spec["summary"] + spec["problem"]),
                       reward_text="A prototype built in our Kladno test centre, and EUR 2,000 for the best idea",
                       visibility="public", phase="closed", published_at=self.day(spec["published"]),
                       created_at=self.day(spec["created"]), updated_at=self.day(spec["closed"]))
        db.session.add(ch)
        db.session.flush()
        terms = record_terms_version(ch, creator, now=self.day(spec["created"]))
        for pos, text in enumerate(spec["criteria"], start=1):
            db.session.add(ChallengeCriterion(challenge_id=ch.id, position=pos, text=text))
        steps = [("draft", "created"), ("submission", "published"), ("voting", "voting"), ("review", "review"),
                 ("refinement", "refinement"), ("prototyping", "prototyping"), ("closed", "closed")]
        for (phase, _key), (nxt, nkey) in zip(steps, steps[1:], strict=False):
            db.session.add(PhasePlan(challenge_id=ch.id, phase=nxt, starts_at=self.day(spec[nkey])))
            db.session.add(PhaseTransition(challenge_id=ch.id, from_phase=phase, to_phase=nxt,
                                           actor_id=creator.id, at=self.day(spec[nkey])))
        staff = set(db.session.scalars(select(CompanyMember.user_id)))
        voters = [u for u in self.users.values() if u.id not in staff and not u.is_admin and u.active
                  and u.username in {m[0] for m in C.MEMBERS + C.JUDGES}]
        ideas = {}
        for item in PAST_IDEAS:
            author = self.users[item["author"]]
            created = self.day(-item["age"])
            outcome = item["outcome"]
            status = outcome[-1] if outcome else "declined"
            idea = Idea(challenge_id=ch.id, author_id=author.id, title=item["title"], slug=slugify(item["title"]),
                        summary=item["summary"], description=item["description"], tags=[], status=status,
                        language=language_of(item["title"] + item["summary"] + item["description"]),
                        created_at=created, updated_at=created)
            db.session.add(idea)
            db.session.flush()
            ideas[item["author"]] = idea
            db.session.add(TermsAcceptance(challenge_id=ch.id, user_id=author.id, terms_version=1,
                                           terms_version_id=terms.id, accepted_at=created))
            db.session.add(IdeaRevision(idea_id=idea.id, number=1, title=idea.title, summary=idea.summary,
                                        description=idea.description, tags=[], editor_id=author.id,
                                        created_at=created))
            previous, at = "submitted", self.day(spec["review"] + 3)
            for n, to_status in enumerate(outcome or ["declined"]):
                reason = item.get("reason") or {
                    "shortlisted": "On the shortlist: measurable, cheap to try.",
                    "selected": "Selected for the focus group with our acoustics team.",
                    "prototyped": "Prototyped in Kladno: peak noise down 5 dB(A) in the test flat.",
                    "declined": "Thank you. Felt absorbs little of the low hum that bothers people; we keep "
                                "the idea for the motor's whine.",
                }[to_status]
                when = at + timedelta(days=20 * n)
                db.session.add(IdeaDecision(idea_id=idea.id, from_status=previous, to_status=to_status,
                                            reason=reason, actor_id=creator.id, created_at=when))
                previous = to_status
                idea.status_reason, idea.decided_at, idea.decided_by_id = reason, when, creator.id
            for voter in voters:
                if voter.id == author.id or self.rng.random() > 0.8:
                    continue
                when = created + timedelta(days=self.rng.uniform(1, 30))
                db.session.add(Vote(idea_id=idea.id, challenge_id=ch.id, user_id=voter.id,
                                    value=1 if self.rng.random() < item["appeal"] else -1,
                                    created_at=when, updated_at=when))
        db.session.flush()
        for author, commenter, text, helpful in PAST_COMMENTS:
            idea = ideas[author]
            at = idea.created_at + timedelta(days=2, hours=self.rng.randint(1, 20))
            db.session.add(Comment(idea_id=idea.id, author_id=self.users[commenter].id, body=text, created_at=at,
                                   helpful_at=at + timedelta(hours=5) if helpful else None,
                                   helpful_by_id=idea.author_id if helpful else None))
        ch.last_activity_at = self.day(spec["closed"])
        db.session.flush()
        self.stats["challenges"] = self.stats.get("challenges", 0) + 1
        self.stats["ideas"] = len(PAST_IDEAS)

    def winner_milestones(self) -> None:
        """The e-scooter winner went through selection and a prototype before it won."""
        decision = db.session.scalar(select(IdeaDecision).where(IdeaDecision.to_status == "winner"))
        if decision is None:
            return
        staff = decision.actor_id
        won = decision.created_at
        decision.from_status = "prototyped"
        db.session.add(IdeaDecision(idea_id=decision.idea_id, from_status="shortlisted", to_status="selected",
                                    reason="Selected for a ride test with our fleet team.", actor_id=staff,
                                    created_at=won - timedelta(days=20)))
        db.session.add(IdeaDecision(idea_id=decision.idea_id, from_status="selected", to_status="prototyped",
                                    reason="Prototyped on twenty fleet scooters for a month.", actor_id=staff,
                                    created_at=won - timedelta(days=10)))

    def helpful_marks(self) -> None:
        """Idea authors mark comments helpful (the first fitting comment for each line)."""
        marked = 0
        for commenter, category in HELPFUL:
            query = (select(Comment).join(Idea, Idea.id == Comment.idea_id)
                     .join(Challenge, Challenge.id == Idea.challenge_id)
                     .where(Comment.author_id == self.users[commenter].id, Comment.helpful_at.is_(None),
                            Comment.hidden_at.is_(None), Idea.author_id != Comment.author_id)
                     .order_by(Comment.id))
            if category:
                query = query.where(Challenge.category == category)
            comment = db.session.scalar(query)
            if comment is None:
                continue
            idea = db.session.get(Idea, comment.idea_id)
            comment.helpful_at = comment.created_at + timedelta(hours=6)
            comment.helpful_by_id = idea.author_id
            marked += 1
        self.stats["helpful comments"] = marked + sum(1 for *_x, h in PAST_COMMENTS if h)

    def follows(self) -> None:
        keys = {s["key"]: s["title"] for s in C.CHALLENGES}
        challenges = {c.title: c for c in db.session.scalars(select(Challenge))}
        companies = {c.name: c for c in db.session.scalars(select(Company))}
        for username, kind, what in FOLLOWS:
            if kind == "company":
                target = companies[C.COMPANIES[what]["name"]].id
            elif kind == "challenge":
                target = challenges[keys[what]].id
            else:
                target = self.users[what].id
            db.session.add(Follow(user_id=self.users[username].id, target_kind=kind, target_id=target,
                                  created_at=self.day(-60)))
        self.stats["follows"] = len(FOLLOWS)

    def vote_notices(self) -> None:
        """Authors of ideas in open challenges have one grouped notice of the up-votes of
        the last three days ("5 new up-votes on your idea")."""
        from sqlalchemy import func

        from ideas.core.links import path_to
        from ideas.notifications.models import Notification
        from ideas.notifications.services import group_key

        since = self.day(-3)
        rows = db.session.execute(
            select(Idea, func.count(Vote.id), func.max(Vote.updated_at)).join(Vote, Vote.idea_id == Idea.id)
            .join(Challenge, Challenge.id == Idea.challenge_id)
            .where(Vote.value == 1, Vote.updated_at >= since, Challenge.phase.in_(("submission", "voting")))
            .group_by(Idea.id).order_by(Idea.id)).all()
        for idea, count, latest in rows:
            link = path_to("submissions.show", idea_id=idea.id, slug=idea.slug)
            db.session.add(Notification(user_id=idea.author_id, kind="upvotes", text=idea.title, link=link,
                                        created_at=latest, idea_id=idea.id, challenge_id=idea.challenge_id,
                                        group_key=group_key("upvotes", link), count=count))
        self.stats["notifications"] = len(rows)

    def run(self) -> dict[str, int]:
        self.past_challenge()
        self.winner_milestones()
        self.helpful_marks()
        db.session.flush()
        recount()
        self.follows()
        self.vote_notices()
        self.stats["activities"] = feed.backfill()
        db.session.flush()
        report = ledger.rebuild(now=self.now)
        self.stats["point entries"] = report.appended
        counts = experts.review_all(now=self.now)
        self.stats["experts"] = counts["grant"]
        db.session.flush()
        return self.stats


def load_track_record(now: datetime) -> dict[str, int]:
    """Add the track record to a freshly loaded demo community; no commit."""
    return _TrackRecord(now).run()
