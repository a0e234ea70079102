"""Accounts pages: register, verify, log in/out, reset password, profile, settings."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date, refresh
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from ideas.accounts import services, throttle
from ideas.accounts.forms import (
    ChangePasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
    SettingsForm,
)
from ideas.core.db import reads_first, utcnow, writing
from ideas.core.errors import DomainError, Invalid
from ideas.core.pipeline import show_error
from ideas.core.providers import Provider
from ideas.extensions import db, limiter

bp = Blueprint("accounts", __name__)

# Ideas sit above accounts: the profile lists a member's ideas through this provider,
# which create_app fills with the submissions module's function.
member_ideas = Provider("accounts.member_ideas", "(viewer, member) -> the member's ideas the viewer may see")
# ... and their reputation (level, badges, expert status, recent points) through this one.
member_reputation = Provider("accounts.member_reputation", "(viewer, member) -> the member's standing")

AUTH_LIMIT = "10 per minute"


def _mail_link(endpoint: str):
    """Absolute link for mail: the public base URL plus the route's path."""
    base = current_app.config["SERVER_NAME_FOR_MAIL"].rstrip("/")
    return lambda token: base + url_for(endpoint, token=token)


def _safe_next(target: str | None) -> str | None:
    """Only local paths: no scheme, no host, no protocol-relative '//' or '/\\'."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _see_other(endpoint: str, **values):
    return redirect(url_for(endpoint, **values), code=303)


# --- register and verify --------------------------------------------------------------

@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = RegisterForm()
    status = 200
    if form.validate_on_submit():
        try:
            with writing(db.session):
                user = services.register_user(
                    form.email.data, form.display_name.data, form.password.data,
                    notify_email=form.notify_email.data, locale=_current_locale(),
                )
                services.queue_verification_mail(user, _mail_link("accounts.verify"))
        except Invalid as exc:
            show_error(form, exc, flash_otherwise=True)
        except IntegrityError:
            # Two sign-ups racing for the same email or username: the database decides.
            form.email.errors = list(form.email.errors) + [
                _("This email address is already registered, or the name was just taken. Please try again.")]
        else:
            login_user(user)
            flash(_("Welcome, %(name)s! We sent you a link to confirm your email address.",
                    name=user.display_name), "success")
            return _see_other("core.home")
    if form.is_submitted():
        status = 422
    return render_template("accounts/register.html", form=form), status


def _current_locale() -> str:
    from flask_babel import get_locale

    return str(get_locale() or "en")


@bp.get("/verify/<token>")
def verify(token: str):
    try:
        with writing(db.session):
            user = services.verify_email(token)
    except Invalid as exc:
        return render_template("accounts/token_invalid.html", message=exc.message,
                               kind="verify"), 400
    flash(_("Thank you, your email address %(email)s is confirmed.", email=user.email), "success")
    return redirect(url_for("core.home"))


@bp.post("/verify/resend")
@login_required
@limiter.limit("3 per 10 minutes")
def resend_verification():
    if current_user.is_verified:
        flash(_("Your email address is already confirmed."), "info")
    else:
        with writing(db.session):
            services.queue_verification_mail(current_user, _mail_link("accounts.verify"))
        flash(_("We sent a new link to %(email)s.", email=current_user.email), "success")
    return redirect(_safe_next(request.referrer and urlsplit(request.referrer).path)
                    or url_for("core.home"), code=303)


# --- log in and out -------------------------------------------------------------------------

@bp.route("/login", methods=["GET", "POST"])
@reads_first  # the slow password check holds no write lock; only the login note writes
def login():
    """Failed logins are throttled per account and per address (accounts/throttle.py),
    in storage all workers share; a throttled login is refused before the password is
    checked, with a 429 saying when to retry."""
    form = LoginForm()
    if request.method == "GET":
        form.next.data = _safe_next(request.args.get("next")) or ""
        if current_user.is_authenticated:
            return redirect(form.next.data or url_for("core.home"))
    status, notice = 200, None
    if form.validate_on_submit():
        now = utcnow()
        address = request.remote_addr
        held = throttle.check(form.email.data, address, now=now)
        if held is not None:
            return _throttled(form, held, now)
        try:
            user = services.check_credentials(form.email.data, form.password.data)
        except Invalid as exc:  # wrong email or password: counted
            db.session.rollback()
            show_error(form, exc, flash_otherwise=True)
            with writing(db.session):
                held = throttle.record_failure(form.email.data, address, now=now,
                                               reset_link=_absolute("accounts.reset_request"))
            if held is not None:  # this failure was checked (422); the next one waits
                notice = held.message(now)
        except DomainError as exc:  # a disabled account: the password was right
            db.session.rollback()
            show_error(form, exc, flash_otherwise=True)
        else:
            with writing(db.session):
                services.record_login(user, form.password.data)
                throttle.record_success(form.email.data)
            login_user(user, remember=bool(form.remember.data))
            refresh()  # the language chosen for this request was the visitor's; now it is the member's
            flash(_("Welcome back, %(name)s.", name=user.display_name), "success")
            return redirect(_safe_next(form.next.data) or url_for("core.home"), code=303)
    if form.is_submitted():
        status = 422
    return render_template("accounts/login.html", form=form, throttled=notice), status


def _throttled(form, held: throttle.Throttled, now):
    form.password.data = ""
    response = current_app.make_response(
        (render_template("accounts/login.html", form=form, throttled=held.message(now)), 429))
    response.headers["Retry-After"] = str(held.seconds(now))
    return response


def _absolute(endpoint: str) -> str:
    return current_app.config["SERVER_NAME_FOR_MAIL"].rstrip("/") + url_for(endpoint)


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("You are logged out."), "info")
    return _see_other("core.home")


# --- password reset ---------------------------------------------------------------------------

@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        with writing(db.session):
            services.request_password_reset(form.email.data, _mail_link("accounts.reset_password"))
        return render_template("accounts/reset_sent.html", email=form.email.data)
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/reset_request.html", form=form), status


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
def reset_password(token: str):
    try:
        services.user_for_reset_token(token)
    except Invalid as exc:
        return render_template("accounts/token_invalid.html", message=exc.message,
                               kind="reset"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            with writing(db.session):
                user = services.reset_password(token, form.password.data)
        except Invalid as exc:
            show_error(form, exc, flash_otherwise=True)
        else:
            logout_user()
            flash(_("Your password has been changed. Log in with the new one."), "success")
            return redirect(url_for("accounts.login", email=user.email), code=303)
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/reset_password.html", form=form, token=token), status


# --- profile and settings ----------------------------------------------------------------------

@bp.get("/members/<username>")
def profile(username: str):
    member = services.user_by_username(username)
    if member is None or not member.active:
        abort(404)
    return render_template("accounts/profile.html", member=member,
                           contributions=member_ideas(current_user, member),
                           rep=member_reputation(current_user, member) if member_reputation.is_filled(current_app)
                           else None,
                           joined=format_date(member.created_at, "long"),
                           is_me=current_user.is_authenticated and current_user.id == member.id)


def _settings_page(settings_form=None, password_form=None, status=200):
    if settings_form is None:
        settings_form = SettingsForm(obj=current_user)
        settings_form.expertise.data = ", ".join(current_user.expertise or [])
    return render_template(
        "accounts/settings.html",
        form=settings_form,
        password_form=password_form or ChangePasswordForm(),
        timezones=services.timezone_names(),
    ), status


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    if request.method == "GET":
        return _settings_page()
    form = SettingsForm()
    if form.validate_on_submit():
        upload = form.avatar.data
        try:
            with writing(db.session):
                services.update_settings(
                    current_user,
                    display_name=form.display_name.data,
                    username=form.username.data,
                    bio=form.bio.data or "",
                    expertise=services.parse_expertise(form.expertise.data or ""),
                    locale=form.locale.data,
                    timezone=(form.timezone.data or "").strip(),
                    notify_email=form.notify_email.data,
                    notify_frequency=form.notify_frequency.data,
                )
                if form.remove_avatar.data:
                    services.remove_avatar(current_user)
                elif upload and getattr(upload, "filename", ""):
                    services.set_avatar(current_user, upload.stream)
        except Invalid as exc:
            show_error(form, exc, flash_otherwise=True)
        else:
            flash(_("Your settings are saved."), "success")
            return _see_other("accounts.settings")
    return _settings_page(settings_form=form, status=422)


@bp.post("/settings/password")
@login_required
@limiter.limit(AUTH_LIMIT)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            with writing(db.session):
                services.change_password(current_user, form.current_password.data, form.new_password.data)
        except Invalid as exc:
            show_error(form, exc, flash_otherwise=True)
        else:
            # The session carries the user id only; log in again so the remember cookie is fresh.
            login_user(current_user._get_current_object())
            flash(_("Your password has been changed."), "success")
            return _see_other("accounts.settings")
    return _settings_page(password_form=form, status=422)
