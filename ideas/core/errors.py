"""Domain errors, raised by services and mapped to responses in one place."""

from __future__ import annotations


class DomainError(Exception):
    """Base of the errors a service raises; `message` is translated, user-facing text."""

    status_code = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The thing does not exist, or the user may not know it exists (404)."""

    status_code = 404


class NotAllowed(DomainError):
    """The user may see the thing but not do this to it (403)."""

    status_code = 403


class Invalid(DomainError):
    """The input is invalid; `field` names the offending field when there is one (422)."""

    status_code = 422


class InvalidTransition(DomainError):
    """A move the phase or status table does not allow (409)."""

    status_code = 409


class Conflict(DomainError):
    """The request conflicts with the current state, e.g. a duplicate (409)."""

    status_code = 409
