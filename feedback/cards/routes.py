"""Public pages: the action card journey and tracking by code.

Staff queues for moderation and safeguarding are added to this blueprint
by ``feedback.moderation.routes`` (endpoint names ``cards.*`` are used by
the navigation).
"""
from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from ..extensions import limiter
from ..i18n import N_, current_choice, name_html, translate
from ..models.services import THEMATIC_AREAS_PLAIN
from ..models.submissions import AGE_BANDS
from . import journey, services
from .blueprint import bp
from .forms import (UNSURE, AboutForm, CheckForm, ContactForm, DeleteForm, KindForm, ServiceForm,
                    TextForm, TrackForm)


def _submit_limit() -> str:
    return current_app.config["SUBMIT_RATE_LIMIT"]


def _track_limit() -> str:
    return current_app.config.get("TRACK_RATE_LIMIT") or "10 per minute;60 per hour"


def _go(step: str):
    return redirect(url_for(f"cards.{'new' if step == 'service' else step}"))


def _guard(step: str):
    """Send someone who skipped ahead back to the first unanswered page."""
    current = journey.draft(session)
    order = ("service", *journey.STEPS[1:])
    missing = journey.missing_step(current)
    if missing and order.index(missing) < order.index(step):
        return _go(missing)
    return None


def _next(step: str):
    """After a page: back to check answers when changing, else the next page."""
    if request.args.get("change") or journey.missing_step(journey.draft(session)) is None:
        return redirect(url_for("cards.check"))
    order = journey.STEPS
    return _go(order[order.index(step) + 1])


@bp.route("/cards")
def start():
    return render_template("cards/start.html")


@bp.route("/cards/new", methods=["GET", "POST"])
def new():
    current = journey.draft(session)
    query = (request.args.get("q") or "").strip()[:100]
    category = request.args.get("category") if request.args.get("category") in THEMATIC_AREAS_PLAIN else None
    found = services.services_for_choice(query or None, category)
    form = ServiceForm()
    chosen = "unsure" if current.get("service_unsure") else str(current.get("service_id") or "")
    # Keep the chosen service selectable even when a search hides it.
    choices = {str(s.id): name_html(s.plain_name, s.plain_name_cy) for s in found}
    posted = request.form.get("service")
    if posted and posted != UNSURE and posted not in choices:
        service = services.get_service(posted)
        if service is not None and service.active:
            choices[str(service.id)] = service.public_name_html
    choices[UNSURE] = _("I'm not sure")
    form.service.choices = choices
    if form.validate_on_submit():
        if form.service.data == UNSURE:
            journey.update(session, service_id=None, service_unsure=True)
        else:
            journey.update(session, service_id=int(form.service.data), service_unsure=False)
        return _next("service")
    if request.method == "GET" and chosen:
        form.service.data = chosen
    return render_template("cards/service.html", form=form, services=found, query=query,
                           category=category, categories=THEMATIC_AREAS_PLAIN)


@bp.route("/cards/new/kind", methods=["GET", "POST"])
def kind():
    if (back := _guard("kind")):
        return back
    form = KindForm()
    if form.validate_on_submit():
        journey.update(session, kind=form.kind.data)
        return _next("kind")
    if request.method == "GET":
        form.kind.data = journey.draft(session).get("kind")
    return render_template("cards/kind.html", form=form)


@bp.route("/cards/new/text", methods=["GET", "POST"])
def text():
    if (back := _guard("text")):
        return back
    current = journey.draft(session)
    form = TextForm()
    if form.validate_on_submit():
        journey.update(session, text=form.text.data, feels_unsafe="yes" in (form.unsafe.data or []))
        return _next("text")
    if request.method == "GET":
        form.text.data = current.get("text")
        form.unsafe.data = ["yes"] if current.get("feels_unsafe") else []
    return render_template("cards/text.html", form=form, kind=current.get("kind"))


@bp.route("/cards/new/about", methods=["GET", "POST"])
def about():
    if (back := _guard("about")):
        return back
    form = AboutForm()
    if form.validate_on_submit():
        band = form.age_band.data if form.age_band.data in AGE_BANDS else None
        journey.update(session, age_band=band, cohorts=list(form.cohorts.data or []), about_done=True)
        return _next("about")
    if request.method == "GET":
        current = journey.draft(session)
        form.age_band.data = current.get("age_band")
        form.cohorts.data = current.get("cohorts") or []
    return render_template("cards/about.html", form=form)


