"""Inside a focus group: the board (threads, replies, attachments), sessions (with
their .ics file, notes and attendance) and feedback rounds (answers, and the staff's
aggregated results with a chart and its table). Every page loads the group through
views.load_group(inside=True): outsiders get 404, members who must accept the
agreement are sent to it."""

from __future__ import annotations

from zoneinfo import available_timezones

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload

from ideas.core import charts
from ideas.core.db import utcnow, writing
from ideas.core.errors import DomainError
from ideas.core.image_fields import image_uploads
from ideas.core.pagination import page_arg
from ideas.core.pipeline import error_status, load_or_404, show_error
from ideas.core.routes import Routes
from ideas.extensions import db
from ideas.focus_groups import board, feedback, meetings, policy, services
from ideas.focus_groups.forms import (
    ActionForm,
    NotesForm,
    ReplyForm,
    RoundForm,
    SessionForm,
    ThreadForm,
    answer_values,
    question_rows,
)
from ideas.focus_groups.models import FeedbackRound, GroupSession, Post
from ideas.focus_groups.views import load_group

bp = Routes()
ZONES = sorted(available_timezones())


def _writable(group) -> bool:
    return policy.post_refusal(current_user, group) is None


# -- the board ---------------------------------------------------------------------------

def _board(group, level, form, status=200):
    page = board.threads(current_user, group, page_arg())
    return render_template("focus_groups/board.html", group=group, level=level, tab="board", page=page,
                           form=form, can_post=_writable(group)), status


@bp.route("/focus-groups/<int:group_id>/board", methods=["GET", "POST"])
@login_required
def board_index(group_id: int):
    group, level = load_group(group_id, inside=True)
    form = ThreadForm()
    if request.method == "POST":
        if not form.validate():
            return _board(group, level, form, 422)
        try:
            with writing(db.session):
                thread = board.start_thread(current_user, group, form.title.data, form.body.data,
                                            image_uploads(form.images))
        except DomainError as exc:
            show_error(form, exc)
            return _board(group, level, form, error_status(exc))
        return redirect(url_for("focus_groups.thread", group_id=group.id, thread_id=thread.id), code=303)
    return _board(group, level, form)


def _thread(group_id: int, thread_id: int):
    group, level = load_group(group_id, inside=True)
    thread = load_or_404(Post, thread_id, lambda user, p: p.group_id == group.id and p.thread_id is None,
                         options=(joinedload(Post.author), selectinload(Post.attachments)))
    return group, level, thread


def _thread_page(group, level, thread, form, status=200):
    return render_template("focus_groups/thread.html", group=group, level=level, tab="board", thread=thread,
                           page=board.thread_replies(current_user, thread, page_arg()), form=form,
                           can_post=_writable(group)), status


@bp.route("/focus-groups/<int:group_id>/board/<int:thread_id>", methods=["GET", "POST"])
@login_required
def thread(group_id: int, thread_id: int):
    group, level, thread = _thread(group_id, thread_id)
    form = ReplyForm()
    if request.method == "POST":
        if not form.validate():
            return _thread_page(group, level, thread, form, 422)
        try:
            with writing(db.session):
                post = board.reply(current_user, thread, form.body.data, image_uploads(form.images))
        except DomainError as exc:
            show_error(form, exc)
            return _thread_page(group, level, thread, form, error_status(exc))
        pages = max(1, -(-thread.reply_count // board.REPLIES_PER_PAGE))
        return redirect(url_for("focus_groups.thread", group_id=group.id, thread_id=thread.id, page=pages)
                        + f"#post-{post.id}", code=303)
    return _thread_page(group, level, thread, form)


# -- sessions ------------------------------------------------------------------------------

def _sessions(group, level, form, status=200):
    return render_template("focus_groups/sessions.html", group=group, level=level, tab="sessions",
                           sessions=meetings.sessions(current_user, group), form=form, now=utcnow(),
                           ends_at=meetings.ends_at), status


@bp.route("/focus-groups/<int:group_id>/sessions", methods=["GET", "POST"])
@login_required
def sessions(group_id: int):
    group, level = load_group(group_id, inside=True)
    form = None
    if level == policy.STAFF:
        form = SessionForm()
        form.timezone.choices = [(z, z) for z in ZONES]
        if request.method == "GET":
            form.timezone.data = current_user.timezone or "UTC"
    if request.method == "POST":
        if form is None:
            abort(403)
        if not form.validate():
            return _sessions(group, level, form, 422)
        try:
            with writing(db.session):
                meetings.schedule(current_user, group, title=form.title.data, starts_at=form.starts_at.data,
                                  timezone=form.timezone.data, duration_minutes=form.duration_minutes.data,
                                  mode=form.mode.data, place=form.place.data or "",
                                  video_link=form.video_link.data or "", agenda=form.agenda.data or "")
        except DomainError as exc:
            show_error(form, exc)
            return _sessions(group, level, form, error_status(exc))
        flash(_("The session is scheduled; the members are told."), "success")
        return redirect(url_for("focus_groups.sessions", group_id=group.id), code=303)
    return _sessions(group, level, form)


def _session(group_id: int, session_id: int):
    group, level = load_group(group_id, inside=True)
    session = load_or_404(GroupSession, session_id, lambda user, s: s.group_id == group.id)
    return group, level, session


@bp.route("/focus-groups/<int:group_id>/sessions/<int:session_id>", methods=["GET", "POST"])
@login_required
def session(group_id: int, session_id: int):
    group, level, session = _session(group_id, session_id)
    form = None
    members = services.members(group, ("member", "left", "removed"))
    if level == policy.STAFF:
        form = NotesForm(notes=session.notes)
        form.attended.choices = [(m.user_id, m.user.display_name) for m in members]
        if request.method == "GET":
            form.attended.data = sorted(meetings.attendance(session))
    if request.method == "POST":
        if form is None:
            abort(403)
        if form.validate():
            try:
                with writing(db.session):
                    meetings.record_notes(current_user, session, form.notes.data or "", form.attended.data)
                flash(_("Notes and attendance are saved."), "success")
                return redirect(url_for("focus_groups.session", group_id=group.id, session_id=session.id),
                                code=303)
            except DomainError as exc:
                show_error(form, exc)
                status = error_status(exc)
        else:
            status = 422
    else:
        status = 200
    attended = meetings.attendance(session)
    return render_template("focus_groups/session.html", group=group, level=level, tab="sessions", session=session,
                           form=form, now=utcnow(), ends_at=meetings.ends_at(session),
                           attended=[m for m in members if m.user_id in attended]), status


@bp.get("/focus-groups/<int:group_id>/sessions/<int:session_id>.ics")
@login_required
def session_ics(group_id: int, session_id: int):
    group, level, session = _session(group_id, session_id)
    url = url_for("focus_groups.session", group_id=group.id, session_id=session.id, _external=True)
    body = meetings.ics(session, group, url, current_app.config.get("SITE_NAME", "Ideas"))
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="session-{session.id}.ics"',
        "Cache-Control": "private, no-store"})


