"""Security headers on every page, no inline script in any rendered page, HSTS only over
HTTPS, no redirect to HTTPS, and the cookies' flags."""

from __future__ import annotations

import re

import pytest

from ideas import create_app


def _csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in policy.split(";") if part.strip()}


@pytest.fixture
def pages(db, make):
    staff = make.user()
    company = make.company(owner=staff)
    challenge = make.challenge(company)
    idea = make.idea(challenge, title="Steam cycle")
    member = make.user()
    db.session.commit()
    return {"idea": idea, "challenge": challenge, "member": member, "staff": staff}


def test_headers_on_a_page(client, pages):
    response = client.get("/")
    assert response.status_code == 200
    csp = _csp(response)
    assert csp["script-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp["default-src"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_headers_on_errors_and_static_files(client, pages):
    for url in ("/no-such-page", "/static/css/app.css", "/ideas/99999999999999999999"):
        response = client.get(url)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], url
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_no_hsts_and_no_redirect_over_http(client, pages):
    response = client.get("/")
    assert response.status_code == 200  # not a redirect to https
    assert "Strict-Transport-Security" not in response.headers
    response = client.get("/login")
    assert response.status_code == 200


def test_hsts_over_https(client, pages):
    response = client.get("/", base_url="https://ideas.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_hsts_behind_a_trusted_proxy(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "TRUSTED_PROXIES": 1,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite3'}"})
    response = app.test_client().get("/healthz", headers={"X-Forwarded-Proto": "https",
                                                          "X-Forwarded-For": "203.0.113.9"})
    assert "Strict-Transport-Security" in response.headers


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def _pages_to_check(pages):
    idea, challenge = pages["idea"], pages["challenge"]
    return ["/", "/challenges/", f"/challenges/{challenge.id}-{challenge.slug}",
            f"/challenges/{challenge.id}-{challenge.slug}/ideas",
            f"/challenges/{challenge.id}-{challenge.slug}/compare",
            f"/ideas/{idea.id}-{idea.slug}", "/login", "/register", "/reset", "/companies/"]


@pytest.mark.parametrize("who", ["visitor", "member", "staff"])
def test_no_inline_script_or_event_handler_in_pages(client, pages, who):
    if who != "visitor":
        client.login(pages[who])
    urls = _pages_to_check(pages) + ([] if who == "visitor" else ["/settings", "/notifications/"])
    for url in urls:
        response = client.get(url, follow_redirects=True)  # members are sent on from /login
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert not INLINE_SCRIPT.search(html), f"inline <script> on {url}"
        assert not INLINE_HANDLER.search(html), f"inline event handler on {url}"
        assert 'name="htmx-config"' in html and '"includeIndicatorStyles":false' in html


def test_comment_error_script_is_a_file(client, pages):
    idea = pages["idea"]
    html = client.get(f"/ideas/{idea.id}-{idea.slug}").get_data(as_text=True)
    assert 'src="/static/js/comments.js"' in html
    script = client.get("/static/js/comments.js")
    assert script.status_code == 200 and b"htmx:beforeSwap" in script.data
    # the live-region announcements and the focus kept across swaps are in the file, too
    app_js = client.get("/static/js/app.js").data
    assert b'"announce"' in app_js and b"htmx:afterSettle" in app_js


def test_remember_cookie_is_lax_and_httponly(client, pages):
    member = pages["member"]
    response = client.post("/login", {"email": member.email, "password": "correct horse battery",
                                      "remember": "y"})
    assert response.status_code == 303
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]
    assert cookies, response.headers.getlist("Set-Cookie")
    flags = cookies[0].lower()
    assert "samesite=lax" in flags and "httponly" in flags
    assert "secure" not in flags  # plain http in development; SESSION_COOKIE_SECURE=1 behind HTTPS
    session_cookie = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")][0].lower()
    assert "samesite=lax" in session_cookie and "httponly" in session_cookie and "secure" not in session_cookie