@bp.route("/cards/new/contact", methods=["GET", "POST"])
def contact():
    if (back := _guard("contact")):
        return back
    form = ContactForm()
    if form.validate_on_submit():
        method = form.method.data
        detail = form.detail.data if method in ("email", "phone") else None
        journey.update(session, contact_method=method, contact_detail=detail)
        return _next("contact")
    if request.method == "GET":
        current = journey.draft(session)
        form.method.data = current.get("contact_method")
        form.detail.data = current.get("contact_detail")
    return render_template("cards/contact.html", form=form)


# What the "too many tries" page says (errors/error.html shows it in the page's language).
TOO_MANY_CARDS = N_("You have sent a lot of cards in a short time. "
                    "Please wait a few minutes and try again. Nothing you sent is lost.")
TOO_MANY_CODES = N_("Too many tries. Wait a minute, then check your code again.")
TOO_MANY_DELETES = N_("Too many tries. Wait a minute, then try again.")


@bp.route("/cards/new/check", methods=["GET", "POST"])
@limiter.limit(_submit_limit, methods=["POST"], error_message=TOO_MANY_CARDS)
def check():
    form = CheckForm()
    if request.method == "POST" and form.validate_on_submit():
        done = journey.done(session) or {}
        if form.token.data and done.get("token") == form.token.data:
            return redirect(url_for("cards.confirmation"))  # a double click: already saved
        current = journey.draft(session)
        if current.get("token") != form.token.data or journey.missing_step(current):
            # A replay of an old page, or answers lost: never save a second card.
            previous = services.already_submitted(form.token.data or "")
            if previous is not None:
                # No code and no flag: a replayed page must not tell whoever holds it
                # whether the card was flagged.
                journey.finish(session, form.token.data, None, False, previous.anonymous)
                return redirect(url_for("cards.confirmation"))
            flash(_("Your card has already been sent, or your answers timed out. "
                    "Check your answers below."), "info")
            missing = journey.missing_step(current)
            return _go(missing) if missing else redirect(url_for("cards.check"))
        g.text_to_give_back = [("What you wrote", current.get("text", ""))]
        result = services.submit_card(_draft_from(current))
        journey.finish(session, current["token"], result.code, result.flagged, result.anonymous,
                       result.through_worker)
        return redirect(url_for("cards.confirmation"))
    current = journey.draft(session)
    missing = journey.missing_step(current)
    if missing:
        return _go(missing)
    form.token.data = current["token"]
    service = services.get_service(current.get("service_id"))
    return render_template("cards/check.html", form=form, draft=current, service=service,
                           age_bands=AGE_BANDS)


def _draft_from(current: dict) -> services.CardDraft:
    return services.CardDraft(
        token=current["token"], kind=current["kind"], text=current["text"],
        service_id=current.get("service_id"), service_unsure=bool(current.get("service_unsure")),
        feels_unsafe=bool(current.get("feels_unsafe")), age_band=current.get("age_band"),
        cohorts=tuple(current.get("cohorts") or ()), contact_method=current.get("contact_method"),
        contact_detail=current.get("contact_detail"), language=current_choice())


@bp.route("/cards/new/done")
def confirmation():
    done = journey.show_once(session)
    if not done:
        return redirect(url_for("cards.start"))
    return render_template("cards/confirmation.html", done=done)


NOT_FOUND = N_("We could not find that code. Check it and try again: it looks like K7QF-29MD")


@bp.route("/cards/track", methods=["GET", "POST"])
@limiter.limit(_track_limit, methods=["POST"], error_message=TOO_MANY_CODES)
def track():
    form = TrackForm()
    if form.validate_on_submit():
        found = services.find_by_code(form.code.data)
        if found is not None:
            return render_template("cards/tracked.html", found=found,
                                   delete_form=DeleteForm(code=form.code.data))
        form.code.errors.append(translate(NOT_FOUND))
    return render_template("cards/track.html", form=form)


@bp.route("/cards/track/delete", methods=["POST"])
@limiter.limit(_track_limit, error_message=TOO_MANY_DELETES)
def delete():
    form = DeleteForm()
    if not form.validate_on_submit():
        return redirect(url_for("cards.track"))
    if form.confirm.data != "yes":
        found = services.find_by_code(form.code.data)
        if found is None:
            return redirect(url_for("cards.track"))
        return render_template("cards/delete_confirm.html", form=DeleteForm(code=form.code.data,
                               confirm="yes"), found=found)
    kind = services.erase_by_code(form.code.data)
    if kind is None:
        return redirect(url_for("cards.track"))
    return render_template("cards/deleted.html", kind=kind)

