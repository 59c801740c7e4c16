"""``flask --app wsgi contracts freeze-held``: freeze every held review's pack.

A thin wrapper over ``contracts.frozen.freeze_held_packs``: reviews held before
packs were frozen get their pack frozen as it stands today (otherwise the first
view does it), and packs kept by earlier versions are checked.
"""
from __future__ import annotations

import click

from .frozen import freeze_held_packs


@click.group("contracts", help="Contract reviews and their packs.")
def group() -> None:
    """Commands for contract reviews."""


@group.command("freeze-held")
def freeze_held_command() -> None:
    """Freeze the pack of every held review that has none yet."""
    result = freeze_held_packs()
    click.echo(f"Froze {result.frozen} held review pack{'' if result.frozen == 1 else 's'}; "
               f"checked {result.checked} kept before packs were frozen"
               f" ({result.rebuilt} rebuilt from an older version).")
