"""Journeys in a real browser: Playwright for Python driving Debian's Chromium against
the app served by gunicorn on loopback, its mail going to a real SMTP server on loopback.

Every test in tests/browser/ is marked `browser` (deselect with `-m "not browser"`).
Without Playwright or Chromium they are all skipped with one message saying which is
missing (`make test` installs Chromium with apt where it can).

Fixtures (session-wide unless said otherwise):

- `live` -- the served app, started once per session: a fresh instance folder under
  pytest's tmp (SQLite database, uploads, search index), `flask db upgrade`,
  `flask demo load`, `flask search sync`, then `gunicorn -w 2 -k sync --preload` on a
  free 127.0.0.1 port (rate limits and login throttling off: every test logs in).
  `live.url` is the base URL, `live.url_for("/path")` joins a path to it.
  `live.app` is a Flask app *in the test process* on the same database (not serving;
  for looking demo content up: `with live.app.app_context(): ...`).
  `live.log` is the path of gunicorn's log (shown when a test fails).
  `live.scalar(select(...))` reads one value from the database;
  `live.challenge_path("A dishwasher", "/moderation")` and `live.idea_path(title)` give
  the paths of demo content by title.
  `live.gettext("Log in", "cs")` is an interface text as the served app shows it in a
  locale (for accounts whose own language is not English; catalogs may be incomplete).
- `mailbox` -- the SMTP server (aiosmtpd on 127.0.0.1) the served app sends to.
  Mail is queued in the outbox and sent by `flask mail send` in production (cron);
  `mailbox.deliver()` runs that delivery now; `mailbox.wait_for(address)` delivers
  and returns the newest message (an `email.message.EmailMessage`, parsed with
  `email.policy.default`) to that address, failing after a timeout;
  `mailbox.links(message)` lists the http(s) links in its plain-text body.
- `browser` -- one Chromium for the session (/usr/lib/chromium/chromium, or
  $CHROMIUM_PATH), launched by executable path; Playwright never downloads a browser.
- `context` (per test) -- a fresh browser context (own cookies, 1280x900, English
  Accept-Language, base_url = live.url, so `page.goto("/challenges/")` works).
- `page` (per test) -- a page in `context`. `new_page()` (per test) opens another
  page in a context of its own (a second person in the same test); pages opened this
  way are photographed on failure too.
- Helpers (plain functions, import them: `from tests.browser.conftest import login, phone`):
  `login(page, "emma.clarke")` logs in as a demo account (a username gives
  `<username>@demo.example`, password `demo-password-2026`) through the login form
  and waits until the page shows the member's menu; `logout(page)`;
  `phone(page)` switches the viewport to phone width (390x844), `desktop(page)` back;
  `demo_email(username)`; `DEMO_PASSWORD`.

On a failing test every page the test opened is saved as a screenshot (full page) and
its HTML under $BROWSER_ARTIFACTS (default tests/browser/artifacts/, git-ignored), and
the paths are printed in the failure's report with the tail of gunicorn's log.

The demo database is shared by the whole session: a journey that changes it (a vote,
a new idea) uses content no other journey relies on, or creates its own.
"""

from __future__ import annotations

import email
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from email.policy import default as default_policy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/lib/chromium/chromium")
ARTIFACTS = Path(os.environ.get("BROWSER_ARTIFACTS", ROOT / "tests" / "browser" / "artifacts"))
DEMO_PASSWORD = "demo-password-2026"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
BIN = Path(sys.executable).parent


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser tests skipped: Playwright is not installed (pip install -r requirements-dev.txt)"
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        return "browser tests skipped: aiosmtpd is not installed (pip install -r requirements-dev.txt)"
    if not Path(CHROMIUM).exists():
        return (f"browser tests skipped: Chromium is not at {CHROMIUM} "
                "(apt-get install chromium, or set CHROMIUM_PATH)")
    if shutil.which("gunicorn", path=str(BIN)) is None:
        return f"browser tests skipped: gunicorn is not in {BIN}"
    return None


MISSING = _missing()
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(reason=MISSING) if MISSING else None
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if skip:
                item.add_marker(skip)


# --- the served app --------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_email(username: str) -> str:
    return username if "@" in username else f"{username}@demo.example"


