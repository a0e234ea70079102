"""Staff actions on ideas and comments, members' reports, and the moderation page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ideas.challenges.models import Challenge
from ideas.challenges.policy import can_manage
from ideas.core.db import writing
from ideas.core.errors import Invalid, InvalidTransition
from ideas.core.pagination import page_arg
from ideas.core.pipeline import load_or_404, show_error
from ideas.core.routes import Routes
from ideas.extensions import db
from ideas.submissions import closing, moderation
from ideas.submissions.forms import (
    CloseForm,
    DeclineForm,
    LanguageForm,
    MergeForm,
    ReasonForm,
    ReconsiderForm,
    ResolveForm,
    ShortlistTopForm,
)
from ideas.submissions.models import Comment, Idea, IdeaMerge, Report
from ideas.submissions.views import challenge_url, load_challenge, load_idea

# Not a Blueprint: these routes join the submissions blueprint when create_app calls
# bp.register(submissions.views.bp), not as a side effect of importing this file.
bp = Routes()


def _idea_page(idea: Idea):
    if request.form.get("next") == "moderation":  # acting from the report queue
        return redirect(url_for("submissions.moderation_index", challenge_id=idea.challenge_id,
                                slug=idea.challenge.slug), code=303)
    if request.form.get("next") == "close":  # deciding ideas from the closing page
        return redirect(url_for("submissions.close_challenge", challenge_id=idea.challenge_id,
                                slug=idea.challenge.slug), code=303)
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
    """Call one service, commit and flash `done`; a refusal goes to the one error
    handler (403 page, or a flash and back)."""
    with writing(db.session):
        action()
    flash(done, "success")
    return back


def _idea_action(idea_id: int, form_class, call, done: str):
    idea = load_idea(idea_id)
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


@bp.post("/ideas/<int:idea_id>/reconsider", endpoint="moderation_reconsider")
@login_required
def reconsider(idea_id: int):
    return _idea_action(idea_id, ReconsiderForm, lambda idea, f: moderation.reconsider(current_user, idea, f.reason.data),
                        _("The decline is taken back. Its authors will be told."))


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


@bp.post("/ideas/<int:idea_id>/language", endpoint="moderation_language")
@login_required
def set_language(idea_id: int):
    return _idea_action(idea_id, LanguageForm,
                        lambda idea, f: moderation.set_language(current_user, idea, f.language.data or ""),
                        _("The idea's language is saved."))


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


@bp.get("/ideas/<int:idea_id>/merge-targets", endpoint="merge_targets")
@login_required
def merge_targets(idea_id: int):
    """The staff's merge picker (htmx): the challenge's ideas matching `q`."""
    idea = load_idea(idea_id)
    if not can_manage(current_user, idea.challenge):
        abort(403)
    return render_template("submissions/_merge_targets.html",
                           targets=moderation.merge_candidates(current_user, idea, request.args.get("q", "")))


@bp.post("/ideas/<int:idea_id>/report", endpoint="moderation_report")
@login_required
def report(idea_id: int):
    idea = load_idea(idea_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_form_error(form), "danger")
        return _idea_page(idea)
    return _run(lambda: moderation.report(current_user, idea=idea, reason=form.reason.data),
                _("Thank you. The challenge's team will look at it."), _idea_page(idea))


def _comment_or_404(idea: Idea, comment_id: int) -> Comment:
    return load_or_404(Comment, comment_id, lambda _user, comment: comment.idea_id == idea.id)


def _staff_comment(idea_id: int, comment_id: int) -> tuple[Idea, Comment]:
    """The idea and its comment for a staff action: 404 unless both exist and belong
    together, 403 for someone who may see them but does not run the challenge."""
    idea = load_idea(idea_id)
    comment = _comment_or_404(idea, comment_id)
    if not can_manage(current_user, idea.challenge):
        abort(403)
    return idea, comment


@bp.post("/ideas/<int:idea_id>/comments/<int:comment_id>/hide", endpoint="moderation_hide_comment")
@login_required
def hide_comment(idea_id: int, comment_id: int):
    idea, comment = _staff_comment(idea_id, comment_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_form_error(form), "danger")
        return _idea_page(idea)
    report = None
    if request.form.get("report_id"):  # hidden from the report queue
        report = load_or_404(Report, request.form.get("report_id"),
                             lambda _user, r: r.comment_id == comment.id)
    return _run(lambda: moderation.hide_comment(current_user, comment, form.reason.data, report=report),
                _("The comment is hidden."), _idea_page(idea))


@bp.post("/ideas/<int:idea_id>/comments/<int:comment_id>/unhide", endpoint="moderation_unhide_comment")
@login_required
def unhide_comment(idea_id: int, comment_id: int):
    idea, comment = _staff_comment(idea_id, comment_id)
    if not FlaskForm().validate_on_submit():
        flash(_("The form expired; please send it again."), "danger")
        return _idea_page(idea)
    return _run(lambda: moderation.unhide_comment(current_user, comment),
                _("The comment is shown again."), _idea_page(idea))


@bp.post("/ideas/<int:idea_id>/comments/<int:comment_id>/report", endpoint="moderation_report_comment")
@login_required
def report_comment(idea_id: int, comment_id: int):
    idea = load_idea(idea_id)
    comment = _comment_or_404(idea, comment_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_form_error(form), "danger")
        return _idea_page(idea)
    return _run(lambda: moderation.report(current_user, comment=comment, reason=form.reason.data),
                _("Thank you. The challenge's team will look at it."), _idea_page(idea))


# -- the moderation page of a challenge ----------------------------------------

def _staff_challenge(challenge_id: int) -> Challenge:
    challenge = load_challenge(challenge_id)
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
    queue = moderation.report_queue(challenge)
    return render_template(
        "submissions/moderation.html", challenge=challenge, challenge_url=challenge_url(challenge),
        reports=queue["reports"], ideas_by_id=queue["ideas"], comments_by_id=queue["comments"],
        merges=moderation.merges(challenge), top_form=ShortlistTopForm(), resolve_form=ResolveForm(),
        undecided=closing.undecided_count(challenge),
    )


@bp.post("/challenges/<int:challenge_id>-<slug>/moderation/shortlist-top", endpoint="moderation_shortlist_top")
@login_required
def shortlist_top(challenge_id: int, slug: str):
    challenge = _staff_challenge(challenge_id)
    form = ShortlistTopForm()
    if not form.validate_on_submit():
        flash(_form_error(form), "danger")
        return _moderation_page(challenge)
    with writing(db.session):
        chosen = moderation.shortlist_top(current_user, challenge, form.n.data, form.reason.data)
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
    record = load_or_404(IdeaMerge, merge_id, lambda _user, merge: merge.source.challenge_id == challenge.id)
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
    record = load_or_404(Report, report_id, lambda _user, report: report.challenge_id == challenge.id)
    form = ResolveForm()
    if not form.validate_on_submit():
        flash(_form_error(form), "danger")
        return _moderation_page(challenge)
    return _run(lambda: moderation.resolve_report(current_user, record, form.resolution.data),
                _("The report is resolved."), _moderation_page(challenge))


@bp.route("/challenges/<int:challenge_id>-<slug>/close", methods=["GET", "POST"], endpoint="close_challenge")
@login_required
def close_challenge(challenge_id: int, slug: str):
    """Closing a challenge: the ideas still without an outcome are listed to decide one by
    one, or all at once with one reason, and then the challenge closes."""
    challenge = _staff_challenge(challenge_id)
    form = CloseForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            with writing(db.session):
                rest = closing.close_challenge(current_user, challenge, form.rest_reason.data or "",
                                               note=form.note.data or "")
        except (Invalid, InvalidTransition) as exc:
            show_error(form, exc)
        else:
            flash(ngettext("The challenge is closed; %(num)d idea got the reason you gave.",
                           "The challenge is closed; %(num)d ideas got the reason you gave.", rest)
                  if rest else _("The challenge is closed. Every author has been told the outcome."), "success")
            return redirect(challenge_url(challenge), code=303)
    elif request.method == "GET" and slug != challenge.slug:
        return redirect(url_for("submissions.close_challenge", challenge_id=challenge.id, slug=challenge.slug),
                        code=301)
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "submissions/close.html", challenge=challenge, challenge_url=challenge_url(challenge), form=form,
        undecided=closing.undecided_page(challenge, page_arg()) if challenge.phase != "closed" else None,
        undecided_total=closing.undecided_count(challenge) if challenge.phase != "closed" else 0,
        decline_form=DeclineForm(), reason_form=ReasonForm(),
    ), status
