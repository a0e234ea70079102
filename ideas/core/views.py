"""Site-wide routes: home, health, uploaded files, language switch."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    request,
    send_from_directory,
    url_for,
)
from flask_login import current_user

from ideas.core.db import writing
from ideas.core.providers import Provider
from ideas.core.requestlife import LANG_COOKIE
from ideas.core.uploads import thumbnail_path
from ideas.extensions import csrf, db

bp = Blueprint("core", __name__)

# The home page shows challenges and their results, which core does not know: create_app
# fills this with the challenges module's view.
home_page = Provider("core.home_page", "() -> the response of the site's home page")


@bp.get("/")
def home():
    return home_page()


@bp.get("/healthz")
def health():
    """The cheapest route: what the app's middleware costs, and a liveness probe."""
    return {"status": "ok"}


@bp.get("/uploads/<filename>")
def upload(filename: str):
    if "/" in filename or filename.startswith("."):
        abort(404)
    response = send_from_directory(current_app.config["UPLOAD_FOLDER"], filename, max_age=86400 * 30)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/uploads/thumbs/<filename>")
def thumbnail(filename: str):
    """A stored image's thumbnail (core.uploads.thumbnail_path), made on first request."""
    path = thumbnail_path(filename)
    if path is None:
        abort(404)
    response = send_from_directory(path.parent, path.name, max_age=86400 * 30)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.post("/language")
@csrf.exempt
def set_language():
    """The footer's language switch. Visitors' pages carry no session (and no CSRF
    token), so for them it only sets a cookie; a member's choice is saved on their
    account, which needs the token like any other change."""
    if current_user.is_authenticated:
        csrf.protect()
    code = request.form.get("lang", "")
    if code not in current_app.config["LANGUAGES"]:
        abort(400)
    if current_user.is_authenticated:
        with writing(db.session):
            current_user.locale = code
    target = request.form.get("next") or url_for("core.home")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("core.home")
    response = redirect(target, code=303)
    response.set_cookie(LANG_COOKIE, code, max_age=365 * 86400, samesite="Lax")
    return response


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says; answer with the SVG."""
    return redirect(url_for("static", filename="img/favicon.svg"), code=301)
