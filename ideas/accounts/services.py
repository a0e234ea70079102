"""Accounts: registration, verification, login, password reset, profile settings.

Plain functions with an explicit actor and `now`; they add and flush, raise domain
errors and never commit. Mail links are built by the caller (`link(token)`), so no
request is needed here.
"""

from __future__ import annotations

import contextlib
import re
import zoneinfo
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask import current_app, render_template
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select

from ideas.accounts import tokens
from ideas.accounts.models import NOTIFY_FREQUENCIES, User
from ideas.core import events
from ideas.core.db import utcnow
from ideas.core.errors import Invalid, NotAllowed
from ideas.core.i18n import when_for
from ideas.core.mail import queue_mail
from ideas.core.slugs import slugify
from ideas.core.uploads import delete_image, store_image
from ideas.extensions import db

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
MAX_EXPERTISE = 10
MAX_EXPERTISE_LENGTH = 30
# Letters, digits and underscores, with single dots between them (petra.vlckova):
# 2 to 30 characters. @mentions (submissions/comments.py MENTION_RE) read dots too
# and drop a sentence's full stop after the name.
USERNAME_RE = re.compile(r"^(?=.{2,30}\Z)\w+(?:\.\w+)*\Z", re.UNICODE)
LanguageCodes = ("en", "cs", "ru", "zh")

_hasher = PasswordHasher()
# Verified against when the email is unknown, so both failures take as long.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")

LinkBuilder = Callable[[str], str]


# --- passwords -----------------------------------------------------------------

def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_rules(password: str, email: str | None = None, *, field: str = "password") -> None:
    """At least 10 characters, not one repeated character, not the email address."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(ngettext("Use at least %(num)d character.", "Use at least %(num)d characters.", MIN_PASSWORD_LENGTH), field=field)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise Invalid(_("That password is too long."), field=field)
    if len(set(password)) == 1:
        raise Invalid(_("Do not use one character repeated."), field=field)
    if email and password.strip().lower() == email.strip().lower():
        raise Invalid(_("The password must not be your email address."), field=field)


def verify_password(user: User, password: str) -> bool:
    """True when the password matches; upgrades the stored hash if its parameters aged."""
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return True


def _set_password(user: User, password: str, now: datetime) -> None:
    user.password_hash = hash_password(password)
    user.password_changed_at = now


# --- registration ----------------------------------------------------------------

def normalize_email(email: str, *, field: str = "email") -> str:
    """The address validated (syntax only, no DNS) and lower-cased."""
    try:
        result = validate_email((email or "").strip(), check_deliverability=False)
    except EmailNotValidError:
        raise Invalid(_("Enter a valid email address."), field=field) from None
    return result.normalized.lower()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def user_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def unique_username(display_name: str, *, exclude_user_id: int | None = None) -> str:
    """A @mention handle from the display name: word characters, at most 30, unique."""
    base = slugify(display_name, max_length=30).replace("-", "_").strip("_")
    if len(base) < 2:
        base = "member"
    candidate, n = base, 1
    while True:
        query = select(User.id).where(func.lower(User.username) == candidate.lower())
        if exclude_user_id is not None:
            query = query.where(User.id != exclude_user_id)
        if db.session.scalar(query) is None:
            return candidate
        n += 1
        suffix = str(n)
        candidate = base[: 30 - len(suffix)] + suffix


def _clean_display_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not 1 <= len(name) <= 80:
        raise Invalid(_("Use 1 to 80 characters."), field="display_name")
    return name


def register_user(
    email: str, display_name: str, password: str, *, notify_email: bool = False,
    locale: str = "en", now: datetime | None = None,
) -> User:
    """Create a member (not verified yet); duplicate email is a field error."""
    now = now or utcnow()
    email = normalize_email(email)
    display_name = _clean_display_name(display_name)
    check_password_rules(password, email)
    if user_by_email(email) is not None:
        raise Invalid(_("This email address is already registered."), field="email")
    user = User(
        email=email,
        display_name=display_name,
        username=unique_username(display_name),
        password_hash=hash_password(password),
        notify_email=bool(notify_email),
        locale=locale if locale in LanguageCodes else "en",
        created_at=now,
        password_changed_at=now,
    )
    db.session.add(user)
    db.session.flush()
    events.user_registered.send(user, user=user)
    return user


# --- mail ------------------------------------------------------------------------

def _queue_account_mail(user: User, subject: str, template: str, **context) -> None:
    site = current_app.config["SITE_NAME"]
    with force_locale(user.locale or "en"):
        body = render_template(template, user=user, site_name=site, **context)
        queue_mail(user.email, f"{site}: {subject()}", body, kind="account")


def queue_verification_mail(user: User, link: LinkBuilder) -> str:
    """Queue the mail with the signed verification link; returns the token."""
    token = tokens.make_verify_token(current_app.config["SECRET_KEY"], user)
    hours = current_app.config["EMAIL_TOKEN_MAX_AGE"] // 3600
    _queue_account_mail(user, lambda: _("confirm your email address"),
                        "accounts/mail/verify.txt", link=link(token), hours=hours)
    return token


def queue_throttle_mail(user: User, until: datetime, reset_link: str, *, now: datetime) -> None:
    """Tell the owner their account's logins are paused after many failed attempts
    (account mail: sent whatever the notification preferences)."""
    minutes = max(1, round((until - now).total_seconds() / 60))
    _queue_account_mail(user, lambda: _("failed log-in attempts on your account"),
                        "accounts/mail/throttled.txt", until=when_for(until, user.locale, user.timezone),
                        minutes=minutes, link=reset_link)


def verify_email(token: str, *, now: datetime | None = None) -> User:
    """Mark the address in the token verified; Invalid when expired, tampered or stale."""
    try:
        data = tokens.load_token(current_app.config["SECRET_KEY"], tokens.VERIFY_SALT, token,
                                 current_app.config["EMAIL_TOKEN_MAX_AGE"])
    except tokens.TokenError as exc:
        raise _token_invalid(exc) from None
    user = db.session.get(User, data["uid"])
    if user is None or user.email != data.get("email"):
        raise Invalid(_("This link is not valid. Ask for a new one."), field="token")
    if user.email_verified_at is None:
        user.email_verified_at = now or utcnow()
    return user


def _token_invalid(exc: tokens.TokenError) -> Invalid:
    if exc.expired:
        return Invalid(_("This link has expired. Ask for a new one."), field="token")
    return Invalid(_("This link is not valid. Ask for a new one."), field="token")


# --- login -----------------------------------------------------------------------

def check_credentials(email: str, password: str) -> User:
    """The active user with this email and password, read only (the password check is
    slow on purpose, so it runs outside any write transaction). One message for unknown
    email and wrong password, so the form does not reveal who is registered."""
    wrong = Invalid(_("The email or password is not correct."), field="password")
    user = user_by_email(email or "")
    if user is None:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, password or "-")
        raise wrong
    try:
        _hasher.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        raise wrong from None
    if not user.active:
        raise NotAllowed(_("This account has been disabled."), field="email")
    return user


def record_login(user: User, password: str, *, now: datetime | None = None) -> None:
    """Note the login; upgrade the stored hash if its parameters aged (the caller's
    write transaction)."""
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = now or utcnow()


def authenticate(email: str, password: str, *, now: datetime | None = None) -> User:
    """check_credentials, then record_login, in the session's transaction."""
    user = check_credentials(email, password)
    record_login(user, password, now=now)
    return user


