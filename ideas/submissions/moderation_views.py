"""Staff actions on ideas and comments, members' reports, and the moderation page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ideas.challenges.models import Challenge
from ideas.challenges.policy import can_manage, can_view
from ideas.core.edge import MAX_ID
from ideas.core.errors import DomainError, Invalid, NotAllowed
from ideas.extensions import db
from ideas.submissions import moderation
from ideas.submissions.models import Comment, Idea, IdeaMerge, Report
from ideas.submissions.policy import can_view_idea
from ideas.submissions.views import bp, challenge_url


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)])


class DeclineForm(FlaskForm):
    feedback = TextAreaField(_l("Feedback to the author"), validators=[DataRequired(), Length(min=10, max=2000)])


class MergeForm(FlaskForm):
    target_id = IntegerField(_l("Merge into idea number"), validators=[InputRequired(), NumberRange(min=1, max=MAX_ID)])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)])


class ShortlistTopForm(FlaskForm):
    n = IntegerField(_l("How many"), default=10, validators=[InputRequired(), NumberRange(min=1, max=500)])
    reason = TextAreaField(_l("Note to the authors"), validators=[Optional(), Length(max=2000)])


class ResolveForm(FlaskForm):
    resolution = StringField(_l("Resolution"), validators=[Optional(), Length(max=300)])


def _idea_or_404(idea_id: int) -> Idea:
    idea = db.session.scalar(select(Idea).where(Idea.id == idea_id).options(joinedload(Idea.challenge)))
    if idea is None or not can_view_idea(current_user, idea):
        abort(404)
    return idea


def _idea_page(idea: Idea):
    return redirect(url_for("submissions.show", idea_id=idea.id, slug=idea.slug), code=303)


def _form_error(form) -> str:
    for name, errors in form.errors.items():
        if errors:
            field = getattr(form, name, None)
            label = field.label.text if field is not None and name != "csrf_token" else ""
            if name == "csrf_token":
                return _("The form expired; please send it again.")
            return f"{label}: {errors[0]}" if label else str(errors[0])
    return _("The form expired; please send it again.")


def _run(action, done: str, back):
    """Call one service; commit and flash `done`, or roll back and show the refusal."""
    try:
        action()
    except NotAllowed:
        db.session.rollback()
        abort(403)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
        return back
    db.session.commit()
    flash(done, "success")
    return back


def _idea_action(idea_id: int, form_class, call, done: str):
    idea = _idea_or_404(idea_id)
    if not can_manage(current_user, idea.challenge):
        abort(403)
    form = form_class()
    if not form.validate_on_submit():
        flash(_form_error(form), "danger")
        return _idea_page(idea)
    return _run(lambda: call(idea, form), done, _idea_page(idea))


@bp.post("/ideas/<int:idea_id>/shortlist", endpoint="moderation_shortlist")
@login_required
def shortlist(idea_id: int):
    return _idea_action(idea_id, ReasonForm, lambda idea, f: moderation.shortlist(current_user, idea, f.reason.data),
                        _("The idea is on the shortlist. Its authors will be told."))


@bp.post("/ideas/<int:idea_id>/decline", endpoint="moderation_decline")
@login_required
def decline(idea_id: int):
    return _idea_action(idea_id, DeclineForm, lambda idea, f: moderation.decline(current_user, idea, f.feedback.data),
                        _("The idea is declined and its authors get your feedback."))


@bp.post("/ideas/<int:idea_id>/hide", endpoint="moderation_hide")
@login_required
def hide(idea_id: int):
    return _idea_action(idea_id, ReasonForm, lambda idea, f: moderation.hide_idea(current_user, idea, f.reason.data),
                        _("The idea is hidden."))


@bp.post("/ideas/<int:idea_id>/unhide", endpoint="moderation_unhide")
@login_required
def unhide(idea_id: int):
    return _idea_action(idea_id, ReasonForm, lambda idea, f: moderation.unhide_idea(current_user, idea),
                        _("The idea is visible again."))


@bp.post("/ideas/<int:idea_id>/merge", endpoint="moderation_merge")
@login_required
def merge(idea_id: int):
    def call(idea, form):
        target = db.session.get(Idea, form.target_id.data)
        if target is None or target.challenge_id != idea.challenge_id:
            raise Invalid(_("There is no idea number %(n)s in this challenge.", n=form.target_id.data),
                          field="target_id")
        moderation.merge(current_user, idea, target, form.reason.data)

    return _idea_action(idea_id, MergeForm, call, _("The ideas are merged. You can undo this on the moderation page."))


@bp.post("/ideas/<int:idea_id>/report", endpoint="moderation_report")
@login_required
def report(idea_id: int):
    idea = _idea_or_404(idea_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_form_error(form), "danger")
        return _idea_page(idea)
    return _run(lambda: moderation.report(current_user, idea=idea, reason=form.reason.data),
                _("Thank you. The challenge's team will look at it."), _idea_page(idea))


def _comment_or_404(idea: Idea, comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.idea_id != idea.id:
        abort(404)
    return comment


@bp.post("/ideas/<int:idea_id>/comments/<int:comment_id>/hide", endpoint="moderation_hide_comment")
@login_required
def hide_comment(idea_id: int, comment_id: int):
    idea = _idea_or_404(idea_id)
    comment = _comment_or_404(idea, comment_id)
    if not can_manage(current_user, idea.challenge):
        abort(403)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_form_error(form), "danger")
        return _idea_page(idea)
    return _run(lambda: moderation.hide_comment(current_user, comment, form.reason.data),
                _("The comment is hidden."), _idea_page(idea))


@bp.post("/ideas/<int:idea_id>/comments/<int:comment_id>/report", endpoint="moderation_report_comment")
@login_required
def report_comment(idea_id: int, comment_id: int):
    idea = _idea_or_404(idea_id)
    comment = _comment_or_404(idea, comment_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_form_error(form), "danger")
        return _idea_page(idea)
    return _run(lambda: moderation.report(current_user, comment=comment, reason=form.reason.data),
                _("Thank you. The challenge's team will look at it."), _idea_page(idea))


# -- the moderation page of a challenge ----------------------------------------

def _staff_challenge(challenge_id: int) -> Challenge:
    challenge = db.session.get(Challenge, challenge_id)
    if challenge is None or not can_view(current_user, challenge):
        abort(404)
    if not can_manage(current_user, challenge):
        abort(403)
    return challenge


def _moderation_page(challenge: Challenge):
    return redirect(url_for("submissions.moderation_index", challenge_id=challenge.id, slug=challenge.slug),
                    code=303)


@bp.get("/challenges/<int:challenge_id>-<slug>/moderation", endpoint="moderation_index")
@login_required
def moderation_index(challenge_id: int, slug: str):
    challenge = _staff_challenge(challenge_id)
    if slug != challenge.slug:
        return redirect(url_for("submissions.moderation_index", challenge_id=challenge.id, slug=challenge.slug),
                        code=301)
    reports = moderation.open_reports(challenge)
    idea_ids = {r.idea_id for r in reports if r.idea_id}
    comment_ids = {r.comment_id for r in reports if r.comment_id}
    comments_by_id = {c.id: c for c in db.session.scalars(select(Comment).where(Comment.id.in_(comment_ids)))} \
        if comment_ids else {}
    idea_ids.update(c.idea_id for c in comments_by_id.values())
    ideas_by_id = {i.id: i for i in db.session.scalars(select(Idea).where(Idea.id.in_(idea_ids)))} \
        if idea_ids else {}
    return render_template(
        "submissions/moderation.html", challenge=challenge, challenge_url=challenge_url(challenge),
        reports=reports, ideas_by_id=ideas_by_id, comments_by_id=comments_by_id,
        merges=moderation.merges(challenge), top_form=ShortlistTopForm(), resolve_form=ResolveForm(),
    )


@bp.post("/challenges/<int:challenge_id>-<slug>/moderation/shortlist-top", endpoint="moderation_shortlist_top")
@login_required
def shortlist_top(challenge_id: int, slug: str):
    challenge = _staff_challenge(challenge_id)
    form = ShortlistTopForm()
    if not form.validate_on_submit():
        flash(_form_error(form), "danger")
        return _moderation_page(challenge)
    try:
        chosen = moderation.shortlist_top(current_user, challenge, form.n.data, form.reason.data)
    except NotAllowed:
        db.session.rollback()
        abort(403)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
        return _moderation_page(challenge)
    db.session.commit()
    if chosen:
        flash(ngettext("%(num)d idea is on the shortlist now.", "%(num)d ideas are on the shortlist now.",
                       len(chosen)), "success")
    else:
        flash(_("There are no submitted ideas left to shortlist."), "info")
    return _moderation_page(challenge)


@bp.post("/challenges/<int:challenge_id>-<slug>/moderation/merges/<int:merge_id>/undo",
         endpoint="moderation_undo_merge")
@login_required
def undo_merge(challenge_id: int, slug: str, merge_id: int):
    challenge = _staff_challenge(challenge_id)
    record = db.session.get(IdeaMerge, merge_id)
    if record is None or record.source.challenge_id != challenge.id:
        abort(404)
    if not FlaskForm().validate_on_submit():
        flash(_("The form expired; please send it again."), "danger")
        return _moderation_page(challenge)
    return _run(lambda: moderation.undo_merge(current_user, record), _("The merge is undone."),
                _moderation_page(challenge))


@bp.post("/challenges/<int:challenge_id>-<slug>/moderation/reports/<int:report_id>/resolve",
         endpoint="moderation_resolve_report")
@login_required
def resolve_report(challenge_id: int, slug: str, report_id: int):
    challenge = _staff_challenge(challenge_id)
    record = db.session.get(Report, report_id)
    if record is None or record.challenge_id != challenge.id:
        abort(404)
    form = ResolveForm()
    if not form.validate_on_submit():
        flash(_form_error(form), "danger")
        return _moderation_page(challenge)
    return _run(lambda: moderation.resolve_report(current_user, record, form.resolution.data),
                _("The report is resolved."), _moderation_page(challenge))
