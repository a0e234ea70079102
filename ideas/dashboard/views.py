"""The home page: a member's own home after login, the marketing page for visitors."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from ideas.challenges.views import home as public_home
from ideas.dashboard import services


def home():
    """Served at "/" (core.home's provider, filled in create_app)."""
    if not current_user.is_authenticated:
        return public_home()
    return render_template("dashboard/home.html", **services.home(current_user._get_current_object()))
