"""Judging pages: the judge's queue and scorecards, and the staff's setup, progress,
ranking and comparison with the community. Thin: load, call one service inside
`writing`, answer; the rules are in policy.py and services.py."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ideas.challenges.models import Challenge
from ideas.challenges.policy import can_view
from ideas.core.db import writing
from ideas.core.errors import DomainError
from ideas.core.pagination import page_arg
from ideas.core.pipeline import error_status, load_or_404, show_error
from ideas.extensions import db
from ideas.judging import policy, services
from ideas.judging.forms import (
    ActionForm,
    AssignForm,
    ConflictForm,
    DecisionForm,
    InviteForm,
    RemindForm,
    RubricForm,
    ScorecardForm,
    SettingsForm,
    rubric_rows,
    score_values,
)
from ideas.judging.models import JudgeAssignment, JudgeInvitation, Scorecard
from ideas.submissions.models import Idea
from ideas.submissions.policy import can_view_idea

bp = Blueprint("judging", __name__)


# -- loading ----------------------------------------------------------------------

def _staff_challenge(challenge_id: int) -> Challenge:
    challenge = load_or_404(Challenge, challenge_id, can_view)
    if not policy.is_staff(current_user, challenge):
        abort(403)
    return challenge


def _staff_idea(idea_id: int) -> Idea:
    idea = load_or_404(Idea, idea_id, can_view_idea)
    if not policy.is_staff(current_user, idea.challenge):
        abort(403)
    return idea


def _judged_idea(idea_id: int) -> tuple[Idea, JudgeAssignment]:
    """An idea assigned to the current judge; 404 for anyone else (a judge learns nothing
    about ideas that are not theirs to judge)."""
    idea = db.session.get(Idea, idea_id) if 1 <= idea_id <= 2**31 else None
    assignment = policy.assignment_for(current_user, idea) if idea is not None else None
    if assignment is None or not policy.may_judge(current_user, idea):
        abort(404)
    return idea, assignment


def _manage_url(challenge: Challenge) -> str:
    return url_for("judging.manage", challenge_id=challenge.id, slug=challenge.slug)


def _back_to(challenge: Challenge):
    target = request.form.get("next")
    if target == "ranking":
        return redirect(url_for("judging.ranking", challenge_id=challenge.id, slug=challenge.slug), code=303)
    return redirect(_manage_url(challenge), code=303)


def _form_refused(form) -> None:
    for name, errors in form.errors.items():
        if name == "csrf_token":
            flash(_("The form expired; please send it again."), "danger")
        else:
            field = getattr(form, name)
            flash(f"{field.label.text}: {errors[0]}", "danger")
        return


# -- the judge ----------------------------------------------------------------------

@bp.get("/judging")
@login_required
def home():
    """The judge's page: invitations to answer and, per challenge, the ideas to score."""
    return render_template("judging/home.html", invitations=services.pending_invitations(current_user),
                           queues=services.queue_summary(current_user), form=ActionForm())


@bp.post("/judging/invitations/<int:invitation_id>")
@login_required
def respond(invitation_id: int):
    invitation = load_or_404(JudgeInvitation, invitation_id, lambda user, inv: inv.user_id == user.id)
    form = ActionForm()
    if not form.validate_on_submit():
        _form_refused(form)
        return redirect(url_for("judging.home"), code=303)
    accept = request.form.get("answer") == "accept"
    with writing(db.session):
        services.respond_to_invitation(current_user, invitation, accept)
    flash(_("Welcome to the panel. Your ideas to score appear here once the staff give out the shortlist.")
          if accept else _("You declined the invitation."), "success")
    return redirect(url_for("judging.home"), code=303)


@bp.get("/judging/challenges/<int:challenge_id>")
@login_required
def queue(challenge_id: int):
    challenge = load_or_404(Challenge, challenge_id, policy.is_judge)
    page = services.challenge_queue(current_user, challenge, page_arg())
    summary = next((q for q in services.queue_summary(current_user) if q["challenge"].id == challenge.id), None)
    return render_template("judging/queue.html", challenge=challenge, page=page, summary=summary,
                           setup=services.setup_for(challenge))


