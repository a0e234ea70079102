"""`flask reputation ...`: recomputing the ledger from the facts, and the daily review
of expert status (for cron)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

reputation_cli = AppGroup("reputation", help="Points, levels and expert status.")


@reputation_cli.command("rebuild")
@click.option("--check", is_flag=True, help="Only report what differs; exit 1 when anything does.")
def rebuild_command(check: bool) -> None:
    """Recompute every member's points from the facts; append what the ledger lacks."""
    from ideas.extensions import db
    from ideas.reputation import ledger

    total = sum(ledger.fact_counts().values())
    with click.progressbar(length=total, label="Reading the facts", show_pos=True) as bar:
        report = ledger.rebuild(apply=not check, progress=lambda _rule, n: bar.update(n))
    if check:
        db.session.rollback()
    else:
        db.session.commit()
    for rule, n in report.per_rule.items():
        if n:
            click.echo(f"{rule}: {n} correction(s)")
    if report.matches:
        click.echo(f"The ledger matches the facts ({report.due} entries due).")
        return
    if check:
        click.echo(f"{report.appended} correction(s) needed; run without --check to append them.")
        raise SystemExit(1)
    click.echo(f"Appended {report.appended} correction(s); the ledger now matches the facts.")


@reputation_cli.command("review")
def review_command() -> None:
    """Grant and lapse expert status by the rules (run daily)."""
    from ideas.extensions import db
    from ideas.reputation import experts

    counts = experts.review_all()
    db.session.commit()
    click.echo(f"Expert status reviewed: {counts['grant']} granted, {counts['lapse']} lapsed, "
               f"{counts['keep']} unchanged.")
