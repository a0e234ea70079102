"""Challenge pages: the site's home page, the list, create/edit, the challenge page and
its staff actions."""

from __future__ import annotations

from datetime import datetime, time

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ideas.challenges import covers, phases, services
from ideas.challenges.categories import CATEGORIES, category_label
from ideas.challenges.forms import PLANNED_PHASES, ChallengeForm, InviteForm, MoveForm, PublishForm
from ideas.challenges.policy import can_manage
from ideas.companies import services as company_services
from ideas.companies.models import Company
from ideas.companies.policy import is_staff, staff_company_ids
from ideas.core import i18n, languages
from ideas.core.db import writing
from ideas.core.edge import int_arg
from ideas.core.errors import Invalid
from ideas.core.pagination import page_arg
from ideas.core.pipeline import load_or_404, show_error
from ideas.core.providers import Provider
from ideas.core.uploads import store_image
from ideas.core.urls import path_for
from ideas.extensions import db

bp = Blueprint("challenges", __name__, url_prefix="/challenges")

# Ideas sit above challenges: the pages here show them through these providers, which
# create_app fills with the submissions module's functions.
challenge_results = Provider(
    "challenges.results", "(challenge) -> the shortlisted or winning ideas shown on its page")
# The path of each result (prototypes fills it): (user, challenge, ideas) -> {idea id: steps}.
result_paths = Provider("challenges.result_paths", "(user, challenge, ideas) -> dict[int, list[dict]]")
challenge_winners = Provider(
    "challenges.winners", "(challenges) -> {challenge id: its winning ideas}")
challenge_participation = Provider(
    "challenges.participation", "(challenge) -> new ideas, votes and comments per week, or None")


@bp.record_once
def _template_helpers(state):
    # Globals (not a context processor) so that imported macros see them too.
    state.app.jinja_env.globals.update(
        phase_label=phases.label, phase_badge=phases.BADGE_CLASSES.get, phase_icon=phases.ICONS.get,
        category_label=category_label, cover_url=cover_url,
        plan_date=lambda value: format_date(value, "medium") if value else "",
        money=i18n.money)


def cover_url(challenge) -> str:
    """The challenge's uploaded cover, or its generated one (challenges/covers.py)."""
    if challenge.cover_image:
        return path_for("core.upload", filename=challenge.cover_image)
    return path_for("challenges.generated_cover", key=covers.cover_key(challenge.id, challenge.title))


def challenge_url(challenge) -> str:
    return url_for("challenges.show", challenge_id=challenge.id, slug=challenge.slug)


def home():
    """The site's home page: open challenges, recent results, totals. Served at "/" by
    `core.home`, which create_app fills with this view."""
    data = services.home_page_data(current_user)
    return render_template("challenges/home.html", winners=challenge_winners(data["closed_challenges"]),
                           **data)


@bp.get("/")
def index():
    company_id = int_arg("company")
    category = request.args.get("category") or None
    phase = request.args.get("phase") or None
    sort = request.args.get("sort", "newest")
    if category not in CATEGORIES:
        category = None
    if phase not in phases.PHASES:
        phase = None
    if sort not in services.SORTS:
        sort = "newest"
    language = languages.filter_arg()
    page = services.list_challenges(current_user, company_id=company_id, category=category, phase=phase,
                                    sort=sort, page=page_arg(), language=language)
    counts = services.language_counts(current_user, company_id=company_id, category=category, phase=phase)
    companies = company_services.companies_by_name(limit=200)
    return render_template(
        "challenges/index.html", page=page, closing=services.closing_dates(page.items),
        companies=companies, categories=CATEGORIES, phase_names=phases.PHASES,
        filters={"company": company_id, "category": category, "phase": phase, "sort": sort, "lang": language},
        language_options=languages.filter_options(counts, language),
        staff_companies=staff_company_ids(current_user),
    )


def _data_from(form: ChallengeForm, cover: str | None) -> services.ChallengeData:
    return services.ChallengeData(
        title=form.title.data or "", summary=form.summary.data or "", problem=form.problem.data or "",
        category=form.category.data, tags=form.tags.data or "",
        reward_text=form.reward_text.data or "", reward_amount=form.reward_amount.data,
        reward_currency=form.reward_currency.data or "", terms=form.terms.data or "",
        visibility=form.visibility.data, vote_budget=form.vote_budget.data, cover_image=cover,
        language=form.language.data or "",
    )


