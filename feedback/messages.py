"""The one way the platform sends a message to a person (email today).

Every email goes through ``send(Message(...), config)``. The transport is chosen
from the configuration: SMTP through ``MAIL_SERVER`` when it is set, otherwise the
message is written to the log (so a machine with no mail server loses nothing
silently and shows what would have been sent). Another transport (for example a
GOV.UK Notify client) can be added by implementing ``Transport.deliver`` and
choosing it in ``transport_for``; callers do not change.

Messages never carry a child's words or a receipt code: callers pass the text,
and the rule is checked in the tests of each caller.

Every ``Message`` has a ``kind`` (listed in ``KINDS``) and, for a transport built on
templates kept elsewhere (GOV.UK Notify), its ``personalisation``: the named values the
body was made from. docs/email.md says how to add such a transport.

``link(path, config)`` makes the absolute address put in a message: ``PUBLIC_URL`` when
set, else the host of the request being answered.
"""
from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Mapping, Protocol

log = logging.getLogger(__name__)

SENT, LOGGED, FAILED = "sent", "logged", "failed"


@dataclass(frozen=True)
class Message:
    """One message to one or more addresses. ``kind`` names it for logs and audits
    (for example "safeguarding_alert", "return_submitted")."""

    to: tuple[str, ...]
    subject: str
    body: str
    kind: str = "message"
    headers: Mapping[str, str] = field(default_factory=dict)
    # The values the body was written from, by name (a template-based transport's input).
    personalisation: Mapping[str, str] = field(default_factory=dict)
    # A member of the public's address (a young person's): never written to the log.
    private_recipient: bool = False

    def __post_init__(self):
        if isinstance(self.to, str):
            object.__setattr__(self, "to", (self.to,))
        for text in (self.subject, *self.to):
            if "\n" in text or "\r" in text:
                raise ValueError("a subject or address may not contain a line break")

    def to_for_log(self) -> str:
        """The addressees as the log may show them."""
        if self.private_recipient:
            return f"{len(self.to)} private address{'es' if len(self.to) != 1 else ''}"
        return ", ".join(self.to)

    def as_email(self, sender: str) -> EmailMessage:
        email = EmailMessage()
        email["Subject"] = self.subject
        email["From"] = sender
        email["To"] = ", ".join(self.to)
        for name, value in self.headers.items():
            email[name] = value
        email.set_content(self.body)
        return email


class Transport(Protocol):
    def deliver(self, message: Message) -> str:
        """Send ``message``; return SENT, LOGGED or FAILED (never raise for a refusal)."""


class LogTransport:
    """No mail server configured: the message's kind, addressees and subject go to the log."""

    def deliver(self, message: Message) -> str:
        log.warning("MESSAGE NOT SENT (no mail server configured) [%s] to %s: %s",
                    message.kind, message.to_for_log(), message.subject)
        return LOGGED


class SmtpTransport:
    def __init__(self, config: Mapping):
        self.host = config["MAIL_SERVER"]
        self.port = int(config.get("MAIL_PORT") or 25)
        self.use_tls = bool(config.get("MAIL_USE_TLS"))
        self.username = config.get("MAIL_USERNAME")
        self.password = config.get("MAIL_PASSWORD") or ""
        self.sender = config.get("MAIL_FROM") or "no-reply@voice.invalid"

    def deliver(self, message: Message) -> str:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
                if self.use_tls:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, self.password)
                smtp.send_message(message.as_email(self.sender))
            return SENT
        except (OSError, smtplib.SMTPException) as exc:
            log.error("MESSAGE NOT SENT (%s) [%s] to %s: %s", exc.__class__.__name__,
                      message.kind, message.to_for_log(), message.subject)
            return FAILED


# Every kind of message the platform sends, with what it is for (docs/email.md lists the
# personalisation each carries, for a template-based transport).
KINDS = {
    "safeguarding_alert": "A card, entry or reply was flagged by the safeguarding screen",
    "staff_invitation": "An administrator invited a person to set a password",
    "digest": "What waits for a member of staff, at most once a day",
    "card_answered": "A young person's card was answered or its status changed",
    "action_completion_claimed": "A provider says an agreed action is completed",
    "action_completion_decided": "A commissioner accepted or rejected a provider's completion",
}


def link(path: str, config: Mapping) -> str:
    """The absolute address of ``path`` (which starts with "/") for a message."""
    base = config.get("PUBLIC_URL")
    if not base:
        from flask import has_request_context, request
        base = request.host_url.rstrip("/") if has_request_context() else ""
    return f"{base}{path}"


def transport_for(config: Mapping) -> Transport:
    return SmtpTransport(config) if config.get("MAIL_SERVER") else LogTransport()


def send(message: Message, config: Mapping) -> str:
    """Send ``message`` with the configured transport: SENT, LOGGED or FAILED."""
    if not message.to:
        return LogTransport().deliver(message)
    return transport_for(config).deliver(message)
