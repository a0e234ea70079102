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
    response = client.post("/language", {"lang": "cs"}, csrf=False)
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


def test_language_switch_sets_cookie(client):
    response = client.post("/language", {"lang": "cs", "next": "/healthz"})
    assert response.status_code == 303
    assert "lang=cs" in response.headers["Set-Cookie"]
