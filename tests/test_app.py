from sqlalchemy import text


def test_health_reports_ok_and_counts_queries(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["X-SQL-Queries"] == "0"


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "We could not find that page." in response.get_data(as_text=True)


def test_sqlite_connection_settings(app, db):
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000


def test_post_without_csrf_token_is_refused(client):
    response = client.post("/login", {"email": "a@example.org", "password": "x" * 12}, csrf=False)
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


def test_language_switch_sets_cookie(client):
    # visitors' pages carry no session and no token: the switch only sets a cookie
    response = client.post("/language", {"lang": "cs", "next": "/healthz"}, csrf=False)
    assert response.status_code == 303
    assert "lang=cs" in response.headers["Set-Cookie"]


def test_visitor_pages_start_no_session(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "session=" not in response.headers.get("Set-Cookie", "")
    assert "csrf" not in response.get_data(as_text=True).lower()


def test_members_language_choice_needs_the_token(client, db, make):
    member = make.user()
    db.session.commit()
    client.login(member)
    assert client.post("/language", {"lang": "cs"}, csrf=False).status_code == 400
    db.session.refresh(member)
    assert member.locale != "cs"
    assert client.post("/language", {"lang": "cs"}, form_page="/").status_code == 303
    db.session.refresh(member)
    assert member.locale == "cs"
