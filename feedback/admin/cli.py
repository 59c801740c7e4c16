"""`flask --app wsgi purge`: apply the retention policy (docs/privacy.md).

A dry run by default: it prints what would go. `--apply` deletes it.
"""
from __future__ import annotations

import click
from flask import current_app

from ..privacy.retention import RetentionPolicy, purge
from .blueprint import bp

LABELS = {
    "action_cards": "action cards", "feedback_entries": "feedback entries",
    "card_contact_details": "cards' contact details", "audit_events": "audit events",
    "classifiers": "trained classifiers", "import_files": "import files",
}


@bp.cli.command("purge")
@click.option("--apply/--dry-run", "apply", default=False,
              help="Delete for real (default: a dry run that only counts).")
def purge_command(apply: bool) -> None:
    """Apply the retention policy. Dry run unless --apply."""
    policy = RetentionPolicy.from_config(current_app.config)
    click.echo("Retention policy:")
    for line in policy.describe():
        click.echo(f"  - {line}")
    report = purge(policy, current_app.instance_path, apply=apply)
    verb = "Deleted" if apply else "Would delete"
    for key, label in LABELS.items():
        click.echo(f"{verb}: {report.counts.get(key, 0)} {label}")
    if not apply:
        click.echo("Dry run: nothing was changed. Run with --apply to delete.")