class Inbox:
    """aiosmtpd handler: keeps every envelope it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


class Mailbox:
    def __init__(self, inbox: Inbox, live: Live):
        self._inbox = inbox
        self._live = live

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(e.original_content, policy=default_policy)
                for e in list(self._inbox.envelopes)]

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m, e in zip(self.messages, list(self._inbox.envelopes), strict=True)
                if address in e.rcpt_tos]

    def deliver(self):
        """Send what the outbox holds now, as the `flask mail send` cron job does."""
        from ideas.core.mail import deliver_pending
        from ideas.extensions import db

        with self._live.app.app_context():
            try:
                return deliver_pending(self._live.app.config)
            finally:
                db.session.remove()

    def wait_for(self, address: str, *, subject_contains: str | None = None, timeout: float = 15.0):
        """The newest message to `address` (optionally whose subject contains a text)."""
        deadline = time.monotonic() + timeout
        while True:
            self.deliver()
            found = [m for m in self.to(address)
                     if subject_contains is None or subject_contains in str(m["Subject"])]
            if found:
                return found[-1]
            if time.monotonic() > deadline:
                raise AssertionError(f"no mail to {address} within {timeout} s; received: "
                                     f"{[(m['To'], m['Subject']) for m in self.messages]}")
            time.sleep(0.2)

    @staticmethod
    def links(message) -> list[str]:
        body = message.get_body(("plain",)).get_content()
        return re.findall(r"https?://[^\s<>\"')]+", body)


class Live:
    """The app served by gunicorn, with its SMTP server (see the module docstring)."""

    def __init__(self, url: str, app, log: Path, smtp_port: int):
        self.url = url
        self.app = app
        self.log = log
        self.smtp_port = smtp_port

    def url_for(self, path: str) -> str:
        return self.url + path

    def scalar(self, statement):
        """One value from the served app's database (`select(...)`), read in this process."""
        from ideas.extensions import db

        with self.app.app_context():
            try:
                return db.session.scalar(statement)
            finally:
                db.session.remove()

    def challenge_path(self, title_start: str, suffix: str = "") -> str:
        """The path of the challenge whose title starts so (`suffix`: "/ideas", "/moderation", ...)."""
        from sqlalchemy import select

        from ideas.challenges.models import Challenge
        from ideas.extensions import db

        with self.app.app_context():
            try:
                found = db.session.scalar(select(Challenge).where(Challenge.title.startswith(title_start)))
                assert found is not None, f"no challenge titled {title_start!r}..."
                return f"/challenges/{found.id}-{found.slug}{suffix}"
            finally:
                db.session.remove()

    def idea_path(self, title: str) -> str:
        """The path of the idea with this title."""
        from sqlalchemy import select

        from ideas.extensions import db
        from ideas.submissions.models import Idea

        with self.app.app_context():
            try:
                found = db.session.scalar(select(Idea).where(Idea.title == title))
                assert found is not None, f"no idea titled {title!r}"
                return f"/ideas/{found.id}-{found.slug}"
            finally:
                db.session.remove()

    def gettext(self, msgid: str, locale: str = "en", **variables) -> str:
        """The interface text `msgid` as the served app shows it in `locale` (its catalog's
        translation when there is one, else the English source)."""
        from flask_babel import force_locale, gettext

        with self.app.test_request_context(), force_locale(locale):
            return gettext(msgid, **variables)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


# `flask db upgrade`, `flask demo load`, `flask search sync`: the real commands, in one
# process (each `flask` process would spend seconds importing the app again).
_PREPARE = """
from ideas import create_app
runner = create_app().test_cli_runner()
for args in (["db", "upgrade"], ["demo", "load"], ["search", "sync"]):
    result = runner.invoke(args=args)
    if result.exit_code != 0:
        raise SystemExit(f"flask {' '.join(args)} failed: {result.output}{result.exception!r}")
"""


def _run(args: list[str], env: dict, what: str) -> None:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")


@pytest.fixture(scope="session")
def _smtp():
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


