import io
import re

import pytest
from PIL import Image
from sqlalchemy import select

from ideas.accounts.models import User
from ideas.core.mail import OutboxMessage

PASSWORD = "correct horse battery"


def _outbox(db):
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def _link(message, path):
    match = re.search(r"http://localhost(" + path + r"[^\s]+)", message.body_text)
    assert match, message.body_text
    return match.group(1)


def _png(size=(32, 32)):
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, "PNG")
    buf.seek(0)
    return buf


def test_register_then_follow_mail_link_verifies(client, db):
    response = client.post("/register", {
        "email": "Jana@Example.org", "display_name": "Jana Nováková", "password": "a long password",
    })
    assert response.status_code == 303
    user = db.session.scalar(select(User))
    assert user.email == "jana@example.org" and not user.is_verified
    assert user.notify_email is False  # consent is off unless ticked
    [message] = _outbox(db)
    assert message.to_address == "jana@example.org" and message.kind == "account"
    # registered and logged in: the settings page is reachable
    assert client.get("/settings").status_code == 200
    response = client.get(_link(message, "/verify/"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).is_verified


def test_register_consent_checkbox_is_stored(client, db):
    client.post("/register", {"email": "a@example.org", "display_name": "A", "password": "a long password",
                              "notify_email": "y"})
    assert db.session.scalar(select(User)).notify_email is True


def test_register_duplicate_email_shows_field_error(client, make):
    member = make.user()
    response = client.post("/register", {"email": member.email.upper(), "display_name": "X",
                                         "password": "a long password"})
    assert response.status_code == 422
    assert "already registered" in response.get_data(as_text=True)


def test_register_weak_password_names_the_field(client, db):
    response = client.post("/register", {"email": "a@example.org", "display_name": "A", "password": "short"})
    assert response.status_code == 422
    assert 'id="password-err"' in response.get_data(as_text=True)
    assert db.session.scalar(select(User)) is None


def test_bad_verification_link_is_a_clear_400(client):
    response = client.get("/verify/not-a-real-token")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


def test_resend_verification_queues_a_new_mail(client, db, make):
    user = make.user(verified=False)
    client.login(user)
    response = client.post("/verify/resend", form_page="/settings")
    assert response.status_code == 303
    assert [m.to_address for m in _outbox(db)] == [user.email]


def test_login_logout_and_remember_cookie(client, make):
    user = make.user()
    response = client.post("/login", {"email": user.email, "password": PASSWORD, "remember": "y",
                                      "next": "/settings"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/settings")
    assert "remember_token=" in response.headers.get("Set-Cookie", "") or any(
        "remember_token" in c for c in response.headers.getlist("Set-Cookie"))
    assert client.get("/settings").status_code == 200
    assert client.logout().status_code == 303
    assert client.get("/settings").status_code == 302


def test_login_without_remember_sets_no_remember_cookie(client, make):
    user = make.user()
    response = client.post("/login", {"email": user.email, "password": PASSWORD})
    assert not any("remember_token" in c for c in response.headers.getlist("Set-Cookie"))


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_login_next_only_local(client, make, target):
    user = make.user()
    response = client.post("/login", {"email": user.email, "password": PASSWORD, "next": target})
    assert response.status_code == 303
    assert "evil" not in response.headers["Location"]


def test_login_wrong_password_and_unknown_email_look_the_same(client, make):
    user = make.user()
    wrong = client.post("/login", {"email": user.email, "password": "wrong password"})
    unknown = client.post("/login", {"email": "nobody@example.org", "password": "wrong password"})
    assert wrong.status_code == unknown.status_code == 422
    assert "The email or password is not correct." in wrong.get_data(as_text=True)
    assert "The email or password is not correct." in unknown.get_data(as_text=True)


def test_inactive_member_cannot_log_in(client, make):
    user = make.user(active=False)
    response = client.post("/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 422
    assert client.get("/settings").status_code == 302


def test_password_reset_flow(client, db, make):
    user = make.user()
    answer_known = client.post("/reset", {"email": user.email})
    answer_unknown = client.post("/reset", {"email": "nobody@example.org"})
    assert answer_known.status_code == answer_unknown.status_code == 200
    [message] = _outbox(db)
    path = _link(message, "/reset/")
    assert client.get(path).status_code == 200
    response = client.post(path, {"password": "short"})
    assert response.status_code == 422
    response = client.post(path, {"password": "a brand new password"})
    assert response.status_code == 303
    client.login(user, password="a brand new password")
    client.logout()
    # the link works once
    assert client.get(path).status_code == 400


def test_profile_shows_member_and_their_public_ideas(client, make):
    member = make.user(name="Jana Nováková", bio="I **love** steam.", expertise=["steam", "IoT"])
    idea = make.idea(author=member, title="Steam drum cleaner")
    hidden = make.idea(author=member, title="Secret hidden idea")
    from ideas.core.db import utcnow
    hidden.hidden_at = utcnow()
    html = client.get(f"/members/{member.username}").get_data(as_text=True)
    assert "Jana Nováková" in html and "<strong>love</strong>" in html and "IoT" in html
    assert idea.title in html
    assert "Secret hidden idea" not in html
    assert client.get("/members/nobody-here").status_code == 404


def test_settings_saves_profile(client, db, make):
    user = make.user()
    client.login(user)
    response = client.post("/settings", {
        "display_name": "Ada L.", "username": "ada_l", "bio": "Hi", "expertise": "steam, IoT",
        "locale": "cs", "timezone": "Europe/Prague", "notify_email": "y", "notify_frequency": "weekly",
    })
    assert response.status_code == 303
    db.session.refresh(user)
    assert (user.display_name, user.username, user.expertise) == ("Ada L.", "ada_l", ["steam", "IoT"])
    assert (user.locale, user.timezone, user.notify_email, user.notify_frequency) == (
        "cs", "Europe/Prague", True, "weekly")


def _settings_data(user, **extra):
    return dict({"display_name": "Renamed", "username": user.username, "bio": "", "expertise": "",
                 "locale": "en", "timezone": "UTC", "notify_frequency": "instant"}, **extra)


def test_settings_bad_timezone_is_a_field_error(client, db, make):
    user = make.user()
    client.login(user)
    response = client.post("/settings", _settings_data(user, timezone="Mars/Olympus"))
    assert response.status_code == 422
    assert 'id="timezone-err"' in response.get_data(as_text=True)


def test_avatar_not_an_image_is_refused_and_nothing_saved(client, db, make, app, tmp_path):
    user = make.user()
    name = user.display_name
    client.login(user)
    data = _settings_data(user, avatar=(io.BytesIO(b"just some text"), "me.png"))
    response = client.post("/settings", data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert 'id="avatar-err"' in response.get_data(as_text=True)
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.avatar is None and user.display_name == name


def test_avatar_too_big_is_refused(client, db, make, app):
    app.config["UPLOAD_MAX_BYTES"] = 50
    user = make.user()
    client.login(user)
    data = _settings_data(user, avatar=(_png(), "me.png"))
    response = client.post("/settings", data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "too big" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).avatar is None


def test_valid_png_avatar_is_saved_then_removed(client, db, make, app):
    from pathlib import Path

    user = make.user()
    client.login(user)
    response = client.post("/settings", _settings_data(user, avatar=(_png(), "me.png")),
                           content_type="multipart/form-data")
    assert response.status_code == 303
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.avatar and user.avatar.endswith(".webp")
    stored = Path(app.config["UPLOAD_FOLDER"]) / user.avatar
    assert stored.exists()
    assert client.get(f"/uploads/{user.avatar}").status_code == 200
    client.post("/settings", _settings_data(user, remove_avatar="y"))
    db.session.expire_all()
    assert db.session.get(User, user.id).avatar is None
    assert not stored.exists()


def test_settings_without_csrf_is_refused(client, db, make):
    user = make.user()
    client.login(user)
    response = client.post("/settings", _settings_data(user), csrf=False)
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, user.id).display_name != "Renamed"


def test_settings_requires_login(client):
    response = client.get("/settings")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_change_password(client, db, make):
    user = make.user()
    client.login(user)
    wrong = client.post("/settings/password", {"current_password": "nope nope nope",
                                               "new_password": "a brand new password"},
                        form_page="/settings")
    assert wrong.status_code == 422
    ok = client.post("/settings/password", {"current_password": PASSWORD,
                                            "new_password": "a brand new password"},
                     form_page="/settings")
    assert ok.status_code == 303
    client.logout()
    client.login(user, password="a brand new password")


def test_login_is_throttled_per_account(app, client, make):
    """Not Flask-Limiter's per-address limit any more: accounts/throttle.py counts failures
    per account and address in shared storage (tests/accounts/test_throttle.py)."""
    user = make.user()
    statuses = [client.post("/login", {"email": user.email, "password": "wrong password"}).status_code
                for _ in range(11)]
    assert statuses[:10] == [422] * 10
    assert statuses[10] == 429


def test_expired_verification_link_is_a_clear_400(app, client, db, make):
    from ideas.accounts import tokens

    user = make.user(verified=False)
    db.session.commit()
    token = tokens.make_verify_token(app.config["SECRET_KEY"], user)
    app.config["EMAIL_TOKEN_MAX_AGE"] = -1
    response = client.get(f"/verify/{token}")
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    assert db.session.get(User, user.id).email_verified_at is None


def test_register_race_on_unique_email_is_not_a_500(client, db, monkeypatch):
    from ideas.accounts import services

    # Simulate the other sign-up winning between our check and our insert.
    monkeypatch.setattr(services, "user_by_email", lambda email: None)
    client.post("/register", {"email": "a@example.org", "display_name": "A", "password": "a long password"})
    client.post("/logout", form_page="/")
    response = client.post("/register", {"email": "a@example.org", "display_name": "B",
                                         "password": "a long password"})
    assert response.status_code == 422
    assert "already registered" in response.get_data(as_text=True)


def test_changing_the_password_ends_other_sessions(app, db, make):
    from datetime import timedelta

    from tests.conftest import BrowserClient

    user = make.user()
    db.session.commit()
    other_device = BrowserClient(app.test_client())
    other_device.login(user)
    assert other_device.get("/settings").status_code == 200
    user.password_changed_at = user.password_changed_at + timedelta(seconds=5)
    db.session.commit()
    response = other_device.get("/settings")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_password_check_holds_no_write_lock(client, make, db, monkeypatch):
    """Logins of many members at once must not queue on SQLite's single writer while
    each runs the deliberately slow password hash."""
    from ideas.accounts import services
    from ideas.core.db import write_intent

    seen = {}
    check, record = services.check_credentials, services.record_login

    def spy_check(*args, **kwargs):
        seen["check"] = write_intent.get()
        return check(*args, **kwargs)

    def spy_record(*args, **kwargs):
        seen["record"] = write_intent.get()
        return record(*args, **kwargs)

    monkeypatch.setattr(services, "check_credentials", spy_check)
    monkeypatch.setattr(services, "record_login", spy_record)
    user = make.user()
    db.session.commit()
    client.login(user)
    assert seen == {"check": False, "record": True}
    db.session.refresh(user)
    assert user.last_login_at is not None
