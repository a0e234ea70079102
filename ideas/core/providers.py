"""Providers: how a lower module shows what a higher module knows, without importing it.

Imports run one way (core <- accounts <- companies <- challenges <- submissions <- ...).
When a page of a lower module shows data owned by a higher one (the challenge page
lists its shortlist, a member's profile lists their ideas), the lower module declares
a `Provider` and calls it; `create_app`, which may import everything, fills it with
the higher module's function. The filling lives on the app, so each app is wired by
its own `create_app` call and nothing is registered as a side effect of an import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

_KEY = "ideas.providers"


class Provider:
    """A named slot for a function that a higher module provides at app creation."""

    def __init__(self, name: str, doc: str = ""):
        self.name = name
        self.__doc__ = doc or name

    def provide(self, app: Flask, function: Callable[..., Any]) -> None:
        """Fill the slot for this app (called by create_app)."""
        app.extensions.setdefault(_KEY, {})[self.name] = function

    def is_filled(self, app: Flask) -> bool:
        return self.name in app.extensions.get(_KEY, {})

    def __call__(self, *args, **kwargs):
        function = current_app.extensions.get(_KEY, {}).get(self.name)
        if function is None:
            raise LookupError(f"Nothing provides {self.name!r}: fill it in create_app.")
        return function(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<Provider {self.name}>"
