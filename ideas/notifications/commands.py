"""`flask notifications digest`: the daily (default) or weekly digest, for cron."""

from __future__ import annotations

import click
from flask.cli import AppGroup

notifications_cli = AppGroup("notifications", help="Notification mail.")


@notifications_cli.command("digest")
@click.option("--weekly", "frequency", flag_value="weekly", help="The weekly digest (run once a week).")
@click.option("--daily", "frequency", flag_value="daily", default=True, help="The daily digest (the default).")
def digest_command(frequency: str) -> None:
    """Queue a digest for every member with new notices waiting for it; `flask mail
    send` delivers them."""
    from ideas.extensions import db
    from ideas.notifications.mailing import digest

    report = digest(frequency)
    db.session.commit()
    click.echo(f"{frequency} digest: {report.members} mail(s) queued with {report.notices} notice(s); "
               f"{report.dropped} dropped (no longer visible or wanted).")
