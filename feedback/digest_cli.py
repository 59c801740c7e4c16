"""``flask --app wsgi digest send``: today's digests (feedback/digest.py).

Run it from cron once a day (for example at 07:00). It is idempotent for the day: a second
run sends nothing to anyone already sent one today, and nothing is sent to a person with
nothing waiting.
"""
from __future__ import annotations

import click
from flask import current_app

from .digest import send_digests


@click.group("digest", help="The daily digest of what waits for each member of staff.")
def group() -> None:
    """Commands for the daily digest."""


@group.command("send")
def send_command() -> None:
    """Send today's digests (at most one a person a day)."""
    report = send_digests(current_app.config)
    click.echo(f"Digests sent: {report.sent}; written to the log (no mail server): "
               f"{report.logged}; nothing waiting: {report.empty}; already sent today: "
               f"{report.already}; failed (tried again next run): {report.failed}.")
    if report.failed:
        raise SystemExit(1)
