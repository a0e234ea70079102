from datetime import timedelta

import pytest
from sqlalchemy import select

from ideas.accounts import services, tokens
from ideas.accounts.models import User
from ideas.core.db import utcnow
from ideas.core.errors import Invalid, NotAllowed
from ideas.core.mail import OutboxMessage

LINK = "http://localhost/x/".__add__


def test_register_stores_lower_cased_email_and_hashes_password(db):
    user = services.register_user("Ada.Lovelace@Example.ORG", "Ada Lovelace", "analytical engine")
    assert user.email == "ada.lovelace@example.org"
    assert user.username == "ada_lovelace"
    assert user.password_hash.startswith("$argon2")
    assert "analytical" not in user.password_hash
    assert user.notify_email is False
    assert user.email_verified_at is None


def test_username_gets_a_suffix_when_taken(db, make):
    make.user(username="jana_novakova")
    user = services.register_user("jana@example.org", "Jana Nováková", "a long password")
    assert user.username == "jana_novakova2"


def test_duplicate_email_is_a_field_error(db):
    services.register_user("ada@example.org", "Ada", "analytical engine")
    with pytest.raises(Invalid) as exc:
        services.register_user("ADA@example.org", "Ada Two", "another password")
    assert exc.value.field == "email"
    assert "already registered" in exc.value.message


@pytest.mark.parametrize("password", ["short", "aaaaaaaaaaaa", "ada@example.org"])
def test_weak_password_is_refused(db, password):
    with pytest.raises(Invalid) as exc:
        services.register_user("ada@example.org", "Ada", password)
    assert exc.value.field == "password"
    assert db.session.scalar(select(User)) is None


def test_invalid_email_is_refused(db):
    with pytest.raises(Invalid) as exc:
        services.register_user("not an email", "Ada", "analytical engine")
    assert exc.value.field == "email"


def test_verification_token_valid_marks_verified(db, make):
    user = make.user(verified=False)
    token = services.queue_verification_mail(user, LINK)
    message = db.session.scalar(select(OutboxMessage))
    assert message.kind == "account" and message.to_address == user.email
    assert f"http://localhost/x/{token}" in message.body_text
    services.verify_email(token)
    assert user.email_verified_at is not None


def test_verification_token_expired(app, db, make, monkeypatch):
    user = make.user(verified=False)
    token = tokens.make_verify_token(app.config["SECRET_KEY"], user)
    app.config["EMAIL_TOKEN_MAX_AGE"] = -1
    with pytest.raises(Invalid) as exc:
        services.verify_email(token)
    assert "expired" in exc.value.message
    assert user.email_verified_at is None


def test_verification_token_tampered(app, db, make):
    user = make.user(verified=False)
    token = tokens.make_verify_token(app.config["SECRET_KEY"], user)
    with pytest.raises(Invalid):
        services.verify_email(token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    other = tokens.make_verify_token("another-secret", user)
    with pytest.raises(Invalid):
        services.verify_email(other)
    assert user.email_verified_at is None


def test_login_wrong_password_and_unknown_email_same_message(db, make):
    user = make.user()
    with pytest.raises(Invalid) as wrong:
        services.authenticate(user.email, "not the password")
    with pytest.raises(Invalid) as unknown:
        services.authenticate("nobody@example.org", "not the password")
    assert wrong.value.message == unknown.value.message


def test_login_rehashes_weak_hash_and_refuses_inactive(db, make):
    user = make.user()
    old = user.password_hash
    assert services.authenticate(user.email.upper(), "correct horse battery") is user
    assert user.password_hash != old  # factory hash has cheap parameters
    user.active = False
    with pytest.raises(NotAllowed):
        services.authenticate(user.email, "correct horse battery")


def test_reset_token_works_once(db, make):
    user = make.user()
    services.request_password_reset(user.email, LINK)
    body = db.session.scalar(select(OutboxMessage)).body_text
    token = body.split("http://localhost/x/")[1].split()[0]
    services.reset_password(token, "a brand new password", now=utcnow() + timedelta(seconds=1))
    assert services.authenticate(user.email, "a brand new password") is user
    with pytest.raises(Invalid):
        services.reset_password(token, "yet another password")


def test_reset_request_for_unknown_email_sends_nothing(db):
    services.request_password_reset("nobody@example.org", LINK)
    assert db.session.scalar(select(OutboxMessage)) is None


def test_change_password_needs_current(db, make):
    user = make.user()
    with pytest.raises(Invalid) as exc:
        services.change_password(user, "wrong one", "a brand new password")
    assert exc.value.field == "current_password"
    services.change_password(user, "correct horse battery", "a brand new password")
    assert services.verify_password(user, "a brand new password")


def test_expertise_parsing_limits():
    assert services.parse_expertise(" steam, IoT ,, steam ") == ["steam", "IoT"]
    with pytest.raises(Invalid):
        services.parse_expertise(",".join(f"t{i}" for i in range(11)))
    with pytest.raises(Invalid):
        services.parse_expertise("x" * 31)


def test_update_settings_validates_timezone_and_username(db, make):
    user, other = make.user(), make.user()
    values = dict(display_name="Ada", username="ada", bio="", expertise=[], locale="cs",
                  timezone="Europe/Prague", notify_email=True, notify_frequency="daily")
    services.update_settings(user, **values)
    assert (user.timezone, user.locale, user.notify_frequency) == ("Europe/Prague", "cs", "daily")
    with pytest.raises(Invalid) as exc:
        services.update_settings(user, **dict(values, timezone="Mars/Olympus"))
    assert exc.value.field == "timezone"
    with pytest.raises(Invalid) as exc:
        services.update_settings(user, **dict(values, username=other.username.upper()))
    assert exc.value.field == "username"


def test_create_admin_creates_or_promotes(db, make):
    user, created = services.create_admin("Boss@example.org", password="a strong password")
    assert created and user.is_admin and user.is_verified and user.email == "boss@example.org"
    member = make.user(verified=False)
    promoted, created = services.create_admin(member.email, password=None)
    assert promoted is member and not created and member.is_admin and member.is_verified


def test_create_admin_command(app, db, make):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create-admin", "root@example.org", "--password",
                                 "a strong password", "--name", "Root"])
    assert result.exit_code == 0, result.output
    admin = services.user_by_email("root@example.org")
    assert admin.is_admin and admin.is_verified and admin.display_name == "Root"
    result = runner.invoke(args=["users", "create-admin", "new@example.org"],
                           input="a strong password\na strong password\n")
    assert result.exit_code == 0, result.output
    assert services.user_by_email("new@example.org").is_admin
    result = runner.invoke(args=["users", "create-admin", "x@example.org", "--password", "short"])
    assert result.exit_code != 0 and services.user_by_email("x@example.org") is None