def _scorecard_page(idea: Idea, assignment, form, status: int = 200, values=None, error_field=None):
    criteria = services.rubric(idea.challenge)
    card = services.scorecard_for(current_user, idea)
    current = {s.criterion_id: s.value for s in card.scores} if card else {}
    if values is not None:
        current = {**current, **values}  # what the judge typed, shown back with the message
    setup = services.setup_for(idea.challenge)
    return render_template("judging/scorecard.html", idea=idea, challenge=idea.challenge, criteria=criteria,
                           card=card, values=current, form=form, conflict_form=ConflictForm(prefix="conflict"),
                           show_authors=policy.shows_authors_to_judges(setup), setup=setup,
                           closed=services.scoring_closed(idea), error_field=error_field,
                           assignment=assignment), status


@bp.route("/judging/ideas/<int:idea_id>", methods=["GET", "POST"])
@login_required
def scorecard(idea_id: int):
    """One assigned idea with the rubric beside it: scores, a comment for the authors, a
    note for staff; "Save draft" keeps it, "Submit" makes it final."""
    idea, assignment = _judged_idea(idea_id)
    card = services.scorecard_for(current_user, idea)
    form = ScorecardForm(obj=card) if request.method == "GET" else ScorecardForm()
    if request.method == "POST":
        criteria = services.rubric(idea.challenge)
        values = score_values(request.form, criteria)
        if not form.validate_on_submit():
            return _scorecard_page(idea, assignment, form, 422, values)
        submit = request.form.get("action") == "submit"
        call = services.submit_scorecard if submit else services.save_scorecard
        try:
            with writing(db.session):
                call(current_user, idea, values, form.comment_for_author.data or "", form.note_for_staff.data or "")
        except DomainError as exc:
            show_error(form, exc)  # a score's error has no form field: it goes to the top, once
            return _scorecard_page(idea, assignment, form, error_status(exc), values, error_field=exc.field)
        flash(_("Your scorecard is submitted. Thank you!") if submit else _("Your draft is saved."), "success")
        if submit:
            return redirect(url_for("judging.queue", challenge_id=idea.challenge_id), code=303)
        return redirect(url_for("judging.scorecard", idea_id=idea.id), code=303)
    return _scorecard_page(idea, assignment, form)


@bp.post("/judging/ideas/<int:idea_id>/conflict")
@login_required
def conflict(idea_id: int):
    idea, assignment = _judged_idea(idea_id)
    form = ConflictForm(prefix="conflict")
    if not form.validate_on_submit():
        _form_refused(form)
        return redirect(url_for("judging.scorecard", idea_id=idea.id), code=303)
    with writing(db.session):
        replacement = services.declare_conflict(current_user, assignment, form.reason.data)
    flash(_("Thank you for telling us. The idea passes to another judge.") if replacement else
          _("Thank you for telling us. The staff will find another judge for this idea."), "success")
    return redirect(url_for("judging.queue", challenge_id=idea.challenge_id), code=303)


# -- the staff ----------------------------------------------------------------------

@bp.get("/challenges/<int:challenge_id>-<slug>/judging")
@login_required
def manage(challenge_id: int, slug: str):
    challenge = _staff_challenge(challenge_id)
    if slug != challenge.slug:
        return redirect(_manage_url(challenge), code=301)
    setup = services.setup_for(challenge)
    settings = SettingsForm(obj=setup) if setup else SettingsForm(blind=True, judges_per_idea=3)
    report = services.progress(current_user, challenge)
    shortlisted, undecided = services.shortlist_counts(challenge)
    return render_template("judging/manage.html", challenge=challenge, setup=setup, report=report,
                           invite_form=InviteForm(), settings_form=settings, assign_form=AssignForm(
                               mode=setup.assign_mode if setup and setup.assign_mode else "balanced"),
                           remind_form=RemindForm(), action_form=ActionForm(),
                           criteria=services.rubric(challenge), shortlisted=shortlisted, undecided=undecided)


