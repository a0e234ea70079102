"""Focus group pages: my groups, creating a group, the group's page (the invitation, the
agreement, or the overview, depending on who asks), people and invitations, the staff's
settings, leaving, archiving, the synthesis, and the private attachments. The board,
sessions and feedback rounds are in inside_views.py. Thin: load by policy, call one
service inside `writing`, answer."""

from __future__ import annotations

from datetime import date, timedelta

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

from ideas.challenges.models import Challenge
from ideas.challenges.policy import can_view
from ideas.core.db import writing
from ideas.core.errors import DomainError
from ideas.core.pagination import page_arg
from ideas.core.pipeline import error_status, load_or_404, show_error
from ideas.core.uploads import upload_dir
from ideas.extensions import db
from ideas.focus_groups import board, candidates, feedback, meetings, policy, services, statuses
from ideas.focus_groups.forms import (
    AcceptForm,
    ActionForm,
    AgreementForm,
    GroupForm,
    InviteForm,
    NewGroupForm,
    SynthesisForm,
)
from ideas.focus_groups.models import FocusGroup, Membership

bp = Blueprint("focus_groups", __name__)
bp.add_app_template_global(statuses.membership_label, "membership_label")


# -- loading --------------------------------------------------------------------------

def load_group(group_id: int, *, inside: bool = False, staff: bool = False) -> tuple[FocusGroup, str]:
    """The group and the user's access to it; 404 for whoever may not know it exists.
    `inside`: a member who must accept the agreement (or an invitee) is sent to the
    group's page, which shows them only that; `staff`: others get 403."""
    group = load_or_404(FocusGroup, group_id)
    level = policy.access(current_user, group)
    if level is None:
        abort(404)
    if (inside or staff) and level in (policy.INVITED, policy.AGREEMENT):
        if request.method == "GET":
            abort(redirect(url_for("focus_groups.show", group_id=group.id), code=303))
        abort(403)
    if staff and level != policy.STAFF:
        abort(403)
    return group, level


def group_url(group: FocusGroup, **kw) -> str:
    return url_for("focus_groups.show", group_id=group.id, **kw)


def _refused(form) -> None:
    for name, errors in form.errors.items():
        if name == "csrf_token":
            flash(_("The form expired; please send it again."), "danger")
        else:
            flash(f"{getattr(form, name).label.text}: {errors[0]}", "danger")
        return


# -- lists and creation -------------------------------------------------------------------

@bp.get("/focus-groups")
@login_required
def index():
    page = services.my_groups(current_user, page_arg())
    return render_template("focus_groups/index.html", page=page,
                           memberships=services.my_memberships(current_user, [g.id for g in page.items]))


def _staff_challenge(challenge_id: int) -> Challenge:
    challenge = load_or_404(Challenge, challenge_id, can_view)
    if not policy.is_staff(current_user, challenge):
        abort(403)
    return challenge


@bp.route("/challenges/<int:challenge_id>/focus-groups/new", methods=["GET", "POST"])
@login_required
def new(challenge_id: int):
    challenge = _staff_challenge(challenge_id)
    ideas = services.selectable_ideas(challenge)
    form = NewGroupForm()
    form.ideas.choices = [(i.id, i.title) for i in ideas]
    if request.method == "GET":
        form.starts_on.data = date.today()
        form.ends_on.data = date.today() + timedelta(days=42)
        form.ideas.data = [i.id for i in ideas if i.status == "selected"][:1]
    context = {"challenge": challenge, "form": form, "ideas": ideas}
    if request.method == "POST":
        if not form.validate():
            return render_template("focus_groups/new.html", **context), 422
        try:
            with writing(db.session):
                group = services.create_group(
                    current_user, challenge, title=form.title.data, purpose=form.purpose.data,
                    agreement=form.agreement.data, size_limit=form.size_limit.data,
                    starts_on=form.starts_on.data, ends_on=form.ends_on.data, idea_ids=form.ideas.data)
        except DomainError as exc:
            show_error(form, exc)
            return render_template("focus_groups/new.html", **context), error_status(exc)
        flash(_("The focus group is ready. Invite its members now."), "success")
        return redirect(url_for("focus_groups.people", group_id=group.id), code=303)
    return render_template("focus_groups/new.html", **context)


# -- the group's page ---------------------------------------------------------------------

@bp.get("/focus-groups/<int:group_id>")
@login_required
def show(group_id: int):
    group, level = load_group(group_id)
    agreement = services.current_agreement(group)
    if level in (policy.INVITED, policy.AGREEMENT):
        form = AcceptForm(version=str(group.agreement_version))
        return render_template("focus_groups/agreement.html", group=group, level=level, agreement=agreement,
                               form=form, decline_form=ActionForm())
    sessions = meetings.sessions(current_user, group)
    return render_template(
        "focus_groups/show.html", group=group, level=level, agreement=agreement, tab="overview",
        ideas=services.group_ideas(group), members=services.members(group),
        sessions=sessions, threads=board.threads(current_user, group).items[:5],
        rounds=feedback.rounds(current_user, group),
        answered=feedback.answered_round_ids(current_user, group),
        synthesis_form=SynthesisForm(synthesis=group.synthesis, public=group.synthesis_public)
        if level == policy.STAFF else None,
        action_form=ActionForm())


@bp.post("/focus-groups/<int:group_id>/respond")
@login_required
def respond(group_id: int):
    group, level = load_group(group_id)
    form = AcceptForm()
    if not form.validate_on_submit():
        _refused(form)
        return redirect(group_url(group), code=303)
    accept = request.form.get("answer") != "decline"
    with writing(db.session):  # a refusal (full, changed agreement, not ticked) is flashed
        services.respond(current_user, group, accept, agreed=form.agree.data, version=form.version.data)
    if not accept:
        flash(_("You declined the invitation."), "info")
        return redirect(url_for("focus_groups.index"), code=303)
    flash(_("Welcome to the focus group."), "success")
    return redirect(group_url(group), code=303)


