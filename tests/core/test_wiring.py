"""The wiring that lets imports run one way: providers filled by create_app, routes
added to a blueprint by an explicit call, the navigation's role lookups registered by
their modules, and paths built by endpoint name outside a request."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from flask import Blueprint, Flask, url_for

import ideas
from ideas.core.links import path_to
from ideas.core.providers import Provider
from ideas.core.routes import Routes
from ideas.notifications.services import notify


def _declared_providers() -> dict[str, Provider]:
    found = {}
    for info in pkgutil.walk_packages(ideas.__path__, "ideas."):
        for value in vars(importlib.import_module(info.name)).values():
            if isinstance(value, Provider):
                found[value.name] = value
    return found


def test_create_app_fills_every_declared_provider(app):
    declared = _declared_providers()
    assert {"core.home_page", "accounts.member_ideas", "companies.challenges", "companies.open_challenge_counts",
            "challenges.results", "challenges.winners"} <= set(declared)
    assert [name for name, provider in declared.items() if not provider.is_filled(app)] == []


def test_an_unfilled_provider_names_itself(app):
    with pytest.raises(LookupError, match="nobody.fills.this"):
        Provider("nobody.fills.this")()


def test_routes_join_a_blueprint_once_and_serve_every_app():
    routes = Routes()

    @routes.get("/ping", endpoint="ping")
    def ping():
        return "pong"

    @routes.app_template_global("twice")
    def twice(x):
        return 2 * x

    bp = Blueprint("part", __name__)
    for _ in range(2):  # tests and workers build several apps from one module-level blueprint
        routes.register(bp)
        app = Flask(__name__)
        app.register_blueprint(bp)
        assert [r.rule for r in app.url_map.iter_rules() if r.endpoint == "part.ping"] == ["/ping"]
        assert app.test_client().get("/ping").get_data(as_text=True) == "pong"
        assert app.jinja_env.globals["twice"](2) == 4


def test_the_submissions_parts_keep_their_endpoints(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {"submissions.comment_create", "submissions.moderation_shortlist", "submissions.compare",
            "submissions.vote", "submissions.show", "core.home"} <= endpoints
    assert "mentions" in app.jinja_env.filters and "comment_public" in app.jinja_env.globals


def test_path_to_outside_a_request_is_what_url_for_gives_inside(app):
    outside = path_to("submissions.show", idea_id=7, slug="drum")
    with app.test_request_context():
        assert path_to("submissions.show", idea_id=7, slug="drum") == outside
        assert url_for("submissions.show", idea_id=7, slug="drum") == outside == "/ideas/7-drum"


def test_navigation_shows_the_members_staff_companies_and_unread_count(client, db, make):
    boss, member = make.user(), make.user()
    make.company(owner=boss, name="Acme Rockets", slug="acme-rockets")
    make.company(name="Other Works", slug="other-works")
    for text in ("one", "two"):
        notify(boss, "test", text)
    db.session.commit()
    client.login(boss)
    html = client.get("/challenges/").get_data(as_text=True)
    assert 'href="/companies/acme-rockets"' in html and 'href="/companies/other-works"' not in html
    assert '<span class="badge rounded-pill text-bg-danger ms-1">2</span>' in html
    client.logout()
    client.login(member)
    html = client.get("/challenges/").get_data(as_text=True)
    assert 'href="/companies/acme-rockets"' not in html and "text-bg-danger" not in html
