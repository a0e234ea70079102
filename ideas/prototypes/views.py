"""Prototype pages: the list, creating one from a selected idea, the prototype's page
(status and history, credits, iterations, test sign-up, the scores chart and table,
feedback and replies), staff actions, and the private images. Thin: load by policy,
call one service inside `writing`, answer."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ideas.core import charts
from ideas.core.db import writing
from ideas.core.errors import DomainError
from ideas.core.image_fields import image_uploads
from ideas.core.pagination import page_arg
from ideas.core.pipeline import error_status, load_or_404, show_error
from ideas.core.uploads import upload_dir
from ideas.extensions import db
from ideas.prototypes import policy, services, statuses, testing
from ideas.prototypes.forms import (
    ActionForm,
    FeedbackForm,
    IterationForm,
    PrototypeForm,
    ReplyForm,
    StatusForm,
    TestForm,
    VisibilityForm,
    rating_values,
)
from ideas.prototypes.models import (
    FeedbackImage,
    Iteration,
    IterationImage,
    Prototype,
    TesterSignup,
    TestFeedback,
)
from ideas.submissions.models import Idea
from ideas.submissions.policy import can_view_idea

bp = Blueprint("prototypes", __name__)
bp.add_app_template_global(statuses.label, "prototype_status_label")
bp.add_app_template_global(statuses.style, "prototype_status_style")
bp.add_app_template_global(statuses.signup_label, "signup_label")


def load_prototype(prototype_id: int, *, staff: bool = False) -> Prototype:
    prototype = load_or_404(Prototype, prototype_id, policy.can_view,
                            options=(joinedload(Prototype.idea), joinedload(Prototype.challenge)))
    if staff and not policy.is_staff(current_user, prototype.challenge):
        abort(403)
    return prototype


def _iteration(iteration_id: int, *, staff: bool = False) -> tuple[Iteration, Prototype]:
    iteration = load_or_404(Iteration, iteration_id)
    return iteration, load_prototype(iteration.prototype_id, staff=staff)


def _url(prototype: Prototype, anchor: str = "") -> str:
    return url_for("prototypes.show", prototype_id=prototype.id) + (f"#{anchor}" if anchor else "")


def _refused(form) -> None:
    for name, errors in form.errors.items():
        flash(_("The form expired; please send it again.") if name == "csrf_token"
              else f"{getattr(form, name).label.text}: {errors[0]}", "danger")
        return


def _group_choices(form, challenge) -> None:
    form.focus_group_id.choices = [("", _("None"))] + [(str(g.id), g.title)
                                                       for g in services.challenge_groups(challenge)]


@bp.get("/prototypes")
def index():
    return render_template("prototypes/index.html", page=services.prototype_list(current_user, page_arg()))


@bp.route("/ideas/<int:idea_id>/prototype", methods=["GET", "POST"])
@login_required
def new(idea_id: int):
    idea = load_or_404(Idea, idea_id, can_view_idea)
    if not policy.is_staff(current_user, idea.challenge):
        abort(403)
    form = PrototypeForm()
    _group_choices(form, idea.challenge)
    if request.method == "GET":
        form.title.data = idea.title
    if request.method == "POST":
        if not form.validate():
            return render_template("prototypes/new.html", idea=idea, form=form), 422
        try:
            with writing(db.session):
                prototype = services.create_prototype(current_user, idea, title=form.title.data,
                                                      summary=form.summary.data or "",
                                                      visibility=form.visibility.data,
                                                      focus_group_id=form.focus_group_id.data or None)
        except DomainError as exc:
            show_error(form, exc)
            return render_template("prototypes/new.html", idea=idea, form=form), error_status(exc)
        flash(_("The prototype is created and the idea is now prototyped. Add its first iteration."), "success")
        return redirect(url_for("prototypes.new_iteration", prototype_id=prototype.id), code=303)
    return render_template("prototypes/new.html", idea=idea, form=form)


def _score_chart(prototype: Prototype, table: dict):
    if not table["iterations"] or not table["cells"]:
        return None
    labels = [f"{it.number}. {it.version_name}" for it in table["iterations"]]
    series = {c.text: [table["cells"].get((it.id, c.id), (None, 0))[0] for it in table["iterations"]]
              for c in table["criteria"]}
    return charts.progress(_("Mean rating per criterion and iteration"), labels, series, testing.RATING[0],
                           testing.RATING[1])


@bp.get("/prototypes/<int:prototype_id>")
def show(prototype_id: int):
    prototype = load_prototype(prototype_id)
    staff = policy.is_staff(current_user, prototype.challenge)
    table = testing.scores(prototype)
    iterations = table["iterations"]
    signups = {}
    if current_user.is_authenticated and iterations:
        signups = {s.iteration_id: s for s in db.session.scalars(select(TesterSignup).where(
            TesterSignup.user_id == current_user.id, TesterSignup.iteration_id.in_([i.id for i in iterations])))}
    feedback = {it.id: testing.feedback_for(current_user, it) for it in iterations} if current_user.is_authenticated else {}
    status_form = visibility_form = None
    if staff:
        status_form = StatusForm()
        status_form.status.choices = [(s, statuses.label(s)) for s in statuses.allowed_moves(prototype.status)]
        visibility_form = VisibilityForm(visibility=prototype.visibility,
                                         focus_group_id=str(prototype.focus_group_id or ""))
        _group_choices(visibility_form, prototype.challenge)
    return render_template(
        "prototypes/show.html", prototype=prototype, staff=staff, iterations=iterations, table=table,
        chart=_score_chart(prototype, table), signups=signups, feedback=feedback,
        testers={it.id: testing.testers(it) for it in iterations} if staff else {},
        signup_refusal=policy.signup_refusal(current_user, prototype),
        status_form=status_form, visibility_form=visibility_form, action_form=ActionForm(),
        reply_form=ReplyForm() if staff else None, history=prototype.history)


@bp.post("/prototypes/<int:prototype_id>/status")
@login_required
def change_status(prototype_id: int):
    prototype = load_prototype(prototype_id, staff=True)
    form = StatusForm()
    form.status.choices = [(s, statuses.label(s)) for s in statuses.allowed_moves(prototype.status)]
    if not form.validate_on_submit():
        _refused(form)
        return redirect(_url(prototype), code=303)
    with writing(db.session):
        services.change_status(current_user, prototype, form.status.data, form.note.data or "",
                               mark_winner=form.mark_winner.data and form.status.data == "launched")
    flash(_("The prototype is now %(status)s.", status=statuses.label(prototype.status).lower()), "success")
    return redirect(_url(prototype), code=303)


@bp.post("/prototypes/<int:prototype_id>/visibility")
@login_required
def visibility(prototype_id: int):
    prototype = load_prototype(prototype_id, staff=True)
    form = VisibilityForm()
    _group_choices(form, prototype.challenge)
    if not form.validate_on_submit():
        _refused(form)
        return redirect(_url(prototype), code=303)
    with writing(db.session):
        services.set_visibility(current_user, prototype, form.visibility.data, form.focus_group_id.data or None)
    flash(_("Saved."), "success")
    return redirect(_url(prototype), code=303)


@bp.route("/prototypes/<int:prototype_id>/iterations/new", methods=["GET", "POST"])
@login_required
def new_iteration(prototype_id: int):
    prototype = load_prototype(prototype_id, staff=True)
    form = IterationForm()
    if request.method == "GET":
        form.version_name.data = f"v{prototype.iteration_count + 1}"
    if request.method == "POST":
        if not form.validate():
            return render_template("prototypes/iteration_new.html", prototype=prototype, form=form), 422
        try:
            with writing(db.session):
                services.add_iteration(
                    current_user, prototype, version_name=form.version_name.data, description=form.description.data,
                    changes=form.changes.data or "", places=form.places.data, waiting_places=form.waiting_places.data,
                    signup_mode=form.signup_mode.data,
                    images=image_uploads(form.images))
        except DomainError as exc:
            show_error(form, exc)
            return render_template("prototypes/iteration_new.html", prototype=prototype, form=form), error_status(exc)
        flash(_("The iteration is added. Open its test when it is ready for testers."), "success")
        return redirect(_url(prototype, "iterations"), code=303)
    return render_template("prototypes/iteration_new.html", prototype=prototype, form=form)


@bp.post("/iterations/<int:iteration_id>/test")
@login_required
def test(iteration_id: int):
    iteration, prototype = _iteration(iteration_id, staff=True)
    form = TestForm()
    if not form.validate_on_submit():
        _refused(form)
        return redirect(_url(prototype, f"iteration-{iteration.number}"), code=303)
    open_ = request.form.get("open") == "1"
    with writing(db.session):
        testing.set_test(current_user, iteration, open_=open_, places=form.places.data,
                         waiting_places=form.waiting_places.data, signup_mode=form.signup_mode.data)
    flash(_("Sign-up is open.") if open_ else _("Sign-up is closed."), "info")
    return redirect(_url(prototype, f"iteration-{iteration.number}"), code=303)


@bp.post("/iterations/<int:iteration_id>/signup")
@login_required
def signup(iteration_id: int):
    iteration, prototype = _iteration(iteration_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    with writing(db.session):  # full or closed: flashed, nothing saved
        row = testing.sign_up(current_user, iteration)
    messages = {"confirmed": _("You have a place as a tester."),
                "pending": _("Thank you: the staff will confirm your place."),
                "waiting": _("The places are taken: you are on the waiting list.")}
    flash(messages[row.status], "success" if row.status == "confirmed" else "info")
    return redirect(_url(prototype, f"iteration-{iteration.number}"), code=303)


def _signup(signup_id: int) -> tuple[TesterSignup, Iteration, Prototype]:
    row = load_or_404(TesterSignup, signup_id)
    iteration, prototype = _iteration(row.iteration_id)
    return row, iteration, prototype


@bp.post("/signups/<int:signup_id>/confirm")
@login_required
def confirm(signup_id: int):
    row, iteration, prototype = _signup(signup_id)
    if not policy.is_staff(current_user, prototype.challenge):
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    with writing(db.session):
        testing.confirm(current_user, row)
    flash(_("%(name)s has a place.", name=row.user.display_name), "success")
    return redirect(_url(prototype, f"iteration-{iteration.number}"), code=303)


@bp.post("/signups/<int:signup_id>/withdraw")
@login_required
def withdraw(signup_id: int):
    row, iteration, prototype = _signup(signup_id)
    if row.user_id != current_user.id and not policy.is_staff(current_user, prototype.challenge):
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    with writing(db.session):
        testing.withdraw(current_user, row)
    flash(_("The sign-up is withdrawn."), "info")
    return redirect(_url(prototype, f"iteration-{iteration.number}"), code=303)


@bp.route("/iterations/<int:iteration_id>/feedback", methods=["GET", "POST"])
@login_required
def give_feedback(iteration_id: int):
    iteration, prototype = _iteration(iteration_id)
    criteria = testing.criteria(prototype)
    form = FeedbackForm()
    context = {"prototype": prototype, "iteration": iteration, "criteria": criteria, "form": form,
               "values": request.form, "errors": {}}
    if request.method == "POST":
        if not form.validate():
            return render_template("prototypes/feedback.html", **context), 422
        try:
            with writing(db.session):
                testing.give_feedback(current_user, iteration, rating_values(request.form, criteria),
                                      form.worked.data or "", form.did_not_work.data or "",
                                      image_uploads(form.images))
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise
            show_error(form, exc)
            context["errors"] = {exc.field or "form": exc.message}
            return render_template("prototypes/feedback.html", **context), error_status(exc)
        flash(_("Thank you for testing: your feedback is in."), "success")
        return redirect(_url(prototype, f"iteration-{iteration.number}"), code=303)
    return render_template("prototypes/feedback.html", **context)


@bp.post("/feedback/<int:feedback_id>/reply")
@login_required
def reply(feedback_id: int):
    row = load_or_404(TestFeedback, feedback_id)
    iteration, prototype = _iteration(row.iteration_id, staff=True)
    form = ReplyForm()
    if not form.validate_on_submit():
        _refused(form)
        return redirect(_url(prototype, f"feedback-{row.id}"), code=303)
    with writing(db.session):
        testing.reply(current_user, row, form.reply.data)
    flash(_("Your reply is sent to the tester."), "success")
    return redirect(_url(prototype, f"feedback-{row.id}"), code=303)


@bp.get("/prototypes/<int:prototype_id>/files/<filename>")
def file(prototype_id: int, filename: str):
    """An image of an iteration (whoever sees the prototype) or of a tester's feedback
    (staff and that tester)."""
    prototype = load_prototype(prototype_id)
    image = db.session.scalar(select(IterationImage).join(Iteration, Iteration.id == IterationImage.iteration_id)
                              .where(Iteration.prototype_id == prototype.id, IterationImage.filename == filename))
    if image is None:
        row = db.session.execute(
            select(FeedbackImage, TestFeedback).join(TestFeedback, TestFeedback.id == FeedbackImage.feedback_id)
            .join(Iteration, Iteration.id == TestFeedback.iteration_id)
            .where(Iteration.prototype_id == prototype.id, FeedbackImage.filename == filename)).first()
        if row is None or not policy.can_read_feedback(current_user, row[1], prototype):
            abort(404)
    response = send_from_directory(upload_dir(private=True), filename, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
