"""Routes on the submissions blueprint."""

from ideas.submissions.views import bp  # noqa: F401
