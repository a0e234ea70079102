"""The focus groups' world serves the prototypes' tests too."""

from tests.focus_groups.conftest import now, world  # noqa: F401
