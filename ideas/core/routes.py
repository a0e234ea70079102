"""Routes declared in one file and added to a blueprint by an explicit call.

Several files serve one blueprint's URLs (the idea page's votes, comments, moderation
and comparisons all live under `submissions.`): each declares its views on a
`Routes` table with the familiar decorators, and `create_app` adds the table to the
blueprint with `routes.register(bp)`, instead of the file adding them to an imported
blueprint as a side effect of being imported.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint


class Routes:
    """Views, template globals and filters waiting to be added to a blueprint."""

    def __init__(self) -> None:
        self._setup: list[Callable[[Blueprint], None]] = []
        self._registered: set[int] = set()

    def route(self, rule: str, **options):
        def decorator(view):
            endpoint = options.pop("endpoint", None)
            self._setup.append(lambda bp: bp.add_url_rule(rule, endpoint, view, **options))
            return view

        return decorator

    def get(self, rule: str, **options):
        return self.route(rule, methods=["GET"], **options)

    def post(self, rule: str, **options):
        return self.route(rule, methods=["POST"], **options)

    def app_template_global(self, name: str | None = None):
        def decorator(function):
            self.add_app_template_global(function, name)
            return function

        return decorator

    def add_app_template_global(self, function, name: str | None = None) -> None:
        self._setup.append(lambda bp: bp.add_app_template_global(function, name))

    def add_app_template_filter(self, function, name: str | None = None) -> None:
        self._setup.append(lambda bp: bp.add_app_template_filter(function, name))

    def register(self, bp: Blueprint) -> None:
        """Add everything declared here to `bp`, before the app registers it. A blueprint
        is a module-level object that outlives one app (tests build many): it is
        extended once, and every app that registers it gets these routes."""
        if id(bp) in self._registered:
            return
        self._registered.add(id(bp))
        for setup in self._setup:
            setup(bp)
