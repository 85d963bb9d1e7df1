"""``flask plans import FILE``: load an action plan from JSON or CSV (format in engage/plans/importer.py)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from engage.extensions import db

plans_cli = AppGroup("plans", help="Action plans.")


@plans_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--round", "round_ids", type=int, multiple=True, help="Id of a co-creation round the plan came from (repeatable).")
@click.option("--publish/--draft", default=False, help="Publish the plan at once (default: a draft).")
def import_plan(path: str, round_ids: tuple[int, ...], publish: bool) -> None:
    """Check the whole file, then write the plan, or write nothing and list every problem."""
    from engage.plans import services
    from engage.plans.importer import PlanImportError, check, read_file
    from engage.rounds.models import Round

    try:
        data, source = read_file(path)
        plan_data = check(data, source)
    except PlanImportError as error:
        click.echo(f"Nothing was imported: {len(error.problems)} problem(s) in {path}", err=True)
        for problem in error.problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1)
    missing = [r for r in round_ids if db.session.get(Round, r) is None]
    if missing:
        click.echo(f"Nothing was imported: no round with id {', '.join(map(str, missing))}", err=True)
        raise SystemExit(1)
    plan = services.create_from(plan_data, round_ids=list(round_ids), publish=publish)
    db.session.commit()
    milestones = sum(len(c.milestones) for c in plan.commitments)
    click.echo(f"Imported plan {plan.id}: {len(plan.commitments)} commitments, {milestones} milestones"
               f"{' (published)' if publish else ' (draft)'}.")
