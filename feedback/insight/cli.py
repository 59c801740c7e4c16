"""``flask --app wsgi analysis run|classify``: analysis runs from the command line.

By default the run happens here, in this process, and the command waits;
``--background`` queues it (RQ when REDIS_URL is set) and returns at once.
"""
from __future__ import annotations

import click

from .blueprint import bp


def _run(kind: str, background: bool, themes: str | None = None) -> None:
    """Start the run through ``tasks.start_run``, as the runs page does: one run of a kind at
    a time, so a run already queued or running is named and nothing new is started."""
    from .. import tasks

    params = {}
    if themes:
        params["themes"] = int(themes) if themes.isdigit() else "auto"
    busy = tasks.busy_run(kind)
    if busy is not None:
        raise click.ClickException(
            f"Analysis run {busy.id} ({kind}) is already {busy.status}: wait for it to finish "
            "(the runs page shows its progress), then start another.")
    run = tasks.start_run(kind, None, params, here=not background)
    if background:
        click.echo(f"Analysis run {run.id} ({kind}) queued.")
        return
    click.echo(f"Analysis run {run.id} ({kind}): {run.status}; {run.n_items or 0} items, "
               f"{run.n_themes or 0} themes; timings {run.timings or {}}")
    if run.status != "succeeded":
        raise click.ClickException(run.error or "the run failed")


@bp.cli.command("run")
@click.option("--background", is_flag=True, help="Queue the run instead of waiting for it.")
@click.option("--themes", help="How many themes (a number), or 'auto' (default).")
def run_command(background, themes):
    """Full re-run: theme every approved item, keeping theme ids and curated names."""
    _run("full", background, themes)


@bp.cli.command("classify")
@click.option("--background", is_flag=True, help="Queue the run instead of waiting for it.")
def classify_command(background):
    """Place newly approved items into the curated themes."""
    _run("classify", background)
