"""`flask votes ...`: keeping the counters honest."""

from __future__ import annotations

import click
from flask.cli import AppGroup

votes_cli = AppGroup("votes", help="Votes and the counters kept from them.")


@votes_cli.command("recount")
@click.option("--challenge", "challenge_id", type=int, default=None, help="Only this challenge.")
def recount_command(challenge_id: int | None) -> None:
    """Recount votes, scores, trends, comments and comparisons from the facts; fix drift."""
    from ideas.extensions import db
    from ideas.submissions.counters import recount

    drifts = recount(challenge_id)
    db.session.commit()
    if not drifts:
        click.echo("no drift")
        return
    for drift in drifts:
        click.echo(str(drift))
    click.echo(f"fixed {len(drifts)} counter(s)")
