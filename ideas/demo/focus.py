"""Demo focus group and prototype: the scooter challenge's winning idea went through a
private focus group (members, a past session with notes and attendance, a finished
feedback round, a discussion with replies, a synthesis) and became a prototype with two
iterations scored by member testers, launched. Called by the demo loader after the
ideas; rows written directly, with dates inside the challenge's refinement and
prototyping phases (content.py)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ideas.challenges.models import ChallengeCriterion
from ideas.extensions import db
from ideas.focus_groups.models import (
    Agreement,
    AgreementAcceptance,
    Attendance,
    FeedbackAnswer,
    FeedbackQuestion,
    FeedbackResponse,
    FeedbackRound,
    FocusGroup,
    FocusGroupIdea,
    GroupSession,
    Membership,
    Post,
)
from ideas.prototypes.models import (
    CriterionRating,
    Iteration,
    Prototype,
    PrototypeCredit,
    PrototypeStatusChange,
    TesterSignup,
    TestFeedback,
)
from ideas.submissions.models import Idea, IdeaDecision

CHALLENGE = "scooter"
IDEA = "Training wheels mode: a gentle speed curve for the first ten rides"
AGREEMENT = (
    "Everything shared in this group (crash data, firmware plans, prototype photos) is "
    "confidential until Nordlink publishes it. You may talk about your own ideas; you may "
    "not share other members' contributions or Nordlink's data outside the group."
)
MEMBERS = [  # username, why invited
    ("oliver.grant", "author of the idea"),
    ("li.na", "shortlisted idea in this category"),
    ("marek.prochazka", "shortlisted idea in this category"),
    ("daniel.reyes", "active in the challenge"),
    ("emma.clarke", "daily commuter, active in the challenge"),
]
THREADS = [
    ("How fast should level 1 be?", "oliver.grant",
     "15 km/h felt right on my own scooter, but on the shared ones with small wheels it may be too much. "
     "What did you feel on your first rides?",
     [("li.na", "第一次骑的时候 12 km/h 就觉得很快了，特别是在有电车轨道的路口。"),
      ("daniel.reyes", "Our crash data says most first-ride falls happen under 12 km/h: acceleration "
                       "matters more than top speed."),
      ("chen.wei", "Good point: the next iteration will soften the throttle curve first and cap speed second.")]),
    ("The progress bar must not feel like a punishment", "emma.clarke",
     "I would turn the levels into a **welcome**: \"ride 3 of 10, you unlocked smoother braking\".",
     [("marek.prochazka", "Souhlas. A ať jde úroveň přeskočit krátkým kvízem pro zkušené.")]),
]
QUESTIONS = [("rating", "How safe would you feel on your first ride with level 1?"),
             ("rating", "How clear is the progress bar?"),
             ("text", "What would you change before the pilot?")]
ANSWERS = {  # username: (rating 1, rating 2, text)
    "oliver.grant": (4, 3, "Show the next unlock on the unlock screen."),
    "li.na": (5, 4, "在雨天自动降低一级。"),
    "marek.prochazka": (4, 4, "Kvíz pro zkušené jezdce."),
    "daniel.reyes": (3, 2, "The bar is too small on the map screen."),
    "emma.clarke": (5, 4, ""),
}
TESTERS = ["james.okafor", "sophie.martin", "hannah.berg", "zhang.min", "dmitry.smirnov", "olga.petrova"]
# Per iteration: tester -> (ratings on the three criteria, worked, did not work)
FEEDBACK = [
    {"james.okafor": ((3, 4, 3), "The soft start stopped me wobbling.", "Level 2 came too fast."),
     "sophie.martin": ((4, 4, 2), "Felt safe at the tram crossing.", "Too slow on the bike lane once I knew it."),
     "hannah.berg": ((3, 5, 3), "", "The progress bar is hard to find."),
     "zhang.min": ((4, 4, 3), "起步很平顺。", "")},
    {"james.okafor": ((5, 4, 4), "Smooth all the way up.", ""),
     "sophie.martin": ((4, 5, 4), "The skip quiz works for me.", ""),
     "dmitry.smirnov": ((5, 4, 5), "Плавный разгон, ничего не мешает.", ""),
     "olga.petrova": ((4, 5, 4), "Понятный прогресс.", "Хотелось бы звук при разблокировке.")},
]


def load(loader, ideas) -> None:
    """Write the demo focus group and prototype (see the module's docstring)."""
    users = loader.users
    challenge = loader.challenges[CHALLENGE]
    idea = next(i for i, _meta in ideas if i.title == IDEA)
    staff = users["chen.wei"]
    day = loader.day
    # The idea's path: shortlisted (by the loader) -> selected -> prototyped -> winner.
    winner = db.session.scalar(select(IdeaDecision).where(IdeaDecision.idea_id == idea.id,
                                                          IdeaDecision.to_status == "winner"))
    winner.from_status = "prototyped"
    winner.created_at = day(-40)
    for from_s, to_s, why, when in (
            ("shortlisted", "selected", "The jury's top score: refined with members in a focus group.", day(-63)),
            ("selected", "prototyped", "A prototype of this idea is being built.", day(-52))):
        db.session.add(IdeaDecision(idea_id=idea.id, from_status=from_s, to_status=to_s, reason=why,
                                    actor_id=staff.id, created_at=when))

    group = FocusGroup(
        challenge_id=challenge.id, title="First rides, safer", size_limit=8, member_count=len(MEMBERS),
        purpose=("Refine the training wheels mode with its author and riders who know the streets: the "
                 "speed and throttle levels, the progress bar, and who may skip it."),
        starts_on=day(-62).date(), ends_on=day(-45).date(), agreement_version=1, created_by_id=staff.id,
        created_at=day(-62), updated_at=day(-46),
        synthesis=("Acceleration, not top speed, causes first-ride falls: soften the throttle first. Level 1 "
                   "at 12 km/h, five levels instead of ten, a skip quiz for experienced riders, and a "
                   "progress bar that welcomes rather than restricts."),
        synthesis_public=True, synthesis_at=day(-46), synthesis_by_id=staff.id)
    db.session.add(group)
    db.session.flush()
    db.session.add(FocusGroupIdea(group_id=group.id, idea_id=idea.id))
    agreement = Agreement(group_id=group.id, version=1, text=AGREEMENT, created_by_id=staff.id, created_at=day(-62))
    db.session.add(agreement)
    db.session.flush()
    for n, (username, why) in enumerate(MEMBERS):
        user = users[username]
        joined = day(-61) + timedelta(hours=3 * n)
        db.session.add(Membership(group_id=group.id, user_id=user.id, status="member", reason=why,
                                  invited_by_id=staff.id, invited_at=day(-62), responded_at=joined,
                                  joined_at=joined))
        db.session.add(AgreementAcceptance(group_id=group.id, user_id=user.id, version=1,
                                           agreement_id=agreement.id, accepted_at=joined))
    db.session.add(Membership(group_id=group.id, user_id=users["james.okafor"].id, status="declined",
                              reason="active in the challenge", invited_by_id=staff.id, invited_at=day(-62),
                              responded_at=day(-61)))
    for k, (title, author, body, replies) in enumerate(THREADS):
        at = day(-60 + 3 * k)
        thread = Post(group_id=group.id, author_id=users[author].id, title=title, body=body, created_at=at,
                      reply_count=len(replies), last_activity_at=at + timedelta(hours=len(replies) * 5))
        db.session.add(thread)
        db.session.flush()
        for m, (who, text) in enumerate(replies, start=1):
            db.session.add(Post(group_id=group.id, thread_id=thread.id, author_id=users[who].id, body=text,
                                created_at=at + timedelta(hours=5 * m), last_activity_at=at + timedelta(hours=5 * m)))
    session = GroupSession(
        group_id=group.id, title="Kick-off: the first ten rides", starts_at=day(-58).replace(hour=16, minute=0,
                                                                                           second=0, microsecond=0),
        duration_minutes=90, mode="online", video_link="https://meet.example.org/nordlink-first-rides",
        agenda="1. Crash data of first rides\n2. Levels and speeds\n3. The progress bar",
        notes=("- Falls come from **acceleration**, not top speed (Daniel's data).\n"
               "- Level 1 at 12 km/h; five levels.\n- Emma sketches a welcoming progress bar."),
        notes_at=day(-58) + timedelta(hours=20), created_by_id=staff.id, created_at=day(-60))
    db.session.add(session)
    db.session.flush()
    for username, _why in MEMBERS[:4]:
        db.session.add(Attendance(session_id=session.id, user_id=users[username].id))
    round_ = FeedbackRound(group_id=group.id, title="Level 1 and the progress bar", status="closed",
                           intro="Five minutes, before we build the prototype.", response_count=len(ANSWERS),
                           opened_at=day(-55), closed_at=day(-50), created_by_id=staff.id, created_at=day(-55))
    for position, (kind, text) in enumerate(QUESTIONS, start=1):
        round_.questions.append(FeedbackQuestion(position=position, kind=kind, text=text))
    db.session.add(round_)
    db.session.flush()
    for n, (username, (first, second, text)) in enumerate(ANSWERS.items()):
        response = FeedbackResponse(round_id=round_.id, user_id=users[username].id,
                                    submitted_at=day(-54) + timedelta(hours=n * 7))
        db.session.add(response)
        db.session.flush()
        q1, q2, q3 = round_.questions
        db.session.add(FeedbackAnswer(response_id=response.id, question_id=q1.id, rating=first))
        db.session.add(FeedbackAnswer(response_id=response.id, question_id=q2.id, rating=second))
        db.session.add(FeedbackAnswer(response_id=response.id, question_id=q3.id, text=text))

    prototype = Prototype(
        challenge_id=challenge.id, idea_id=idea.id, focus_group_id=group.id, title="Training wheels firmware",
        summary="Five levels of throttle and speed for new riders, unlocked ride by ride, with a skip quiz.",
        status="launched", visibility="public", iteration_count=2, created_by_id=staff.id,
        created_at=day(-52), updated_at=day(-41))
    db.session.add(prototype)
    db.session.flush()
    db.session.add(PrototypeCredit(prototype_id=prototype.id, user_id=idea.author_id, position=1))
    for from_s, to_s, when, note in ((None, "concept", -52, ""), ("concept", "building", -51, ""),
                                     ("building", "testing", -50, "v1 on ten scooters in Brno"),
                                     ("testing", "building", -47, "v2: softer throttle"),
                                     ("building", "testing", -45, "v2 on the same scooters"),
                                     ("testing", "launched", -41, "On the whole Brno fleet")):
        db.session.add(PrototypeStatusChange(prototype_id=prototype.id, from_status=from_s, to_status=to_s,
                                             note=note, actor_id=staff.id, at=day(when)))
    criteria = db.session.scalars(select(ChallengeCriterion).where(ChallengeCriterion.challenge_id == challenge.id)
                                  .order_by(ChallengeCriterion.position)).all()
    versions = [("v1", "Ten levels, top speed capped from 15 km/h.", "", -50),
                ("v2", "Five levels, the throttle softened first, a skip quiz.",
                 "Five levels instead of ten; acceleration softened before speed; a skip quiz; a bigger progress bar.",
                 -45)]
    count = 0
    for number, ((name, description, changes, when), testers) in enumerate(zip(versions, FEEDBACK, strict=True),
                                                                            start=1):
        iteration = Iteration(prototype_id=prototype.id, number=number, version_name=name, description=description,
                              changes=changes, places=4, waiting_places=2, held_places=len(testers),
                              signup_mode="first_come", test_open=False, feedback_count=len(testers),
                              created_by_id=staff.id, created_at=day(when))
        db.session.add(iteration)
        db.session.flush()
        for k, (username, (ratings, worked, did_not_work)) in enumerate(testers.items()):
            user = users[username]
            at = day(when) + timedelta(hours=6 + k)
            db.session.add(TesterSignup(iteration_id=iteration.id, user_id=user.id, status="confirmed",
                                        created_at=at, decided_at=at))
            fb = TestFeedback(iteration_id=iteration.id, tester_id=user.id, worked=worked, did_not_work=did_not_work,
                              created_at=at + timedelta(days=2),
                              reply="Thank you: v2 fixes this." if did_not_work and number == 1 else "",
                              replied_at=at + timedelta(days=3) if did_not_work and number == 1 else None,
                              replied_by_id=staff.id if did_not_work and number == 1 else None)
            db.session.add(fb)
            db.session.flush()
            for criterion, value in zip(criteria, ratings, strict=True):
                db.session.add(CriterionRating(feedback_id=fb.id, criterion_id=criterion.id, value=value))
            count += 1
    db.session.flush()
    loader.stats["focus groups"] = 1
    loader.stats["prototypes"] = 1
    loader.stats["test feedback"] = count
    # The idea's record says what the loader's closing decision said, now that it came last.
    idea_row = db.session.get(Idea, idea.id)
    idea_row.decided_at = winner.created_at
