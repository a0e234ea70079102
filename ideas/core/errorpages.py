"""Friendly error pages, and the one place domain errors become responses."""

from __future__ import annotations

from flask import Flask, current_app, flash, jsonify, redirect, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ideas.core.errors import DomainError, NotAllowed, NotFound
from ideas.extensions import db

KNOWN_STATUSES = {400, 403, 404, 405, 413, 422, 429, 500}


def wants_json() -> bool:
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json"
    )


def render_error(status: int, message: str | None = None):
    if wants_json():
        return jsonify(error=message or "", status=status), status
    return render_template("errors/error.html", status=status, message=message), status


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain_error(exc: DomainError):
        """A domain error escaping a view: the error page for what the user may not know
        exists (404) or may not do (403); for any other refusal of a form, a flash and back."""

        db.session.rollback()
        if isinstance(exc, (NotFound, NotAllowed)) or wants_json() or request.method in ("GET", "HEAD"):
            if request.headers.get("HX-Request") and not isinstance(exc, NotFound):
                return render_template("errors/_inline.html", message=exc.message), exc.status_code
            return render_error(exc.status_code, exc.message)
        if request.headers.get("HX-Request"):
            return render_template("errors/_inline.html", message=exc.message), exc.status_code
        flash(exc.message, "danger")
        return redirect(request.referrer or "/", code=303)

    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError):
        return render_error(400, _("The form expired or was sent from elsewhere (missing or wrong CSRF token). Reload the page and try again."))

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        status = exc.code or 500
        messages = {
            404: _("We could not find that page."),
            403: _("You are not allowed to do that."),
            413: _("The upload is too large: altogether at most %(total)d MB, each image at most %(each)d MB. "
                   "Go back: your browser keeps what you typed in the form.",
                   total=current_app.config["MAX_CONTENT_LENGTH"] // 1048576,
                   each=current_app.config["UPLOAD_MAX_BYTES"] // 1048576),
            429: _("Too many attempts. Please wait a moment and try again."),
            405: _("That action is not available here."),
        }
        # A description given where the error was raised (abort(403, description=...)) says why.
        custom = exc.description if exc.description != type(exc).description else None
        if request.headers.get("HX-Request") and not wants_json():
            # htmx shows this beside the page (static/js/app.js), not as a whole page
            return render_template("errors/_inline.html", message=custom or messages.get(status, exc.description)), status
        return render_error(status if status in KNOWN_STATUSES else 400,
                            custom or messages.get(status, exc.description))

    @app.errorhandler(500)
    def _server_error(exc):

        db.session.rollback()
        return render_error(500, _("Something went wrong on our side. It has been logged."))
