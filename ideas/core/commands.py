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
    """Send the queued messages that are due; failures stay queued for a retry.
    Without MAIL_SERVER each message is printed here and kept locally (/admin/mailbox)."""
    from ideas.core.mail import deliver_pending

    result = deliver_pending(current_app.config, limit=limit, echo=click.echo)
    if current_app.config.get("MAIL_SERVER"):
        click.echo(f"sent: {result.sent}, failed: {result.failed}")
    else:
        click.echo(f"kept locally: {result.kept} (no MAIL_SERVER set: not sent; "
                   "read them above or at /admin/mailbox)")
