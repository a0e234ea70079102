"""The demo obeys the app's own rules: every demo member's settings form, re-posted
unchanged, is accepted, and every username, email and display name passes the
accounts services' validators; @mentions of dotted usernames still resolve."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from ideas.accounts import services
from ideas.accounts.models import User
from ideas.demo.content import PASSWORD
from ideas.submissions.comments import mentioned_usernames
from tests.conftest import BrowserClient, FreshRequestClient


@pytest.fixture
def demo(app, db):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return db.session.scalars(select(User).order_by(User.id)).all()


class _SettingsForm(HTMLParser):
    """The fields of the settings form as a browser would send them unchanged."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._in_form = False
        self._textarea = self._select = None
        self._first_option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("action") or "").endswith("/settings"):
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("file", "submit"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.fields[name] = a.get("value", "y")
            else:
                self.fields[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self.fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form" and self._in_form:
            self._in_form = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            self.fields.setdefault(self._select, self._first_option or "")
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def _unchanged_settings(html: str) -> dict[str, str]:
    parser = _SettingsForm()
    parser.feed(html)
    fields = parser.fields
    # A browser drops the one newline that may follow <textarea>.
    if fields.get("bio", "").startswith("\n"):
        fields["bio"] = fields["bio"][1:]
    return fields


def test_every_demo_user_passes_the_account_validators(demo):
    assert len(demo) >= 20
    for user in demo:
        assert services.USERNAME_RE.match(user.username), user.username
        assert services.normalize_email(user.email) == user.email
        assert services._clean_display_name(user.display_name) == user.display_name
        assert services.parse_expertise(", ".join(user.expertise)) == list(user.expertise)
        assert len(user.bio) <= 5000
        assert user.timezone in services.timezone_names() or user.timezone == "UTC"


def test_every_demo_member_saves_their_settings_unchanged(app, demo):
    app.test_client_class = FreshRequestClient
    dotted = [u for u in demo if "." in u.username]
    assert dotted, "the demo has dotted usernames: the rule must accept them"
    before = {u.id: (u.username, u.display_name, u.bio, list(u.expertise), u.timezone) for u in demo}
    emails = [u.email for u in demo if u.active]
    for email in emails:
        browser = BrowserClient(app.test_client())
        response = browser.post("/login", {"email": email, "password": PASSWORD})
        assert response.status_code == 303, (email, response.status_code)
        data = _unchanged_settings(browser.get("/settings").get_data(as_text=True))
        assert data.get("username") and data.get("csrf_token"), data
        response = browser.client.post("/settings", data=data)
        assert response.status_code == 303, (email, response.get_data(as_text=True)[:2000])
    from ideas.extensions import db

    db.session.expire_all()
    after = {u.id: (u.username, u.display_name, u.bio, list(u.expertise), u.timezone)
             for u in db.session.scalars(select(User))}
    assert after == before


@pytest.mark.parametrize("name, ok", [
    ("petra.vlckova", True), ("judge.liu", True), ("a_b.c_d", True), ("ab", True),
    (".petra", False), ("petra.", False), ("petra..v", False), ("a", False), ("a" * 31, False),
    ("petra vlckova", False), ("petra-vlckova", False), ("petra\n", False),
])
def test_username_rule(name, ok):
    assert bool(services.USERNAME_RE.match(name)) is ok


def test_settings_accept_a_dotted_username(client, db, make):
    member = make.user()
    db.session.commit()
    client.login(member)
    response = client.post("/settings", {"display_name": "Petra", "username": "petra.novak", "bio": "",
                                         "expertise": "", "locale": "en", "timezone": "UTC",
                                         "notify_frequency": "instant"})
    assert response.status_code == 303
    assert db.session.get(User, member.id).username == "petra.novak"


def test_mentions_of_dotted_demo_usernames_resolve(demo):
    names = {u.username for u in demo}
    found = mentioned_usernames("Thanks @petra.vlckova. And @judge.liu, what do you think?")
    assert found == ["petra.vlckova", "judge.liu"] and set(found) <= names
