"""``flask --app wsgi safeguarding train|evaluate``: the learned screen's model.

    flask --app wsgi safeguarding train [--corpus DIR] [--out FILE] [--no-vectors]
    flask --app wsgi safeguarding evaluate [--corpus DIR] [--show-missed]

``train`` fits the model on the training corpus and writes the file the screen loads;
``evaluate`` measures the whole screen (phrase lists or model) on the frozen evaluation part.
"""
from __future__ import annotations

from pathlib import Path

import click

from . import concern_bridge


@click.group("safeguarding", help="The safeguarding screen's learned model.")
def group() -> None:
    """Commands for the safeguarding model."""


@group.command("train")
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=concern_bridge.TRAIN_CORPUS, show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              default=concern_bridge.MODEL_PATH, show_default=True)
@click.option("--no-vectors", is_flag=True, help="Word and character features only.")
@click.option("--budget-per-group", is_flag=True,
              help="Keep the look-alikes and the general texts each within the false-alarm "
                   "budget (fewer false alarms, less recall).")
@click.option("--by-text", is_flag=True,
              help="Choose the threshold on ordinary 5-fold scores instead of scores by models "
                   "that never saw the text's writer.")
def train_command(corpus: Path, out: Path, no_vectors: bool, budget_per_group: bool,
                  by_text: bool) -> None:
    """Fit the model on CORPUS and write it to OUT."""
    from .safeguarding import screen

    try:
        done = concern_bridge.train_concern_model(
            corpus, out, use_vectors=not no_vectors, per_group=budget_per_group,
            by_writer=not by_text,
            flagged_by_lists=lambda text: screen(text, model=None).flagged)
    except (ValueError, RuntimeError) as exc:
        raise click.ClickException(str(exc)) from exc
    r = done.report
    click.echo(f"Trained on {done.rows:,} texts ({done.concerning:,} concerning), corpus "
               f"{done.corpus_digest}; wrote {done.path}.")
    click.echo(f"Threshold {r.threshold:.4f}: out-of-fold recall {r.recall:.1%}, false alarms "
               f"{r.false_alarms:.1%} of the ordinary texts in the budget (contrast pairs' are not) ("
               + (f"{r.folds} folds, each text scored by a model that never saw its writer)."
                  if r.by_group else f"{r.folds}-fold)."))


@group.command("evaluate")
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path),
              multiple=True, help="A folder to measure on (repeatable); by default every "
              "frozen evaluation part, eval/ to eval7/.")
@click.option("--show-missed", is_flag=True, help="List the texts missed and wrongly flagged.")
def evaluate_command(corpus: tuple[Path, ...], show_missed: bool) -> None:
    """Measure the screen on CORPUS (by default each frozen evaluation part)."""
    from .safeguarding import screen

    click.echo(f"Model: {concern_bridge.concern_model_status()}")
    for folder in corpus or concern_bridge.FROZEN_PARTS:
        result = concern_bridge.evaluate_screen(lambda text: screen(text).flagged, folder)
        click.echo(f"\n{folder.name}: recall {result.recall:.1%} of {result.concerning} "
                   f"concerning; false alarms {result.false_alarms:.1%} of {result.ordinary} "
                   "ordinary.")
        for kind, (hit, total) in result.by_kind.items():
            click.echo(f"  {kind:<18} {hit:>4} / {total:<4} {hit / total:.0%}")
        if show_missed:
            for row in result.missed:
                click.echo(f"MISSED {row.kind}: {row.text}")
            for row in result.alarms:
                click.echo(f"FALSE ALARM {row.kind}: {row.text}")
