"""Public service pages: find a service (by what people call it), a service's
page, its published cards a page at a time ("me too"), and pressing "me too"."""
from __future__ import annotations

import secrets

from flask import (abort, current_app, flash, make_response, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _, ngettext
from itsdangerous import BadSignature, URLSafeSerializer

from ..extensions import limiter
from ..ids import MAX_PAGE, parse_id
from ..models.cards import CARD_KINDS
from ..models.services import THEMATIC_AREAS_PLAIN
from . import me_too, services
from .blueprint import bp
from .forms import MeTooForm

BROWSER_COOKIE = "vtc_browser"
BROWSER_MAX_AGE = 2 * 365 * 24 * 3600


def _me_too_limit() -> str:
    return current_app.config.get("ME_TOO_RATE_LIMIT") or "30 per minute;300 per hour"


@bp.route("/services")
def service_list():
    query = (request.args.get("q") or "").strip()[:100]
    category = request.args.get("category")
    category = category if category in THEMATIC_AREAS_PLAIN else None
    found = services.services_for_choice(query or None, category)
    return render_template("cards/service_list.html", services=found, query=query,
                           category=category, categories=THEMATIC_AREAS_PLAIN)


@bp.route("/services/<int:service_id>")
def service_page(service_id: int):
    service = me_too.get_service(service_id) or abort(404)
    return render_template("cards/service_page.html", service=service,
                           counts=me_too.published_counts(service.id))


class _BadListArgs(ValueError):
    pass


def _list_args() -> tuple[str | None, int]:
    """``?kind=`` (stop, start, change; empty or "all" for every kind) and ``?page=``
    (a whole number from 1): raises ``_BadListArgs`` with words for the person."""
    kind = (request.args.get("kind") or "").strip().lower()
    if kind in ("", "all"):
        kind = None
    elif kind not in CARD_KINDS:
        raise _BadListArgs(_("We can show cards that ask to stop, start or change something, "
                             "or all of them. There is no choice called that."))
    raw = (request.args.get("page") or "").strip()
    if not raw:
        return kind, 1
    page = parse_id(raw)
    if page is None or page > MAX_PAGE:
        raise _BadListArgs(_("Page numbers are whole numbers from 1, like 2."))
    return kind, page


def _browser_id() -> tuple[str | None, URLSafeSerializer]:
    signer = URLSafeSerializer(current_app.secret_key, salt="me-too-browser")
    raw = request.cookies.get(BROWSER_COOKIE)
    if raw:
        try:
            return signer.loads(raw), signer
        except BadSignature:
            pass
    return None, signer


@bp.route("/cards/service/<int:service_id>")
def service_cards(service_id: int):
    service = me_too.get_service(service_id) or abort(404)
    try:
        kind, page = _list_args()
        found = me_too.cards_page(service, kind, page)
    except _BadListArgs as exc:
        return render_template("cards/service_cards_problem.html", service=service,
                               problem=str(exc)), 400
    except me_too.NoSuchPage as exc:
        return render_template(
            "cards/service_cards_problem.html", service=service, last_page=exc.pages, kind=kind,
            problem=ngettext("There is no page %(page)s. There is %(num)s page of cards.",
                             "There is no page %(page)s. There are %(num)s pages of cards.",
                             exc.pages, page=exc.page)), 404
    browser_id, signer = _browser_id()
    supported = me_too.supported_ids(browser_id, [c.id for c in found.cards])
    response = make_response(render_template(
        "cards/service_cards.html", service=service, found=found, supported=supported,
        form=MeTooForm(), kinds=CARD_KINDS))
    if browser_id is None:
        # The page issues the browser's id; "me too" counts only a browser that kept it.
        _issue_browser_cookie(response, signer, secrets.token_urlsafe(24))
    return response


def _issue_browser_cookie(response, signer: URLSafeSerializer, browser_id: str) -> None:
    response.set_cookie(BROWSER_COOKIE, signer.dumps(browser_id), max_age=BROWSER_MAX_AGE,
                        httponly=True, samesite="Lax",
                        secure=bool(current_app.config["SESSION_COOKIE_SECURE"] or request.is_secure))


@bp.route("/cards/<int:card_id>/me-too", methods=["POST"], endpoint="me_too")
@limiter.limit(_me_too_limit,
               error_message=lambda: _("Too many taps. Wait a minute and try again."))
def me_too_press(card_id: int):
    form = MeTooForm()
    if not form.validate_on_submit():
        abort(400)
    browser_id, _signer = _browser_id()
    outcome = me_too.add_me_too(card_id, browser_id)
    if outcome == "not_found":
        abort(404)
    service_id = me_too.card_service(card_id)
    if outcome == "no_browser":
        # No id from the cards page (a client that keeps no cookies): nothing is counted.
        flash(_("We could not add your support: your browser did not keep our cookie. Allow "
                "cookies for this site, then press \u201cMe too\u201d again."), "info")
    else:
        flash(_("Thanks. We have added your support.") if outcome == "added"
              else _("You have already supported this card."), "success")
    # Back to the page and filter the card was pressed on, at the top where the banner
    # says what happened (an anchor at the card put the filter links under the sticky
    # "Exit this page" button on a short page).
    back = {}
    kind = request.args.get("kind")
    if kind in CARD_KINDS:
        back["kind"] = kind
    page = parse_id(request.args.get("page"))
    if page is not None and 1 < page <= MAX_PAGE:
        back["page"] = page
    return redirect(url_for("cards.service_cards", service_id=service_id, **back))
