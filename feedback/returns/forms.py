"""Forms for returns. The values are checked by ``returns.values`` (through
``services.check``), the one home of the rules; these forms only carry the text."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovTextArea, GovTextInput
from wtforms import StringField, SubmitField, TextAreaField

from ..contracts.units import amount
from ..widgets import GovSubmitInput
from .values import unit_words


def return_form(contract, found, formdata=None):
    """One value and one narrative per KPI (``value_<id>``, ``narrative_<id>``), what was
    heard and changed, the two counts, and two buttons (save, submit)."""
    saved = {v.kpi_id: v for v in (found.values if found else [])}

    class ReturnForm(FlaskForm):
        heard = TextAreaField("What we heard from children and families this period",
                              widget=GovTextArea(),
                              description="What children, young people and families told you, "
                                          "and how you heard it. Do not name anyone.")
        changed = TextAreaField("What we changed", widget=GovTextArea(),
                                description="What you changed because of what you heard.")
        safeguarding_referrals = StringField("Safeguarding referrals made in the period",
                                             widget=GovTextInput(),
                                             description="A whole number, 0 if none.")
        complaints = StringField("Complaints received in the period", widget=GovTextInput(),
                                 description="A whole number, 0 if none.")
        save = SubmitField("Save as draft", widget=GovSubmitInput())
        submit_return = SubmitField("Submit return", widget=GovSubmitInput())

    for kpi in contract.kpis:
        row = saved.get(kpi.id)
        better = "higher is better" if kpi.direction == "higher" else "lower is better"
        setattr(ReturnForm, f"value_{kpi.id}", StringField(
            f"{kpi.name}", widget=GovTextInput(),
            description=f"Target {amount(kpi.target, kpi.unit)} ({better}). "
                        f"Enter {unit_words(kpi.unit)}.",
            default=None if row is None or row.value is None else _plain(row.value)))
        setattr(ReturnForm, f"narrative_{kpi.id}", TextAreaField(
            f"Narrative for {kpi.name}", widget=GovTextArea(),
            description="Required when the value misses its target: why, and what you are "
                        "doing about it.",
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
    reason = TextAreaField("What the provider needs to correct", widget=GovTextArea(),
                           description="The provider sees this on the return.")
    submit = SubmitField("Return for correction", widget=GovSubmitInput())


class AcceptForm(FlaskForm):
    submit = SubmitField("Accept return", widget=GovSubmitInput())


class FileForm(FlaskForm):
    file = FileField("Add a supporting file", widget=GovFileInput(),
                     description="A PDF, Word (.docx) or Excel (.xlsx) file, smaller than 8 MB.",
                     validators=[FileRequired("Select a PDF, Word or Excel file")])
    submit = SubmitField("Upload file", widget=GovSubmitInput())


class UploadForm(FlaskForm):
    file = FileField("Upload your completed form", widget=GovFileInput(),
                     description="The Excel (.xlsx) form downloaded from this page, filled in. "
                                 "Smaller than 2 MB.",
                     validators=[FileRequired("Select the completed Excel form")])
    submit = SubmitField("Upload and fill in my draft", widget=GovSubmitInput())


class RemoveFileForm(FlaskForm):
    submit = SubmitField("Remove", widget=GovSubmitInput())
