"""Contract register routes: list, filters, due/ending views, create, edit, KPIs.

Commissioners manage contracts; providers see their own organisation's
contracts, reviews and packs read-only (``can_view_contract``). The review,
action and pack routes live in ``review_routes`` on the same blueprint.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from .. import clock
from ..permissions import Role, can_manage_contracts, has_role, role_required
from ..errors import show_on_form
from . import register as services
from .blueprint import VIEW_ROLES, bp, contract_or_404
from ..form_helpers import choices
from .forms import ContractForm, FilterForm, KpiForm


@bp.app_context_processor
def _kpi_helpers():
    from .rag import RAG_LABELS, rating
    return {"kpi_rating": rating, "rag_labels": RAG_LABELS}


@bp.app_template_filter("amount")
def _amount(value, unit=None) -> str:
    from .units import amount
    return amount(value, unit)


def _scope() -> int | None:
    """Providers are limited to their own organisation (or to nothing)."""
    if has_role(current_user, Role.COMMISSIONER):
        return None
    return current_user.organisation_id or -1


@bp.app_context_processor
def due_panel():
    def contracts_due_panel():
        if not has_role(current_user, *VIEW_ROLES):
            return ""
        today = clock.today()
        # An autoescaped template's output, not user input, so Markup is safe.
        return Markup(render_template(  # nosec B704
            "contracts/_due_panel.html", today=today, due=services.due_summary(today, _scope())))
    return {"contracts_due_panel": contracts_due_panel}


@bp.route("/contracts")
@role_required(*VIEW_ROLES)
def register():
    form = FilterForm(request.args)
    providers = services.provider_choices()
    form.provider.choices = choices([("", _("All providers"))]
                                   + [(str(p.id), p.name) for p in providers])
    form.area.choices = choices([("", _("All thematic areas"))]
                               + list(services.area_choices().items()))
    valid = form.validate()
    query = services.RegisterQuery(
        text=(form.q.data or "").strip() if valid else "",
        provider_id=int(form.provider.data) if valid and form.provider.data else None,
        thematic_area=form.area.data if valid and form.area.data else None,
        view=form.view.data if valid and form.view.data in services.VIEWS else "all")
    today = clock.today()
    contracts = services.list_contracts(query, today, _scope())
    return render_template("contracts/register.html", filter_form=form, contracts=contracts,
                           query=query, views={k: _(v) for k, v in services.VIEWS.items()},
                           today=today,
                           can_manage=can_manage_contracts(current_user))


def _contract_input(form: ContractForm) -> services.ContractInput:
    return services.ContractInput(
        reference=form.reference.data.strip(), title=form.title.data.strip(),
        provider_id=form.provider_id.data, service_ids=tuple(form.service_ids.data or ()),
        annual_value=form.annual_value.data, start_date=form.start_date.data,
        end_date=form.end_date.data,
        extension_options=(form.extension_options.data or "").strip() or None,
        review_frequency=form.review_frequency.data,
        next_review_date=form.next_review_date.data,
        contract_manager_id=form.contract_manager_id.data or None,
        notes=(form.notes.data or "").strip() or None)


def _edit(form: ContractForm, contract=None):
    form.set_choices(services.provider_choices(), services.service_choices(),
                     services.manager_choices())
    if form.validate_on_submit():
        try:
            saved = services.save_contract(_contract_input(form), current_user,
                                           contract.id if contract else None)
        except services.ContractError as error:
            show_on_form(form, error)
        else:
            flash(_("Contract %(reference)s saved.", reference=saved.reference), "success")
            return redirect(url_for("contracts.detail", contract_id=saved.id))
    return render_template("contracts/edit.html", form=form, contract=contract)


@bp.route("/contracts/new", methods=["GET", "POST"])
@role_required("commissioner")
def new():
    return _edit(ContractForm())


@bp.route("/contracts/<int:contract_id>/edit", methods=["GET", "POST"])
@role_required("commissioner")
def edit(contract_id: int):
    contract = contract_or_404(contract_id)
    form = ContractForm(obj=contract) if request.method == "GET" else ContractForm()
    if request.method == "GET":
        form.service_ids.data = [s.id for s in contract.services]
        form.contract_manager_id.data = contract.contract_manager_id or 0
    return _edit(form, contract)


@bp.route("/contracts/<int:contract_id>")
@role_required(*VIEW_ROLES)
def detail(contract_id: int):
    contract = contract_or_404(contract_id)
    return render_template("contracts/detail.html", contract=contract, today=clock.today(),
                           can_manage=can_manage_contracts(current_user))


@bp.route("/contracts/<int:contract_id>/kpis/new", methods=["GET", "POST"])
@role_required("commissioner")
def add_kpi(contract_id: int):
    contract = contract_or_404(contract_id)
    form = KpiForm()
    if form.validate_on_submit():
        services.add_kpi(contract.id, services.KpiInput(
            name=form.name.data.strip(), target=form.target.data,
            unit=(form.unit.data or "").strip(), direction=form.direction.data,
            amber_tolerance=form.amber_tolerance.data / 100), current_user)
        flash(_("KPI \u201c%(name)s\u201d added.", name=form.name.data.strip()), "success")
        return redirect(url_for("contracts.detail", contract_id=contract.id))
    return render_template("contracts/kpi.html", form=form, contract=contract)


@bp.route("/contracts/<int:contract_id>/kpis/<int:kpi_id>/remove", methods=["POST"])
@role_required("commissioner")
def remove_kpi(contract_id: int, kpi_id: int):
    contract = contract_or_404(contract_id)
    try:
        removed = services.remove_kpi(contract.id, kpi_id, current_user)
    except services.ContractError as error:
        flash(str(error), "error")
    else:
        flash(_("KPI removed.") if removed else _("That KPI was not found."),
              "success" if removed else "error")
    return redirect(url_for("contracts.detail", contract_id=contract.id))

