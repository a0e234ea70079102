"""`flask users ...`: account administration from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ideas.core.errors import DomainError
from ideas.extensions import db

users_cli = AppGroup("users", help="users commands")


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--password", "-p", default=None, help="Password (asked for, hidden, when not given).")
@click.option("--name", "-n", default=None, help="Display name of a new account.")
def create_admin_command(email: str, password: str | None, name: str | None) -> None:
    """Create a verified site admin, or promote the existing account with EMAIL."""
    from ideas.accounts import services

    existing = services.user_by_email(email)
    if existing is None and not password:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user, created = services.create_admin(email, password=password, display_name=name)
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    db.session.commit()
    verb = "Created" if created else "Promoted"
    click.echo(f"{verb} admin {user.email} (@{user.username}).")