# --- password reset ----------------------------------------------------------------

def request_password_reset(email: str, link: LinkBuilder) -> None:
    """Queue a reset mail if the address belongs to an active account; silent otherwise."""
    user = user_by_email(email or "")
    if user is None or not user.active:
        return
    token = tokens.make_reset_token(current_app.config["SECRET_KEY"], user)
    minutes = current_app.config["RESET_TOKEN_MAX_AGE"] // 60
    _queue_account_mail(user, lambda: _("reset your password"), "accounts/mail/reset.txt",
                        link=link(token), minutes=minutes)


def user_for_reset_token(token: str) -> User:
    """The user a reset token is for; Invalid when expired, tampered or already used."""
    try:
        data = tokens.load_token(current_app.config["SECRET_KEY"], tokens.RESET_SALT, token,
                                 current_app.config["RESET_TOKEN_MAX_AGE"])
    except tokens.TokenError as exc:
        raise _token_invalid(exc) from None
    user = db.session.get(User, data["uid"])
    if user is None or not user.active or data.get("fp") != tokens.password_fingerprint(user):
        raise Invalid(_("This link has already been used or is no longer valid. Ask for a new one."),
                      field="token")
    return user


def reset_password(token: str, new_password: str, *, now: datetime | None = None) -> User:
    """Set a new password through a reset token; the token works once."""
    user = user_for_reset_token(token)
    check_password_rules(new_password, user.email)
    _set_password(user, new_password, now or utcnow())
    return user