# -- feedback rounds -----------------------------------------------------------------------

def _rounds(group, level, form, status=200, rows=None):
    return render_template("focus_groups/rounds.html", group=group, level=level, tab="feedback",
                           rounds=feedback.rounds(current_user, group), form=form,
                           answered=feedback.answered_round_ids(current_user, group),
                           rows=rows or [{"text": "", "kind": "rating"}] * 3 + [{"text": "", "kind": "text"}]), status


@bp.route("/focus-groups/<int:group_id>/feedback", methods=["GET", "POST"])
@login_required
def rounds(group_id: int):
    group, level = load_group(group_id, inside=True)
    form = RoundForm() if level == policy.STAFF else None
    if request.method == "POST":
        if form is None:
            abort(403)
        rows = question_rows(request.form)
        if not form.validate():
            return _rounds(group, level, form, 422, rows)
        try:
            with writing(db.session):
                round_ = feedback.publish_round(current_user, group, title=form.title.data,
                                                intro=form.intro.data or "", questions=rows)
        except DomainError as exc:
            show_error(form, exc)
            return _rounds(group, level, form, error_status(exc), rows)
        flash(_("The round is open: members can answer now."), "success")
        return redirect(url_for("focus_groups.round", group_id=group.id, round_id=round_.id), code=303)
    return _rounds(group, level, form)


def _round_page(group, level, round_, errors=None, status=200):
    results = charts_ = None
    if level == policy.STAFF:
        results = feedback.results(current_user, round_)
        charts_ = {r["question"].id: charts.distribution(r["question"].text, [v for v, _n in r["distribution"]],
                                                         [n for _v, n in r["distribution"]])
                   for r in results if r["kind"] == "rating" and r["count"]}
    return render_template("focus_groups/round.html", group=group, level=level, tab="feedback", round=round_,
                           answered=feedback.has_answered(current_user, round_), results=results, charts=charts_,
                           errors=errors or {}, values=request.form if errors else {},
                           can_answer=level == policy.INSIDE and round_.status == "open" and _writable(group),
                           form=ActionForm()), status


@bp.route("/focus-groups/<int:group_id>/feedback/<int:round_id>", methods=["GET", "POST"])
@login_required
def round(group_id: int, round_id: int):  # noqa: A001 (the endpoint's name)
    group, level = load_group(group_id, inside=True)
    round_ = load_or_404(FeedbackRound, round_id, lambda user, r: r.group_id == group.id)
    if request.method == "POST":
        if not ActionForm().validate_on_submit():
            abort(400)
        try:
            with writing(db.session):
                feedback.answer(current_user, round_, answer_values(request.form, round_.questions))
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise
            return _round_page(group, level, round_, {exc.field or "form": exc.message}, error_status(exc))
        flash(_("Thank you: your answers are in."), "success")
        return redirect(url_for("focus_groups.round", group_id=group.id, round_id=round_.id), code=303)
    return _round_page(group, level, round_)


@bp.post("/focus-groups/<int:group_id>/feedback/<int:round_id>/close")
@login_required
def close_round(group_id: int, round_id: int):
    group, level = load_group(group_id, staff=True)
    round_ = load_or_404(FeedbackRound, round_id, lambda user, r: r.group_id == group.id)
    if not ActionForm().validate_on_submit():
        abort(400)
    with writing(db.session):
        feedback.close_round(current_user, round_)
    flash(_("The round is closed."), "info")
    return redirect(url_for("focus_groups.round", group_id=group.id, round_id=round_.id), code=303)
