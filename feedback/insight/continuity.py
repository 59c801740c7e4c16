"""What became of a theme that something links to (a contract review action, a pack, a
bookmark of its page): the one place that words "merged", "no longer found" and "fewer than 10".

- merged: a person merged it into another theme (its items moved there);
- retired: the engine made it, and the latest full analysis run found it no more (its
  automatically placed items went to other themes);
- small: it holds fewer than 10 items now (``disclosure.THRESHOLD``), over all time.

Reads only; links keep pointing at the same ``Theme`` row whatever happens to it.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from .. import disclosure
from ..extensions import db
from ..models import AnalysisRun, Theme


def latest_full_run_id() -> int | None:
    return db.session.execute(
        select(AnalysisRun.id).where(AnalysisRun.kind == "full", AnalysisRun.status == "succeeded")
        .order_by(AnalysisRun.id.desc()).limit(1)).scalar_one_or_none()


def merged_into(theme: Theme) -> Theme | None:
    """The live theme that holds a merged theme's items now (merges followed), or None."""
    target, seen = theme.merged_into, {theme.id}
    while target is not None and target.merged_into is not None and target.id not in seen:
        seen.add(target.id)
        target = target.merged_into
    return target


def retired(theme: Theme, latest_run_id: int | None = None) -> bool:
    """The engine made the theme and the latest successful full run did not find it."""
    latest = latest_run_id if latest_run_id is not None else latest_full_run_id()
    return theme.first_run_id is not None and latest is not None and theme.last_run_id != latest


def theme_notice(theme: Theme, latest_run_id: int | None = None) -> str | None:
    """A sentence about the theme's state, or None when it is live and has 10 items or more."""
    target = merged_into(theme)
    if target is not None:
        return _("This theme was merged into \u201c%(name)s\u201d.", name=target.name)
    if retired(theme, latest_run_id):
        return _("This theme was no longer found in the latest analysis.")
    if theme.size < disclosure.THRESHOLD:
        return _("This theme now has %(number)s items.", number=_(disclosure.SMALL_TEXT))
    return None


def linked_name(theme: Theme, latest_run_id: int | None = None) -> str:
    """The theme's name as a link shows it: "Waiting lists (this theme was merged into ...)"."""
    notice = theme_notice(theme, latest_run_id)
    if not notice:
        return theme.name
    return f"{theme.name} ({notice[0].lower()}{notice[1:].rstrip('.')})"


def merged_theme(theme_id: int) -> tuple[Theme, Theme] | None:
    """(the merged theme, the theme it lives on in) for a merged theme's id, else None."""
    theme = db.session.get(Theme, theme_id)
    if theme is None or theme.merged_into_id is None:
        return None
    target = merged_into(theme)
    return (theme, target) if target is not None else None