@bp.post("/focus-groups/<int:group_id>/agreement")
@login_required
def accept_agreement(group_id: int):
    group, level = load_group(group_id)
    form = AcceptForm()
    if not form.validate_on_submit():
        _refused(form)
        return redirect(group_url(group), code=303)
    with writing(db.session):
        services.accept_agreement(current_user, group, agreed=form.agree.data, version=form.version.data)
    flash(_("Thank you. Welcome back."), "success")
    return redirect(group_url(group), code=303)


@bp.post("/focus-groups/<int:group_id>/leave")
@login_required
def leave(group_id: int):
    group, level = load_group(group_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    with writing(db.session):
        services.leave(current_user, group)
    flash(_("You left the focus group."), "info")
    return redirect(url_for("focus_groups.index"), code=303)


# -- people -------------------------------------------------------------------------------

@bp.get("/focus-groups/<int:group_id>/people")
@login_required
def people(group_id: int):
    group, level = load_group(group_id, staff=True)
    return render_template(
        "focus_groups/people.html", group=group, level=level, tab="people",
        members=services.members(group, statuses.MEMBERSHIP), candidates=candidates.suggest(current_user, group),
        invite_form=InviteForm(), action_form=ActionForm())


@bp.post("/focus-groups/<int:group_id>/invite")
@login_required
def invite(group_id: int):
    group, level = load_group(group_id, staff=True)
    form = InviteForm()
    if not form.validate_on_submit():
        _refused(form)
        return redirect(url_for("focus_groups.people", group_id=group.id), code=303)
    with writing(db.session):
        row = services.invite(current_user, group, form.member.data, form.reason.data or "")
    flash(_("%(name)s is invited.", name=row.user.display_name), "success")
    return redirect(url_for("focus_groups.people", group_id=group.id), code=303)


@bp.post("/focus-groups/<int:group_id>/members/<int:membership_id>/remove")
@login_required
def remove(group_id: int, membership_id: int):
    group, level = load_group(group_id, staff=True)
    row = load_or_404(Membership, membership_id, lambda user, m: m.group_id == group.id)
    if not ActionForm().validate_on_submit():
        abort(400)
    with writing(db.session):
        services.remove_member(current_user, group, row)
    flash(_("%(name)s is no longer in the group.", name=row.user.display_name), "info")
    return redirect(url_for("focus_groups.people", group_id=group.id), code=303)


# -- staff settings -----------------------------------------------------------------------

@bp.route("/focus-groups/<int:group_id>/settings", methods=["GET", "POST"])
@login_required
def settings(group_id: int):
    group, level = load_group(group_id, staff=True)
    form = GroupForm(obj=None if request.method == "POST" else group)
    agreement = services.current_agreement(group)
    agreement_form = AgreementForm(agreement=agreement.text if agreement else "")
    context = {"group": group, "level": level, "tab": "settings", "form": form,
               "agreement_form": agreement_form, "action_form": ActionForm()}
    if request.method == "POST":
        if not form.validate():
            return render_template("focus_groups/settings.html", **context), 422
        try:
            with writing(db.session):
                services.edit_group(current_user, group, title=form.title.data, purpose=form.purpose.data,
                                    size_limit=form.size_limit.data, starts_on=form.starts_on.data,
                                    ends_on=form.ends_on.data)
        except DomainError as exc:
            show_error(form, exc)
            return render_template("focus_groups/settings.html", **context), error_status(exc)
        flash(_("Saved."), "success")
        return redirect(url_for("focus_groups.settings", group_id=group.id), code=303)
    return render_template("focus_groups/settings.html", **context)


@bp.post("/focus-groups/<int:group_id>/agreement/change")
@login_required
def change_agreement(group_id: int):
    group, level = load_group(group_id, staff=True)
    form = AgreementForm()
    if not form.validate_on_submit():
        _refused(form)
        return redirect(url_for("focus_groups.settings", group_id=group.id), code=303)
    before = group.agreement_version
    with writing(db.session):
        services.change_agreement(current_user, group, form.agreement.data)
    flash(_("Version %(v)d of the agreement is in force: members accept it on their next visit.",
            v=group.agreement_version) if group.agreement_version != before else _("The text is unchanged."), "info")
    return redirect(url_for("focus_groups.settings", group_id=group.id), code=303)


@bp.post("/focus-groups/<int:group_id>/archive")
@login_required
def archive(group_id: int):
    group, level = load_group(group_id, staff=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    with writing(db.session):
        services.archive(current_user, group)
    flash(_("The group is archived: read-only, still visible to its members."), "info")
    return redirect(group_url(group), code=303)


@bp.post("/focus-groups/<int:group_id>/synthesis")
@login_required
def synthesis(group_id: int):
    group, level = load_group(group_id, staff=True)
    form = SynthesisForm()
    if not form.validate_on_submit():
        _refused(form)
        return redirect(group_url(group), code=303)
    with writing(db.session):
        services.write_synthesis(current_user, group, form.synthesis.data, form.public.data)
    flash(_("The synthesis is saved on the ideas' history."), "success")
    return redirect(group_url(group) + "#synthesis", code=303)


# -- private files ----------------------------------------------------------------------

@bp.get("/focus-groups/<int:group_id>/files/<filename>")
@login_required
def file(group_id: int, filename: str):
    group, level = load_group(group_id)
    if level not in (policy.STAFF, policy.INSIDE):
        abort(404)
    found = board.attachment(current_user, group, filename)
    response = send_from_directory(upload_dir(private=True), found.filename, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
