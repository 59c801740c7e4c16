"""The ``contracts`` blueprint object and what its route modules share. The register
(``routes.py``), reviews and packs (``review_routes.py``) and ``flask contracts`` (``cli.py``)
are added to it."""
from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from ..permissions import Role, can_view_contract
from . import register

bp = Blueprint("contracts", __name__)
# Who may open the register, reviews and packs (providers only their own organisation's).
VIEW_ROLES = (Role.COMMISSIONER, Role.PROVIDER)


def contract_or_404(contract_id: int):
    """The contract, or 404 when it does not exist or the reader may not see it
    (another provider's contracts are not revealed)."""
    contract = register.get_contract(contract_id)
    if contract is None or not can_view_contract(current_user, contract):
        abort(404)
    return contract