def change_password(user: User, current: str, new: str, *, now: datetime | None = None) -> None:
    """Change the password of a logged-in member, who must know the current one."""
    if not verify_password(user, current or ""):
        raise Invalid(_("Your current password is not correct."), field="current_password")
    check_password_rules(new, user.email, field="new_password")
    _set_password(user, new, now or utcnow())


# --- profile and settings -------------------------------------------------------------

@lru_cache(maxsize=1)
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def timezone_names() -> list[str]:
    """Sorted IANA names for the settings form's suggestions."""
    return sorted(name for name in _timezones() if "/" in name or name == "UTC")


def parse_expertise(text: str) -> list[str]:
    """Comma-separated tags, trimmed, de-duplicated; at most 10 of at most 30 characters."""
    tags: list[str] = []
    for raw in (text or "").split(","):
        tag = " ".join(raw.split())
        if not tag:
            continue
        if len(tag) > MAX_EXPERTISE_LENGTH:
            raise Invalid(ngettext("Each tag may have at most %(num)d character.", "Each tag may have at most %(num)d characters.",
                                   MAX_EXPERTISE_LENGTH),
                          field="expertise")
        if tag.lower() not in (t.lower() for t in tags):
            tags.append(tag)
    if len(tags) > MAX_EXPERTISE:
        raise Invalid(ngettext("At most %(num)d tag.", "At most %(num)d tags.", MAX_EXPERTISE), field="expertise")
    return tags


def update_settings(
    user: User, *, display_name: str, username: str, bio: str, expertise: list[str],
    locale: str, timezone: str, notify_email: bool, notify_frequency: str,
) -> User:
    """Save the member's profile and preferences after checking each value."""
    display_name = _clean_display_name(display_name)
    username = (username or "").strip().lstrip("@")
    if not USERNAME_RE.match(username):
        raise Invalid(_("Use 2 to 30 letters, digits, underscores or dots (a dot only between "
                        "other characters)."), field="username")
    taken = db.session.scalar(
        select(User.id).where(func.lower(User.username) == username.lower(), User.id != user.id)
    )
    if taken is not None:
        raise Invalid(_("This username is taken."), field="username")
    if len(bio or "") > 5000:
        raise Invalid(ngettext("At most %(num)d character.", "At most %(num)d characters.", 5000), field="bio")
    if len(expertise) > MAX_EXPERTISE or any(len(t) > MAX_EXPERTISE_LENGTH for t in expertise):
        raise Invalid(ngettext("At most %(num)d tag.", "At most %(num)d tags.", MAX_EXPERTISE), field="expertise")
    if locale not in LanguageCodes:
        raise Invalid(_("Choose one of the offered languages."), field="locale")
    if timezone not in _timezones():
        raise Invalid(_("Unknown time zone."), field="timezone")
    if notify_frequency not in NOTIFY_FREQUENCIES:
        raise Invalid(_("Choose one of the offered frequencies."), field="notify_frequency")
    user.display_name = display_name
    user.username = username
    user.bio = (bio or "").strip()
    user.expertise = list(expertise)
    user.locale = locale
    user.timezone = timezone
    user.notify_email = bool(notify_email)
    user.notify_frequency = notify_frequency
    db.session.flush()
    return user


def set_avatar(user: User, stream) -> None:
    """Store a new avatar (checked and re-encoded) and drop the old file."""
    stored = store_image(stream, field="avatar", max_side=512)
    old, user.avatar = user.avatar, stored.filename
    delete_image(old)


def remove_avatar(user: User) -> None:
    old, user.avatar = user.avatar, None
    delete_image(old)


# --- administration ---------------------------------------------------------------------

def create_admin(email: str, *, password: str | None, display_name: str | None = None,
                 now: datetime | None = None) -> tuple[User, bool]:
    """Promote an existing account to admin, or create a verified admin; (user, created)."""
    now = now or utcnow()
    email = normalize_email(email)
    user = user_by_email(email)
    if user is not None:
        user.is_admin = True
        if user.email_verified_at is None:
            user.email_verified_at = now
        if password:
            check_password_rules(password, email)
            _set_password(user, password, now)
        return user, False
    if not password:
        raise Invalid(_("A password is needed for a new account."), field="password")
    name = _clean_display_name(display_name or email.split("@")[0])
    check_password_rules(password, email)
    user = User(email=email, display_name=name, username=unique_username(name),
                password_hash=hash_password(password), is_admin=True, email_verified_at=now,
                created_at=now, password_changed_at=now)
    db.session.add(user)
    db.session.flush()
    return user, True
