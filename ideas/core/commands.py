"""`flask mail ...`: deliver the outbox (run from cron or a worker)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

mail_cli = AppGroup("mail", help="mail commands")


@mail_cli.command("send")
@click.option("--limit", default=500, show_default=True, type=click.IntRange(min=1),
              help="At most this many messages.")
def send_command(limit: int) -> None:
    """Send the queued messages that are due; failures stay queued for a retry."""
    from ideas.core.mail import deliver_pending

    sent, failed = deliver_pending(current_app.config, limit=limit)
    click.echo(f"sent: {sent}, failed: {failed}")