def _plans_from(form: ChallengeForm) -> dict:
    def at(value):
        return datetime.combine(value, time()) if value else None

    return {phase: (at(getattr(form, f"{phase}_starts").data), at(getattr(form, f"{phase}_ends").data))
            for phase in PLANNED_PHASES}


def _save(form: ChallengeForm, company, challenge=None):
    """Create or update from a validated form; returns the challenge or None (errors on form)."""
    try:
        with writing(db.session):
            cover = None
            if form.cover.data and getattr(form.cover.data, "filename", ""):
                cover = store_image(form.cover.data.stream, field="cover").filename
            data = _data_from(form, cover)
            if challenge is None:
                challenge = services.create_challenge(current_user, company, data)
            else:
                services.update_challenge(current_user, challenge, data)
            services.set_criteria(current_user, challenge, (form.criteria.data or "").splitlines())
            services.set_phase_plans(current_user, challenge, _plans_from(form))
    except Invalid as exc:
        show_error(form, exc)
        return None
    return challenge


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """A new challenge for one of the user's companies: `?company=` names it; staff of a
    single company land on its form, staff of several pick one first."""
    company_id = int_arg("company")
    if not company_id:
        mine = company_services.staff_companies(current_user)
        if not mine:
            abort(403)
        if len(mine) > 1:
            return render_template("challenges/pick_company.html", companies=mine)
        company_id = mine[0].id
    company = load_or_404(Company, company_id, lambda user, c: is_staff(user, c.id))
    form = ChallengeForm()
    status = 200
    if form.validate_on_submit():
        challenge = _save(form, company)
        if challenge is not None:
            flash(_("Draft saved. Check the preview, then publish it."), "success")
            return redirect(challenge_url(challenge), code=303)
        status = 422
    elif request.method == "POST":
        status = 422
    return render_template("challenges/form.html", form=form, company=company, challenge=None,
                           planned=PLANNED_PHASES), status


def _load(challenge_id: int, *, full: bool = False):
    """The challenge, or 404 (NotFound, through the error handler) when the user may not
    know it exists; the policy is applied in the query itself."""
    return services.get_visible(current_user, challenge_id, full=full)


def _load_managed(challenge_id: int):
    challenge = _load(challenge_id)
    if not can_manage(current_user, challenge):
        abort(403)  # they may see the challenge, not run it
    return challenge