@bp.post("/challenges/<int:challenge_id>-<slug>/judging/invite")
@login_required
def invite(challenge_id: int, slug: str):
    challenge = _staff_challenge(challenge_id)
    form = InviteForm()
    if not form.validate_on_submit():
        _form_refused(form)
        return _back_to(challenge)
    with writing(db.session):
        invitation = services.invite_judge(current_user, challenge, form.judge.data)
    flash(_("%(name)s is invited to the panel.", name=invitation.user.display_name), "success")
    return _back_to(challenge)


@bp.post("/challenges/<int:challenge_id>-<slug>/judging/settings")
@login_required
def settings(challenge_id: int, slug: str):
    challenge = _staff_challenge(challenge_id)
    form = SettingsForm()
    if not form.validate_on_submit():
        _form_refused(form)
        return _back_to(challenge)
    with writing(db.session):
        services.configure(current_user, challenge, blind=form.blind.data, judges_per_idea=form.judges_per_idea.data)
    flash(_("The judging settings are saved."), "success")
    return _back_to(challenge)


@bp.post("/challenges/<int:challenge_id>-<slug>/judging/assign")
@login_required
def assign(challenge_id: int, slug: str):
    challenge = _staff_challenge(challenge_id)
    form = AssignForm()
    if not form.validate_on_submit():
        _form_refused(form)
        return _back_to(challenge)
    with writing(db.session):
        created = services.assign_shortlist(current_user, challenge, form.mode.data)
    flash(ngettext("%(num)d assignment given to the panel.", "%(num)d assignments given to the panel.",
                   len(created)) if created else _("Everything on the shortlist was already assigned."), "success")
    return _back_to(challenge)


@bp.post("/challenges/<int:challenge_id>-<slug>/judging/remind")
@login_required
def remind(challenge_id: int, slug: str):
    challenge = _staff_challenge(challenge_id)
    form = RemindForm()
    if not form.validate_on_submit():
        _form_refused(form)
        return _back_to(challenge)
    judge_id = int(form.judge.data) if (form.judge.data or "").isdigit() else None
    with writing(db.session):
        n = services.remind_late_judges(current_user, challenge, judge_id)
    flash(ngettext("%(num)d judge reminded.", "%(num)d judges reminded.", n), "success")
    return _back_to(challenge)


@bp.post("/challenges/<int:challenge_id>-<slug>/judging/publish")
@login_required
def publish(challenge_id: int, slug: str):
    challenge = _staff_challenge(challenge_id)
    form = ActionForm()
    if not form.validate_on_submit():
        _form_refused(form)
        return _back_to(challenge)
    with writing(db.session):
        services.publish_results(current_user, challenge)
    flash(_("The results are published: every author is told the decision and the judges' comments."), "success")
    return _back_to(challenge)


@bp.route("/challenges/<int:challenge_id>-<slug>/judging/rubric", methods=["GET", "POST"])
@login_required
def rubric(challenge_id: int, slug: str):
    challenge = _staff_challenge(challenge_id)
    form = RubricForm()
    current = services.rubric(challenge)
    rows = ([{"title": c.title, "description": c.description, "weight": f"{c.weight:g}",
              "scale_low": c.scale_low, "scale_high": c.scale_high} for c in current]
            or services.default_rubric(challenge))
    status = 200
    if request.method == "POST":
        rows = rubric_rows(request.form)
        if form.validate_on_submit():
            try:
                with writing(db.session):
                    services.set_rubric(current_user, challenge, rows)
            except DomainError as exc:
                show_error(form, exc)
                status = error_status(exc)
                error_field = exc.field
            else:
                flash(_("The rubric is saved."), "success")
                return redirect(_manage_url(challenge), code=303)
        else:
            status, error_field = 422, None
        return render_template("judging/rubric.html", challenge=challenge, form=form, rows=rows,
                               started=services.scoring_started(challenge), error_field=error_field,
                               blank_rows=2), status
    return render_template("judging/rubric.html", challenge=challenge, form=form, rows=rows,
                           started=services.scoring_started(challenge), error_field=None,
                           blank_rows=0 if services.scoring_started(challenge) else 2,
                           prefilled=not current)


