"""Forms for returns. The values are checked by ``returns.values`` (through
``checks.check``), the one home of the rules; these forms only carry the text."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovTextArea, GovTextInput
from wtforms import StringField, SubmitField, TextAreaField

from ..contracts.units import amount
from ..i18n import lazy_gettext as _l
from ..widgets import GovSubmitInput
from .values import unit_words


def return_form(contract, found, formdata=None):
    """One value and one narrative per KPI (``value_<id>``, ``narrative_<id>``), what was
    heard and changed, the two counts, and two buttons (save, submit)."""
    saved = {v.kpi_id: v for v in (found.values if found else [])}

    class ReturnForm(FlaskForm):
        heard = TextAreaField(_l("What we heard from children and families this period"),
                              widget=GovTextArea(),
                              description=_l("What children, young people and families told "
                                             "you, and how you heard it. Do not name anyone."))
        changed = TextAreaField(_l("What we changed"), widget=GovTextArea(),
                                description=_l("What you changed because of what you heard."))
        safeguarding_referrals = StringField(_l("Safeguarding referrals made in the period"),
                                             widget=GovTextInput(),
                                             description=_l("A whole number, 0 if none."))
        complaints = StringField(_l("Complaints received in the period"), widget=GovTextInput(),
                                 description=_l("A whole number, 0 if none."))
        save = SubmitField(_l("Save as draft"), widget=GovSubmitInput())
        submit_return = SubmitField(_l("Submit return"), widget=GovSubmitInput())

    for kpi in contract.kpis:
        row = saved.get(kpi.id)
        target, unit = amount(kpi.target, kpi.unit), unit_words(kpi.unit)
        setattr(ReturnForm, f"value_{kpi.id}", StringField(
            f"{kpi.name}", widget=GovTextInput(),
            description=_l("Target %(target)s (higher is better). Enter %(unit)s.",
                           target=target, unit=unit) if kpi.direction == "higher"
            else _l("Target %(target)s (lower is better). Enter %(unit)s.",
                    target=target, unit=unit),
            default=None if row is None or row.value is None else _plain(row.value)))
        setattr(ReturnForm, f"narrative_{kpi.id}", TextAreaField(
            _l("Narrative for %(kpi)s", kpi=kpi.name), widget=GovTextArea(),
            description=_l("Required when the value misses its target: why, and what you are "
                           "doing about it."),
            default=row.narrative if row else None))
    if found is not None:
        defaults = {"heard": found.heard, "changed": found.changed,
                    "safeguarding_referrals": found.safeguarding_referrals,
                    "complaints": found.complaints}
        for name, value in defaults.items():
            getattr(ReturnForm, name).kwargs["default"] = None if value is None else str(value)
    return ReturnForm(formdata=formdata) if formdata is not None else ReturnForm()


def _plain(value) -> str:
    from ..contracts.units import number
    return number(value).replace(",", "")


class CorrectionForm(FlaskForm):
    reason = TextAreaField(_l("What the provider needs to correct"), widget=GovTextArea(),
                           description=_l("The provider sees this on the return."))
    submit = SubmitField(_l("Return for correction"), widget=GovSubmitInput())


class AcceptForm(FlaskForm):
    submit = SubmitField(_l("Accept return"), widget=GovSubmitInput())


class FileForm(FlaskForm):
    file = FileField(_l("Add a supporting file"), widget=GovFileInput(),
                     description=_l("A PDF, Word (.docx) or Excel (.xlsx) file, smaller than "
                                    "8 MB."),
                     validators=[FileRequired(_l("Select a PDF, Word or Excel file"))])
    submit = SubmitField(_l("Upload file"), widget=GovSubmitInput())


class UploadForm(FlaskForm):
    file = FileField(_l("Upload your completed form"), widget=GovFileInput(),
                     description=_l("The Excel (.xlsx) form downloaded from this page, filled "
                                    "in. Smaller than 2 MB."),
                     validators=[FileRequired(_l("Select the completed Excel form"))])
    submit = SubmitField(_l("Upload and fill in my draft"), widget=GovSubmitInput())


class RemoveFileForm(FlaskForm):
    submit = SubmitField(_l("Remove"), widget=GovSubmitInput())
