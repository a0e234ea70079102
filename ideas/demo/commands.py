"""Demo content for `make run`: a living community in four languages."""
import unicodedata

import click
from flask.cli import AppGroup

from ideas.extensions import db

demo_cli = AppGroup("demo", help="demo commands")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when any user exists.")
def load(if_empty: bool) -> None:
    """Load the demo community (companies, challenges, ideas, votes, comments)."""
    from ideas.demo.loader import demo_loaded, has_users, load_demo

    if if_empty and has_users():
        click.echo("Demo content not loaded: the database already has users.")
        return
    if demo_loaded():
        raise click.ClickException("The demo content is already loaded (the demo admin exists).")
    stats = load_demo()
    db.session.commit()
    summary = ", ".join(f"{n} {what}" for what, n in stats.items())
    click.echo(f"Demo content loaded: {summary}.")


def _width(text: str) -> int:
    """Terminal columns of a text: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


@demo_cli.command("accounts")
def accounts() -> None:
    """Print the demo accounts and their shared password."""
    from ideas.demo.content import PASSWORD
    from ideas.demo.loader import demo_accounts

    rows = [("Role", "Name", "E-mail")] + demo_accounts()
    widths = [max(_width(r[i]) for r in rows) for i in range(3)]
    line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    click.echo(line)
    for k, row in enumerate(rows):
        click.echo("| " + " | ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)) + " |")
        if k == 0:
            click.echo(line)
    click.echo(line)
    click.echo(f"Password for every demo account: {PASSWORD}")