@bp.get("/challenges/<int:challenge_id>-<slug>/judging/ranking")
@login_required
def ranking(challenge_id: int, slug: str):
    challenge = _staff_challenge(challenge_id)
    result = services.ranking_page(current_user, challenge, page_arg())
    return render_template("judging/ranking.html", challenge=challenge, result=result,
                           decision_form=DecisionForm(), low_agreement_at=services.scoring.LOW_AGREEMENT)


@bp.get("/challenges/<int:challenge_id>-<slug>/judging/community")
@login_required
def community(challenge_id: int, slug: str):
    challenge = _staff_challenge(challenge_id)
    return render_template("judging/community.html", challenge=challenge,
                           result=services.community_comparison(current_user, challenge))


@bp.get("/judging/ideas/<int:idea_id>/scorecards")
@login_required
def idea_scorecards(idea_id: int):
    idea = _staff_idea(idea_id)
    cards = services.idea_scorecards(current_user, idea)
    criteria = services.rubric(idea.challenge)
    return render_template("judging/idea_scorecards.html", idea=idea, challenge=idea.challenge, cards=cards,
                           criteria=criteria, titles={c.id: c.title for c in criteria},
                           conflicts=services.idea_conflicts(current_user, idea),
                           pending=services.pending_decision(idea), setup=services.setup_for(idea.challenge),
                           values={card.id: {s.criterion_id: s.value for s in card.scores} for card in cards},
                           history={c.id: services.score_history(current_user, c) for c in cards},
                           action_form=ActionForm(), decision_form=DecisionForm())


@bp.post("/judging/scorecards/<int:scorecard_id>/reopen")
@login_required
def reopen(scorecard_id: int):
    card = load_or_404(Scorecard, scorecard_id)
    idea = _staff_idea(card.idea_id)
    form = ActionForm()
    if form.validate_on_submit():
        with writing(db.session):
            services.reopen_scorecard(current_user, card)
        flash(_("The scorecard is open again: its judge can change it and submit it again."), "success")
    else:
        _form_refused(form)
    return redirect(url_for("judging.idea_scorecards", idea_id=idea.id), code=303)


def _decide(idea_id: int, call, done: str):
    idea = _staff_idea(idea_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        _form_refused(form)
        return _back_to(idea.challenge)
    with writing(db.session):
        call(current_user, idea, form.reason.data)
    flash(done, "success")
    return _back_to(idea.challenge)


@bp.post("/judging/ideas/<int:idea_id>/select")
@login_required
def select(idea_id: int):
    return _decide(idea_id, services.select_idea,
                   _("Selected for refinement. The decision is kept until you publish the results; you can "
                     "still change it."))


@bp.post("/judging/ideas/<int:idea_id>/decline")
@login_required
def decline(idea_id: int):
    return _decide(idea_id, services.decline_idea,
                   _("Declined with your feedback. The decision is kept until you publish the results; you can "
                     "still change it."))


@bp.post("/judging/ideas/<int:idea_id>/undo-decision")
@login_required
def undo_decision(idea_id: int):
    idea = _staff_idea(idea_id)
    form = ActionForm()
    if form.validate_on_submit():
        with writing(db.session):
            services.undo_decision(current_user, idea)
        flash(_("The decision is taken back: the idea waits for your decision again."), "success")
    else:
        _form_refused(form)
    return _back_to(idea.challenge)
