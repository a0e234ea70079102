"""The request pipeline's shared steps, used by every module's views:

- `load_or_404`: load a thing by id, or answer 404 when it does not exist or the
  user may not know it exists (the module's policy decides).
- `show_error`: put a domain error on the form field it names (sub-forms' fields by
  their full names), or on the form.
- `error_status`: the status code of a domain error re-rendered with its form
  (422 for invalid input, the error's own code otherwise).

Domain errors that escape a view are answered by the one handler in
`core/errorpages.py` (404 page, or a flash and back for a refused POST); a view
catches a DomainError only to re-render its form with the message on a field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from flask import abort, flash
from flask_login import current_user
from sqlalchemy import select
from wtforms import FieldList, FormField

from ideas.core.edge import MAX_ID
from ideas.core.errors import DomainError, Invalid
from ideas.extensions import db

T = TypeVar("T")


def load_or_404(model: type[T], ident, can_view: Callable[[object, T], bool] | None = None,
                options: Iterable = ()) -> T:
    """The `model` row with primary key `ident` when `can_view(current_user, row)`
    allows it (or no policy is given); otherwise abort with 404."""
    try:
        ident = int(ident)
    except (TypeError, ValueError):
        abort(404)
    if not 1 <= ident <= MAX_ID:
        abort(404)
    options = tuple(options)
    if options:
        row = db.session.scalar(select(model).where(model.id == ident).options(*options))
    else:
        row = db.session.get(model, ident)
    if row is None or (can_view is not None and not can_view(current_user, row)):
        abort(404)
    return row


def show_error(form, exc: DomainError, *, flash_otherwise: bool = False) -> None:
    """Show a domain error on the field it names; else at the top of the form, or as a
    flash message for pages whose forms show no form-wide errors (`flash_otherwise`)."""
    found = _field_path(form, exc.field) if exc.field else None
    if found is not None:
        target, containers = found
        if not isinstance(target.errors, list):
            target.errors = list(target.errors)
        target.errors.append(exc.message)
        _refresh_errors(form, containers)
    elif flash_otherwise:
        flash(exc.message, "danger")
    else:
        form.form_errors.append(exc.message)


def _field_path(form, name: str):
    """The form's field called `name`, an attribute of the form or a sub-form's field by
    its full name (`images-2-alt`, an image slot's alt text), with the FieldLists and
    FormFields around it (outermost first); None when there is none."""
    target = getattr(form, name, None)
    if target is not None and hasattr(target, "errors"):
        return target, []
    for field in form:  # a form, a FieldList (its entries) or a FormField (its fields)
        if field.name == name:
            return field, []
        if isinstance(field, FieldList | FormField):
            found = _field_path(field, name)
            if found is not None:
                return found[0], [field, *found[1]]
    return None


def _refresh_errors(form, containers) -> None:
    """WTForms caches `form.errors` and builds a FieldList's errors while validating: an
    error put on a nested field afterwards must show in both, so that the page says
    "correct the fields marked below"."""
    for field in reversed(containers):
        if isinstance(field, FormField):
            field.form._errors = None
        else:
            field.errors = [entry.errors for entry in field.entries]
    form._errors = None


def error_status(exc: DomainError) -> int:
    return 422 if isinstance(exc, Invalid) else exc.status_code
