"""Icons from Bootstrap Icons' font (installed by tools/fetch_assets.py, never a CDN).

One helper for every template, so an icon is either decorative (hidden from screen
readers, because the text beside it says the same) or carries its own label.
"""

from __future__ import annotations

import re

from markupsafe import Markup

_NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def icon(name: str, label: str | None = None, cls: str = "") -> Markup:
    """`<i class="bi bi-NAME">`: aria-hidden without a label, role="img" with one."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"not an icon name: {name!r}")
    classes = f"bi bi-{name}" + (f" {cls}" if cls else "")
    if label:
        return Markup('<i class="{}" role="img" aria-label="{}" title="{}"></i>').format(classes, label, label)
    return Markup('<i class="{}" aria-hidden="true"></i>').format(classes)
