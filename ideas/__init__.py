"""The co-creation platform. `create_app()` wires extensions, blueprints, CLI and errors."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the app; `config` overrides settings read from the environment (tests)."""
    instance_path = Path(os.environ.get("INSTANCE_PATH", ROOT / "instance"))
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    instance_path.mkdir(parents=True, exist_ok=True)

    from ideas.config import load_config

    app.config.update(load_config(instance_path))
    if config:
        app.config.update(config)

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_providers(app)
    register_commands(app)
    register_event_handlers(app)
    return app


def register_extensions(app: Flask) -> None:
    import ideas.models  # noqa: F401  (complete metadata before anything touches it)
    from ideas.core import edge, mail, requestlife, security
    from ideas.core.db import configure_sqlite
    from ideas.extensions import (
        babel,
        bootstrap,
        cache,
        csrf,
        db,
        fragment_cache,
        limiter,
        login_manager,
        migrate,
    )

    edge.init_app(app)  # before any route: the bounded <int:> converter
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    security.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    cache.init_app(app)
    from ideas.core.fragments import FRAGMENT_CACHE_CONFIG

    fragment_cache.init_app(app, config={**FRAGMENT_CACHE_CONFIG, "CACHE_THRESHOLD": app.config["FRAGMENT_CACHE_SIZE"]})
    bootstrap.init_app(app)
    babel.init_app(app, locale_selector=requestlife.select_locale, timezone_selector=requestlife.select_timezone)

    from ideas.accounts.models import User

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"
    from flask_babel import lazy_gettext

    login_manager.login_message = lazy_gettext("Please log in to continue.")

    from ideas.accounts.models import session_stamp

    @login_manager.user_loader
    def _load_user(identity: str):
        user_id, _, stamp = identity.partition(".")
        if not user_id.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        if user is None or session_stamp(user.password_changed_at) != stamp:
            return None  # the password changed since this session began
        return user

    requestlife.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Every route, added here: the blueprints and the parts of the submissions
    blueprint kept in their own files."""
    from ideas.accounts.views import bp as accounts_bp
    from ideas.admin.views import bp as admin_bp
    from ideas.challenges.views import bp as challenges_bp
    from ideas.companies.views import bp as companies_bp
    from ideas.core.views import bp as core_bp
    from ideas.focus_groups import inside_views as focus_group_inside
    from ideas.focus_groups.views import bp as focus_groups_bp
    from ideas.judging.views import bp as judging_bp
    from ideas.notifications.follow_views import bp as community_bp
    from ideas.notifications.views import bp as notifications_bp
    from ideas.prototypes.views import bp as prototypes_bp
    from ideas.reputation.views import bp as reputation_bp
    from ideas.search.views import bp as search_bp
    from ideas.submissions import comment_views, moderation_views, pairwise_views, vote_views
    from ideas.submissions.views import bp as submissions_bp

    for part in (comment_views, moderation_views, pairwise_views, vote_views):
        part.bp.register(submissions_bp)
    focus_group_inside.bp.register(focus_groups_bp)
    for bp in (core_bp, accounts_bp, companies_bp, admin_bp, challenges_bp, submissions_bp,
               notifications_bp, judging_bp, focus_groups_bp, prototypes_bp, community_bp, reputation_bp,
               search_bp):
        app.register_blueprint(bp)


def register_errorhandlers(app: Flask) -> None:
    from ideas.core.errorpages import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    """Core's filters and globals, and the navigation's role lookups from their modules."""
    from ideas.companies.services import staff_companies
    from ideas.core.templating import add_nav_role, register
    from ideas.focus_groups.services import nav_entry as focus_groups_nav
    from ideas.judging.services import nav_entry as judging_nav
    from ideas.notifications.services import unread_count

    register(app)
    add_nav_role(app, "companies", staff_companies)
    add_nav_role(app, "unread", unread_count)
    add_nav_role(app, "judging", judging_nav)
    add_nav_role(app, "focus_groups", focus_groups_nav)


def register_providers(app: Flask) -> None:
    """Fill the providers through which a lower module's pages show a higher module's
    data (see ideas/core/providers.py): imports run one way, and only this composition
    root knows both ends."""
    from ideas.accounts.views import member_ideas
    from ideas.challenges import services as challenge_services
    from ideas.challenges.views import challenge_participation, challenge_results, challenge_winners
    from ideas.companies.views import company_challenges, open_challenge_counts
    from ideas.core.views import home_page
    from ideas.dashboard.views import home as dashboard_home
    from ideas.judging import services as judging_services
    from ideas.submissions import activity, showcase
    from ideas.submissions.views import idea_journey, idea_judging

    home_page.provide(app, dashboard_home)

    company_challenges.provide(app, challenge_services.company_challenges)
    open_challenge_counts.provide(app, challenge_services.open_challenge_counts)
    challenge_results.provide(app, showcase.challenge_results)
    challenge_winners.provide(app, showcase.winners_by_challenge)
    challenge_participation.provide(app, activity.participation)
    member_ideas.provide(app, showcase.member_ideas)
    idea_judging.provide(app, judging_services.idea_state)
    from ideas.challenges.views import result_paths
    from ideas.prototypes import journey

    idea_journey.provide(app, journey.idea_panel)
    from ideas.focus_groups import candidates

    # The category's experts (reputation), suggested first for focus groups; where the
    # category has none yet, the members with shortlisted ideas there.
    from ideas.reputation.experts import experts_in_category

    candidates.experts_in_category.provide(
        app, lambda category, limit: experts_in_category(category, limit)
        or candidates.shortlisted_in_category(category, limit))
    result_paths.provide(app, journey.journeys)

    from ideas.accounts.views import member_reputation
    from ideas.core.names import member_badges
    from ideas.reputation import experts
    from ideas.reputation import services as reputation
    from ideas.submissions.views import idea_community

    member_badges.provide(app, experts.member_badges)
    member_reputation.provide(app, reputation.standing)
    idea_community.provide(app, reputation.idea_community)


def register_commands(app: Flask) -> None:
    from ideas.accounts.commands import users_cli
    from ideas.challenges.commands import challenges_cli
    from ideas.core.commands import mail_cli
    from ideas.demo.commands import demo_cli
    from ideas.notifications.commands import notifications_cli
    from ideas.reputation.commands import reputation_cli
    from ideas.search.commands import search_cli
    from ideas.submissions.commands import votes_cli

    for group in (users_cli, mail_cli, demo_cli, challenges_cli, votes_cli, reputation_cli,
                  notifications_cli, search_cli):
        app.cli.add_command(group)


def register_event_handlers(app: Flask) -> None:
    """Connect the modules that listen to domain events (explicitly, not on import)."""
    from ideas.extensions import db
    from ideas.judging.services import connect as connect_judging
    from ideas.notifications import feed, follows
    from ideas.notifications.community_handlers import connect as connect_community
    from ideas.notifications.handlers import connect as connect_notifications
    from ideas.notifications.judging import connect as connect_judging_notices
    from ideas.reputation.experts import forget_changed_experts
    from ideas.reputation.handlers import connect as connect_reputation
    from ideas.submissions.closing import connect as connect_closing
    from ideas.submissions.pairwise import forget_changed_rankings

    connect_closing()
    connect_judging()
    connect_notifications()
    from ideas.notifications.handlers import connect_focus_groups

    connect_focus_groups()
    connect_judging_notices()
    connect_community()
    follows.connect()
    feed.connect()
    connect_reputation()
    forget_changed_rankings(db.session)
    forget_changed_experts(db.session)
    init_search(app, db.session)


def init_search(app: Flask, session) -> None:
    """Search follows the database: queue rows in each change's transaction, applied
    after the response; jieba's dictionary cached in instance/."""
    from ideas.search import analyzer, tracking, vectors
    from ideas.search import views as search_views

    tracking.connect(session)
    search_views.init_app(app)
    vectors.configure(app.config.get("SEARCH_EMBEDDINGS", True))
    # jieba's dictionary (~1 s) loads at start (with gunicorn --preload, once for all
    # workers), not on the first Chinese text; tests load it on first use
    analyzer.configure_jieba(app.instance_path, load_now=not app.testing)
