"""Challenges: the problems companies bring, their phases, terms and invitations."""
import click
from flask.cli import AppGroup

challenges_cli = AppGroup("challenges", help="challenges commands")


@challenges_cli.command("advance-due")
def advance_due_command():
    """Move challenges whose current phase has reached its planned end (for cron)."""
    from ideas.challenges.services import advance_due
    from ideas.extensions import db

    moved = advance_due()
    db.session.commit()
    for challenge, from_phase, to_phase in moved:
        click.echo(f"challenge {challenge.id} ({challenge.title}): {from_phase} -> {to_phase}")
    click.echo(f"{len(moved)} challenge(s) moved")
