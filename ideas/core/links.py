"""Paths to routes, built by name wherever the code runs.

Notifications store the link of what they are about, and they are written during a
request as well as by commands (the scheduler, the demo loader). `url_for` needs a
request, or a configured SERVER_NAME, to build a URL; a stored link only needs the
path, which the app's URL map builds without either.
"""

from __future__ import annotations

from flask import current_app, has_request_context, url_for


def path_to(endpoint: str, **values) -> str:
    """The path of `endpoint` with these values (as `url_for` would give it in a request)."""
    if has_request_context():
        return url_for(endpoint, **values)
    adapter = current_app.url_map.bind("localhost", script_name=current_app.config["APPLICATION_ROOT"])
    return adapter.build(endpoint, values)
