"""The ``insight`` blueprint object and what its route modules share: the commissioners'
guard and the filter form read from the query string. Insight pages (``routes.py``),
sub-theme pages (``subtheme_routes.py``) and ``flask analysis run|classify`` (``cli.py``)
are added to it."""
from __future__ import annotations

from flask import Blueprint, request

from .. import clock
from ..permissions import INSIGHT_ROLES, role_required
from ..form_helpers import choices
from . import services
from .forms import FilterForm

bp = Blueprint("insight", __name__, cli_group="analysis")
guard = role_required(*INSIGHT_ROLES)


def today():
    return clock.today()


def filters_from_request():
    """The filter form from the query string, and the ``Filters`` it describes."""
    form = FilterForm(request.args)
    for name, pairs in services.filter_choices().items():
        getattr(form, name).choices = choices(pairs)
    values = {name: getattr(form, name).data for name in
              ("period", "service", "provider", "contract", "thematic_area", "area", "source",
               "cohort", "age_band", "rating", "collected")}
    if request.args and not form.validate():
        values = {k: (v if not getattr(form, k).errors else "") for k, v in values.items()}
    return form, services.filters_from(values, today())


def query_args() -> dict:
    return {k: v for k, v in request.args.items() if v and k != "submit"}
