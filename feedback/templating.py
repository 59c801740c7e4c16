"""Jinja set-up: GOV.UK Frontend macros, form widgets, filters and globals."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask, g, has_request_context, request
from flask_login import current_user
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup

from .permissions import ROLES, nav_for

from .clock import LONDON
from .i18n import configure_i18n, locale_key, name_html, pick_name, soft_mutation


def uk_date(value) -> str:
    """'3 March 2026' for a date or datetime (datetimes shown in UK time), in the page's
    language ('3 Mawrth 2026' in Welsh)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON)
    if locale_key() != "en":
        return format_date(value if not isinstance(value, datetime) else value.date(),
                           "d MMMM y", locale=locale_key())
    return f"{value.day} {value:%B %Y}"


def uk_datetime(value) -> str:
    """'3 March 2026, 2:05pm' in UK time."""
    if value is None:
        return ""
    local = value.astimezone(LONDON)
    if locale_key() == "cy":
        return f"{uk_date(local)}, {local:%H:%M}"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{local.day} {local:%B %Y}, {hour}:{local:%M}{suffix}"


def number(value) -> str:
    """A whole number grouped as the page's language writes it ('1,234')."""
    return format_decimal(value or 0, locale=locale_key())


def iso_date(value) -> str:
    if isinstance(value, datetime):
        return value.astimezone(LONDON).date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return ""


def configure_templates(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader([
        app.jinja_loader,
        PrefixLoader({
            "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
            "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
        }),
    ])
    WTFormsHelpers(app)
    configure_i18n(app)
    app.jinja_env.filters.update(uk_date=uk_date, uk_datetime=uk_datetime, iso_date=iso_date,
                                 number=number)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    app.jinja_env.globals.update(cached_fragment=FragmentCache(), nav_key=nav_key)

    @app.context_processor
    def globals_for_templates():
        try:
            user = current_user if current_user and current_user.is_authenticated else None
        except Exception:  # noqa: BLE001 - error pages render even with the database down
            user = None
        service, service_cy = app.config["SERVICE_NAME"], app.config.get("SERVICE_NAME_CY")
        organisation = app.config["ORGANISATION_NAME"]
        organisation_cy = app.config.get("ORGANISATION_NAME_CY")
        return {
            # In the page's language (Welsh on a Welsh page when a Welsh form is set): the
            # plain text for titles, the _html form for the page (English marked lang="en").
            "service_name": pick_name(service, service_cy),
            "service_name_html": name_html(service, service_cy),
            "organisation_name": pick_name(organisation, organisation_cy),
            "organisation_name_html": name_html(organisation, organisation_cy),
            # After "run by": the Welsh says "gan", which takes the soft mutation
            # ("gan Gyngor Sir ..."); the English is as it is.
            "run_by_organisation_html": name_html(
                organisation, soft_mutation(organisation_cy) if organisation_cy else None),
            "phase": app.config["PHASE"],
            "csp_nonce": getattr(g, "csp_nonce", ""),
            "staff_user": user,
            "staff_nav": nav_for(user) if user else [],
            "public_nav": [] if user else nav_for(None),
            "role_labels": ROLES,
        }


class FragmentCache:
    """``{% call cached_fragment(*key) %}...{% endcall %}``: the block is rendered once per
    process, application root, language and ``key``, then reused.

    Only for markup that depends on nothing but its key (the page header, phase banner,
    footer and "Exit this page": GOV.UK macros that cost about a tenth of every page). The key
    must name every value the block reads; nothing per request (no CSP nonce, no CSRF
    token, no user's name) may be inside. The number of keys is small and bounded
    (menus by role and current item), so entries are never evicted.
    """

    def __init__(self):
        self._rendered: dict[tuple, Markup] = {}

    def __call__(self, *key, caller) -> Markup:
        full_key = (request.script_root if has_request_context() else "", locale_key(), *key)
        html = self._rendered.get(full_key)
        if html is None:
            # A macro's caller returns Markup (the environment autoescapes HTML), so the
            # block's own escaping is kept as it is.
            html = self._rendered[full_key] = caller()
        return html


def nav_key(items: list[dict]) -> tuple:
    """A hashable form of a menu (what the header shows of it), for ``cached_fragment``."""
    return tuple((item["text"], item["href"], item["active"]) for item in items)