@bp.route("/<int:challenge_id>-<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(challenge_id: int, slug: str):
    challenge = _load_managed(challenge_id)
    form = ChallengeForm(obj=challenge if request.method == "GET" else None)
    if request.method == "GET":
        form.tags.data = ", ".join(challenge.tags or [])
        form.criteria.data = "\n".join(c.text for c in challenge.criteria)
        for plan in challenge.phase_plans:
            if plan.phase in PLANNED_PHASES:
                getattr(form, f"{plan.phase}_starts").data = plan.starts_at.date() if plan.starts_at else None
                getattr(form, f"{plan.phase}_ends").data = plan.ends_at.date() if plan.ends_at else None
    status = 200
    if form.validate_on_submit():
        if _save(form, challenge.company, challenge) is not None:
            flash(_("Changes saved."), "success")
            return redirect(challenge_url(challenge), code=303)
        challenge = _load_managed(challenge_id)
        status = 422
    elif request.method == "POST":
        status = 422
    return render_template("challenges/form.html", form=form, company=challenge.company,
                           challenge=challenge, planned=PLANNED_PHASES), status


@bp.get("/<int:challenge_id>", defaults={"slug": ""})
@bp.get("/<int:challenge_id>-<slug>")
def show(challenge_id: int, slug: str):
    challenge = _load(challenge_id, full=True)
    if slug != challenge.slug:
        return redirect(challenge_url(challenge), code=301)
    manage = can_manage(current_user, challenge)
    move_form = None
    if manage and challenge.phase != "draft":
        move_form = MoveForm()
        move_form.to_phase.choices = [(p, phases.label(p)) for p in phases.allowed_moves(challenge.phase)]
    return render_template(
        "challenges/show.html", challenge=challenge, manage=manage,
        timeline=services.timeline(challenge),
        explanation=phases.explanation(challenge.phase),
        accepts_ideas=phases.accepts_ideas(challenge.phase), voting_open=phases.voting_open(challenge.phase),
        results=(results := challenge_results(challenge)),
        paths=result_paths(current_user, challenge, results) if result_paths.is_filled(current_app) else {},
        participation=challenge_participation(challenge),
        ideas_url=url_for("submissions.idea_list", challenge_id=challenge.id, slug=challenge.slug),
        new_idea_url=url_for("submissions.new_idea", challenge_id=challenge.id, slug=challenge.slug),
        publish_form=PublishForm() if manage else None, move_form=move_form,
        invite_form=InviteForm() if manage else None,
        invites=services.list_invites(challenge) if manage and challenge.visibility == "invite" else [],
    )


@bp.post("/<int:challenge_id>-<slug>/publish")
@login_required
def publish(challenge_id: int, slug: str):
    challenge = _load_managed(challenge_id)
    if not PublishForm().validate_on_submit():
        abort(400)
    with writing(db.session):  # a refusal: the error handler flashes it and goes back
        services.publish(current_user, challenge)
    flash(_("The challenge is published and accepts ideas."), "success")
    return redirect(challenge_url(challenge), code=303)


@bp.post("/<int:challenge_id>-<slug>/phase")
@login_required
def move(challenge_id: int, slug: str):
    challenge = _load_managed(challenge_id)
    form = MoveForm()
    form.to_phase.choices = [(p, phases.label(p)) for p in phases.PHASES]
    if not form.validate_on_submit():
        flash(_("Choose the phase to move to."), "danger")
        return redirect(challenge_url(challenge), code=303)
    with writing(db.session):  # a refusal: the error handler flashes it and goes back
        services.advance(current_user, challenge, form.to_phase.data, note=form.note.data or "")
    flash(_("The challenge moved to “%(phase)s”.", phase=phases.label(challenge.phase)), "success")
    return redirect(challenge_url(challenge), code=303)


@bp.post("/<int:challenge_id>-<slug>/invites")
@login_required
def invite(challenge_id: int, slug: str):
    challenge = _load_managed(challenge_id)
    form = InviteForm()
    if not form.validate_on_submit():
        flash(_("Enter a valid email address."), "danger")
        return redirect(challenge_url(challenge), code=303)
    with writing(db.session):  # a refusal: the error handler flashes it and goes back
        services.invite_member(current_user, challenge, form.email.data)
    flash(_("Invitation added."), "success")
    return redirect(challenge_url(challenge), code=303)


@bp.post("/<int:challenge_id>-<slug>/invites/<int:user_id>/delete")
@login_required
def uninvite(challenge_id: int, slug: str, user_id: int):
    challenge = _load_managed(challenge_id)
    if not PublishForm().validate_on_submit():
        abort(400)
    with writing(db.session):
        services.uninvite(current_user, challenge, user_id)
    flash(_("Invitation withdrawn."), "success")
    return redirect(challenge_url(challenge), code=303)


@bp.get("/<int:challenge_id>-<slug>/terms/<int:version>")
def terms_version(challenge_id: int, slug: str, version: int):
    """One kept version of the participation terms: the exact text members accepted."""
    challenge = _load(challenge_id)
    kept = {v.version: v for v in services.terms_versions(challenge)}
    if version not in kept:
        abort(404)
    return render_template("challenges/terms.html", challenge=challenge, version=kept[version],
                           versions=sorted(kept.values(), key=lambda v: -v.version),
                           challenge_url=challenge_url(challenge))


@bp.get("/covers/<key>.svg")
def generated_cover(key: str):
    """A generated cover, drawn from its key alone: the same bytes for ever, so cached
    for a year; it holds no text, so it tells nothing about the challenge."""
    if not covers.KEY.fullmatch(key):
        abort(404)
    response = current_app.response_class(covers.cover_svg(key), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