@pytest.fixture(scope="session")
def live(tmp_path_factory, _smtp):
    controller, _inbox = _smtp
    base = tmp_path_factory.mktemp("browser")
    instance = base / "instance"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "TEST_DATABASE_URL", "SEARCH_BACKEND")}
    env.update({
        "INSTANCE_PATH": str(instance),
        "FLASK_APP": "wsgi.py",
        "SECRET_KEY": "browser-tests-secret",
        "PUBLIC_URL": url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(controller.port),
        "MAIL_DEFAULT_SENDER": "Ideas Commons <noreply@ideas.test>",
        "RATELIMIT_ENABLED": "0",
        "LOGIN_THROTTLE_ENABLED": "0",
        "PYTHONUNBUFFERED": "1",
    })
    _run([sys.executable, "-c", _PREPARE], env, "preparing the demo database")

    log = base / "gunicorn.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "-w", "2", "-k", "sync", "--preload", "--timeout", "60",
             "--no-control-socket",  # gunicorn 27 would share ~/.gunicorn/gunicorn.ctl with any other
             "-b", f"127.0.0.1:{port}", "--error-logfile", "-", "wsgi:app"],
            env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(url, server, log)
        app = _local_app(env)
        yield Live(url, app, log, controller.port)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_until_up(url: str, server: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.returncode}):\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{log.read_text(errors='replace')[-3000:]}")


def _local_app(env: dict):
    """A Flask app in this process on the served app's database and settings."""
    from ideas import create_app

    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        return create_app({"SEARCH_APPLY_AFTER_REQUEST": False})
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def mailbox(live, _smtp):
    return Mailbox(_smtp[1], live)


# --- the browser -----------------------------------------------------------------------

@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(_playwright):
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM,
        # no look-ups of outside hosts (they would only fail); loopback stays reachable
        args=["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"],
    )
    yield browser
    browser.close()


@pytest.fixture
def _opened(request):
    """Pages the test opened, for the failure hook."""
    pages: list = []
    request.node.stash[_PAGES] = pages
    return pages


_PAGES = pytest.StashKey[list]()


def _new_context(browser, live):
    context = browser.new_context(base_url=live.url, viewport=DESKTOP, locale="en-GB",
                                  extra_http_headers={"Accept-Language": "en"})
    context.set_default_timeout(15_000)
    context.set_default_navigation_timeout(30_000)
    return context


@pytest.fixture
def context(browser, live, _opened):
    context = _new_context(browser, live)
    yield context
    context.close()


@pytest.fixture
def page(context, _opened):
    page = context.new_page()
    _opened.append(page)
    return page


@pytest.fixture
def new_page(browser, live, _opened):
    """Opens a page in a context of its own (another person)."""
    contexts = []

    def make():
        context = _new_context(browser, live)
        contexts.append(context)
        page = context.new_page()
        _opened.append(page)
        return page

    yield make
    for context in contexts:
        context.close()


# --- helpers ---------------------------------------------------------------------------

def login(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the form; returns on the page the login led to."""
    page.goto("/login")
    page.locator("#email").fill(demo_email(username))
    page.locator("#password").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("nav form[action='/logout']").count() == 1, \
        f"not logged in as {username}: {page.url}"


def logout(page) -> None:
    page.goto("/")
    page.evaluate("document.querySelector(\"nav form[action='/logout']\").submit()")
    page.wait_for_load_state()


def phone(page) -> None:
    page.set_viewport_size(PHONE)


def desktop(page) -> None:
    page.set_viewport_size(DESKTOP)


# --- artifacts of a failing test ---------------------------------------------------------

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when not in ("call", "setup") or not report.failed:
        return
    pages = item.stash.get(_PAGES, [])
    if not pages:
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid.split("::", 1)[-1])[:120]
    lines = []
    for n, page in enumerate(pages):
        name = f"{stem}-{n}" if len(pages) > 1 else stem
        png, html = ARTIFACTS / f"{name}.png", ARTIFACTS / f"{name}.html"
        try:
            if page.is_closed():
                continue
            page.screenshot(path=str(png), full_page=True, timeout=10_000)
            html.write_text(page.content(), encoding="utf-8")
            lines.append(f"{page.url}\n  screenshot: {png}\n  html:       {html}")
        except Exception as exc:  # noqa: BLE001  (the test's own failure matters more)
            lines.append(f"{page.url}: could not save ({exc.__class__.__name__}: {exc})")
    live = item.funcargs.get("live")
    if live is not None:
        lines.append(f"gunicorn log ({live.log}), last lines:\n{live.log_tail()}")
    text = "\n".join(lines)
    report.sections.append(("browser artifacts", text))
    print(f"\nbrowser artifacts of {item.nodeid}:\n{text}", file=sys.stderr)
