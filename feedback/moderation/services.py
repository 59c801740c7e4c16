"""Moderation use cases, generic over both kinds of item (the safeguarding
lead's queue and decisions are in ``lead.py``).

A ``kind`` is "card" (ActionCard) or "feedback" (FeedbackEntry). Every staff
view of an item is audited (who viewed it, when); every decision is audited
with the change it describes, in one commit.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, literal_column, select, union_all

from .. import audit, redaction, tasks
from ..errors import FieldError, NotAllowed
from ..extensions import db
from ..i18n import N_
from ..models import ActionCard, FeedbackEntry
from ..models.base import utcnow
from ..permissions import can_moderate, can_read_original_text, can_view_safeguarding

KINDS = {"card": ActionCard, "feedback": FeedbackEntry}
# (label, original field, redacted field) for each kind.
TEXT_FIELDS = {
    "card": ((N_("What they wrote"), "text", "text_redacted"),),
    "feedback": ((N_("What went well"), "went_well", "went_well_redacted"),
                 (N_("What could be better"), "could_be_better", "could_be_better_redacted")),
}


class ModerationError(FieldError):
    """A moderation or safeguarding decision that cannot be made as asked."""


@dataclass(frozen=True)
class QueueItem:
    kind: str
    item: object

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.item.id}"

    @property
    def first_words(self) -> str:
        return first_words(self.kind, self.item)


PREVIEW_WORDS = 12


def first_words(kind: str, item, limit: int = PREVIEW_WORDS) -> str:
    """The first ``limit`` words of the item's redacted text(s), for a queue row:
    the redaction as saved, or the automatic one while none is saved. Never the
    original words."""
    parts = []
    for _label, original, redacted in TEXT_FIELDS[kind]:
        text = getattr(item, redacted)
        if text is None:
            text = redaction.redact(getattr(item, original) or "")
        parts.extend(text.split())
    if not parts:
        return "(no words)"
    return " ".join(parts[:limit]) + (" …" if len(parts) > limit else "")


def kind_of(item) -> str:
    return "card" if isinstance(item, ActionCard) else "feedback"


def load(kind: str, item_id: int):
    model = KINDS.get(kind)
    return db.session.get(model, item_id) if model else None


PER_PAGE = 50


@dataclass(frozen=True)
class QueuePage:
    """One page of a queue: ``items`` in queue order, ``total`` items in the
    whole queue, ``page`` (1-based, clamped to the pages there are) of ``pages``."""
    items: list[QueueItem]
    total: int
    page: int
    pages: int
    per_page: int
    held: int = 0  # moderation only: flagged items waiting for the safeguarding lead


def _page_of(keys, order_by, page: int, per_page: int) -> tuple[list[QueueItem], int, int, int]:
    """Page through the union of both kinds of item in one ordered query.

    ``keys`` is a list of (kind, select of id and the sort columns); only the
    ids of the page asked for are loaded as items, so a long queue costs one
    count, one ordered id query and one load per kind.
    """
    union = union_all(*(stmt.add_columns(literal_column(f"'{kind}'").label("kind"))
                        for kind, stmt in keys)).subquery()
    total = db.session.execute(select(func.count()).select_from(union)).scalar_one()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = db.session.execute(select(union.c.kind, union.c.id)
                              .order_by(*order_by(union.c), union.c.kind, union.c.id)
                              .limit(per_page).offset((page - 1) * per_page)).all()
    loaded = {}
    for kind, model in KINDS.items():
        ids = [row.id for row in rows if row.kind == kind]
        if ids:
            loaded.update({(kind, item.id): item for item in db.session.execute(
                select(model).where(model.id.in_(ids))).scalars()})
    return [QueueItem(row.kind, loaded[(row.kind, row.id)]) for row in rows], total, page, pages


def moderation_queue(actor, page: int = 1, per_page: int = PER_PAGE) -> QueuePage:
    """Pending, unflagged items, oldest first, one page at a time; plus how
    many flagged items are held for the safeguarding lead (never published)."""
    if not can_moderate(actor):
        raise NotAllowed
    keys = [(kind, select(model.id, model.created_at.label("created_at")).where(
        model.moderation_state == "pending", model.safeguarding_flagged.is_(False)))
        for kind, model in KINDS.items()]
    items, total, page, pages = _page_of(keys, lambda c: (c.created_at,), page, per_page)
    held = sum(db.session.execute(select(func.count()).select_from(model).where(
        model.safeguarding_flagged.is_(True), model.safeguarding_outcome.is_(None))).scalar_one()
        for model in KINDS.values())
    return QueuePage(items, total, page, pages, per_page, held)


def view_item(kind: str, item_id: int, actor, purpose: str):
    """Load an item for a moderator or safeguarding lead and audit the view."""
    if not can_read_original_text(actor):
        raise NotAllowed
    if purpose == "safeguarding" and not can_view_safeguarding(actor):
        raise NotAllowed
    if purpose == "moderation" and not can_moderate(actor):
        raise NotAllowed
    item = load(kind, item_id)
    if item is None:
        return None
    audit.record(f"{item.__tablename__}.viewed", actor, item, purpose=purpose)
    db.session.commit()
    return item


def _moderation_target(kind: str, item_id: int, actor):
    if not can_moderate(actor):
        raise NotAllowed
    item = load(kind, item_id)
    if item is None:
        raise LookupError(kind)
    return item


def approve(kind: str, item_id: int, actor, texts: dict[str, str] | None = None):
    """Approve for publishing. A flagged item stays unpublished (``is_published``).

    ``texts`` (a redacted field name -> value, as ``save_redaction`` takes)
    are the redacted texts the moderator had in front of them: they are saved
    with the approval, in one commit, so what is published is what they saw.
    """
    item = _moderation_target(kind, item_id, actor)
    fields = TEXT_FIELDS[kind]
    if texts is not None and not any((texts.get(r) or "").strip() for _l, _o, r in fields) \
            and any((getattr(item, o) or "").strip() for _l, o, _r in fields):
        raise ModerationError(_("There is nothing to publish: enter the redacted text, or "
                                "reject it"), fields[0][2])
    if texts is not None and _apply_redaction(kind, item, actor, texts, audit_unchanged=False) \
            and item.moderation_state == "approved":
        from ..theme_store import mark_for_reanalysis
        mark_for_reanalysis(kind, item.id)
    for _label, original, redacted in TEXT_FIELDS[kind]:
        if getattr(item, redacted) is None:
            setattr(item, redacted, redaction.redact(getattr(item, original) or ""))
    item.moderation_state, item.moderation_reason = "approved", None
    item.moderated_at, item.moderated_by_id = utcnow(), actor.id
    audit.record("moderation.approved", actor, item)
    db.session.commit()
    # Only once the approval is saved: the new item joins the curated themes
    # in the background (a run already waiting picks it up instead).
    tasks.classify_new_items()
    return item


def reject(kind: str, item_id: int, actor, reason: str):
    item = _moderation_target(kind, item_id, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError(_("Enter why you are rejecting it"), "reason")
    item.moderation_state, item.moderation_reason = "rejected", reason
    item.moderated_at, item.moderated_by_id = utcnow(), actor.id
    audit.record("moderation.rejected", actor, item)
    db.session.commit()
    return item


def save_redaction(kind: str, item_id: int, actor, texts: dict[str, str]):
    """Replace the redacted text(s): ``texts`` maps a redacted field name to its new value."""
    item = _moderation_target(kind, item_id, actor)
    changed = _apply_redaction(kind, item, actor, texts)
    reanalyse = bool(changed) and item.moderation_state == "approved"
    if reanalyse:
        # The themes were found in the old words: place the item again.
        from ..theme_store import mark_for_reanalysis
        mark_for_reanalysis(kind, item.id)
    db.session.commit()
    if reanalyse:
        tasks.classify_new_items()
    return item


def _apply_redaction(kind: str, item, actor, texts: dict[str, str],
                     audit_unchanged: bool = True) -> list[str]:
    """Set the redacted fields given in ``texts`` and audit the edit (flushes);
    returns the names of the fields that changed."""
    changed = []
    for _label, _original, redacted in TEXT_FIELDS[kind]:
        if redacted in texts:
            value = (texts[redacted] or "").replace("\r\n", "\n")
            if len(value) > 5000:
                raise ModerationError(_("The redacted text must be 5,000 characters or fewer"),
                                      redacted)
            if value != getattr(item, redacted):
                setattr(item, redacted, value)
                changed.append(redacted)
    if changed or audit_unchanged:
        audit.record("moderation.redaction_edited", actor, item, fields=changed)
    return changed
