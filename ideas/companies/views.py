"""Company pages: the index, a company's public page, and its owners' edit and
staff pages."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ideas.companies import services
from ideas.companies.forms import ActionForm, AddStaffForm, EditCompanyForm, RoleForm
from ideas.companies.models import Company, CompanyMember
from ideas.companies.policy import is_owner, is_staff
from ideas.core.db import writing
from ideas.core.errors import DomainError, Invalid
from ideas.core.pagination import Page, page_arg
from ideas.core.pipeline import load_or_404, show_error
from ideas.core.providers import Provider
from ideas.extensions import db

bp = Blueprint("companies", __name__, url_prefix="/companies")

# Challenges sit above companies: the company pages get their challenges through these,
# filled by create_app with the challenges module's services.
company_challenges = Provider(
    "companies.challenges",
    "(viewer, company, page) -> a Page of the company's challenges the viewer may see")
open_challenge_counts = Provider(
    "companies.open_challenge_counts",
    "(company ids) -> {company id: number of open public challenges}")


def _company_or_404(slug: str) -> Company:
    company = services.company_by_slug(slug)
    if company is None:
        abort(404)
    return company


def _owner_company_or_403(slug: str) -> Company:
    company = _company_or_404(slug)
    if not is_owner(current_user, company.id):
        abort(403)
    return company


def _logo_stream(field):
    data = field.data
    return data.stream if data and getattr(data, "filename", "") else None


@bp.get("/")
def index():
    """All companies, with the number of their open public challenges."""
    page_no, per_page = page_arg(), 24
    companies = services.list_companies(page_no, per_page)
    counts = open_challenge_counts(c.id for c in companies[:per_page])
    page = Page(items=[(c, counts.get(c.id, 0)) for c in companies[:per_page]], page=page_no,
                per_page=per_page, has_next=len(companies) > per_page, has_prev=page_no > 1)
    return render_template("companies/index.html", page=page)


@bp.get("/<slug>")
def show(slug):
    """A company's public page; its challenges filtered by what the viewer may see."""
    company = _company_or_404(slug)
    challenges = company_challenges(current_user, company, page_arg())
    staff = sorted(company.staff, key=lambda m: (m.role != "owner", m.user.display_name.lower()))
    return render_template(
        "companies/show.html", company=company, challenges=challenges, staff=staff,
        can_edit=is_owner(current_user, company.id),
        is_staff=is_staff(current_user, company.id),
    )


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug):
    company = _owner_company_or_403(slug)
    form = EditCompanyForm(obj=company)
    if form.validate_on_submit():
        try:
            with writing(db.session):
                services.update_company(
                    current_user, company, form.name.data, form.tagline.data, form.description.data,
                    form.website.data, _logo_stream(form.logo), remove_logo=form.remove_logo.data,
                )
        except DomainError as exc:
            show_error(form, exc)
            return render_template("companies/edit.html", company=company, form=form), 422
        flash(_("The company page was saved."), "success")
        return redirect(url_for("companies.show", slug=company.slug), code=303)
    status = 422 if form.errors else 200
    return render_template("companies/edit.html", company=company, form=form), status


def _render_staff(company, form, status=200):
    members = sorted(company.staff, key=lambda m: (m.role != "owner", m.user.display_name.lower()))
    role_forms = {m.id: RoleForm(prefix=f"m{m.id}", role=m.role) for m in members}
    return render_template("companies/staff.html", company=company, form=form, members=members,
                           role_forms=role_forms, action_form=ActionForm()), status


@bp.route("/<slug>/staff", methods=["GET", "POST"])
@login_required
def staff(slug):
    """Owners add staff by email; the list offers role changes and removal."""
    company = _owner_company_or_403(slug)
    form = AddStaffForm()
    if form.validate_on_submit():
        try:
            with writing(db.session):
                membership = services.add_staff(current_user, company, form.email.data, form.role.data)
        except DomainError as exc:
            show_error(form, exc)
            return _render_staff(company, form, 422)
        flash(_("%(name)s was added to the staff.", name=membership.user.display_name), "success")
        return redirect(url_for("companies.staff", slug=company.slug), code=303)
    return _render_staff(company, form, 422 if form.errors else 200)


def _membership_or_404(company: Company, member_id: int) -> CompanyMember:
    return load_or_404(CompanyMember, member_id, lambda _user, m: m.company_id == company.id)


@bp.post("/<slug>/staff/<int:member_id>/role")
@login_required
def change_role(slug, member_id):
    company = _owner_company_or_403(slug)
    membership = _membership_or_404(company, member_id)
    form = RoleForm(prefix=f"m{member_id}")
    if not form.validate_on_submit():
        flash(_("Please choose a role."), "danger")
        return redirect(url_for("companies.staff", slug=company.slug), code=303)
    try:
        with writing(db.session):
            services.change_role(current_user, company, membership, form.role.data)
    except Invalid as exc:
        flash(exc.message, "danger")
    else:
        flash(_("The role was changed."), "success")
    return redirect(url_for("companies.staff", slug=company.slug), code=303)


@bp.post("/<slug>/staff/<int:member_id>/remove")
@login_required
def remove_staff(slug, member_id):
    company = _owner_company_or_403(slug)
    membership = _membership_or_404(company, member_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    name = membership.user.display_name
    try:
        with writing(db.session):
            services.remove_staff(current_user, company, membership)
    except Invalid as exc:
        flash(exc.message, "danger")
    else:
        flash(_("%(name)s is no longer staff.", name=name), "success")
    if membership.user_id == current_user.id and not current_user.is_admin:
        return redirect(url_for("companies.show", slug=company.slug), code=303)
    return redirect(url_for("companies.staff", slug=company.slug), code=303)
