"""Closing the loop: telling a young person who left an email address on their card that
it was answered or its status changed.

``tell_young_person(card, what)`` is called after the change has been committed (by
``status.change_status`` and by an answer that keeps the status). It sends one short message
through ``messages.send``: it names the service and links to the track page. It never
carries the receipt code (the young person has it; the track page asks for it) nor their
words, nor the answer's words: only that there is news and what the status is now.
Feedback entries carry no contact details, so only cards are told.

The address is personal data: it is kept on the card only (``contact_detail``), deleted with
the card (the young person's own erasure through the track page), and removed by the
retention policy (``privacy.retention``, ``RETENTION_CONTACT_DAYS`` after the card is
closed). The audit row of a message records that one was sent, never the address.
"""
from __future__ import annotations

import logging
import re

from flask import current_app, has_app_context
from flask_babel import gettext

from .. import audit, messages
from ..models import ActionCard
from ..models.submissions import STATUSES

log = logging.getLogger("feedback.cards.notify")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email_of(card) -> str | None:
    """The address the young person left for news of this card, or None."""
    if not isinstance(card, ActionCard) or card.contact_method != "email":
        return None
    address = (card.contact_detail or "").strip()
    return address if _EMAIL.match(address) and len(address) <= 254 else None


def message_for(card: ActionCard, what: str, config) -> messages.Message:
    service = card.service.name if card.service is not None and not card.service_unsure \
        else gettext("the service you chose")
    status = (gettext(STATUSES[card.status]) if card.status in STATUSES else card.status).lower()
    news = (gettext("It has an answer") if what == "answered"
            else gettext("Its status is now \u201c%(status)s\u201d", status=status))
    url = messages.link("/cards/track", config)
    body = "\n\n".join((
        gettext("Hello,"),
        gettext("There is news about the card you sent about %(service)s. %(news)s.",
                service=service, news=news),
        gettext("See it on the track page:\n%(link)s", link=url),
        gettext("You will need the receipt code you were given when you sent your card. We "
                "never send it by email."),
        gettext("You are getting this email because you left this address on your card. To "
                "stop these emails, delete your card from the track page."))) + "\n"
    return messages.Message(to=(email_of(card),),
                            subject=gettext("News about your card: %(service)s", service=service),
                            body=body, kind="card_answered", private_recipient=True,
                            personalisation={"service": service, "news": news, "link": url})


def tell_young_person(card, what: str = "status") -> str | None:
    """Email the young person news of ``card`` (``what``: "answered" or "status"); returns
    the delivery result, or None when there is no one to tell. Never raises."""
    if not has_app_context() or email_of(card) is None:
        return None
    try:
        config = current_app.config
        result = messages.send(message_for(card, what, config), config)
        audit.record_now("card.contact_emailed", None, card, news=what, delivery=result)
        return result
    except Exception:  # noqa: BLE001 - the answer is saved; a failed email must not undo it
        log.exception("could not tell a young person about card %s", getattr(card, "id", None))
        return None
