"""Staff forms of family feedback: a forum's own entry and the import of a file.

Kept apart from ``forms.py``, the public feedback form, whose every word is translated into
each language (tests/i18n_helpers.py ``PUBLIC_MODULES``); these are marked for translation
and shown in English like every staff page (docs/i18n.md). Choices that come from the
database (services, areas, forums) are set on the form by the route.
"""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput
from wtforms import (BooleanField, HiddenField, IntegerField, RadioField, SelectField,
                     StringField, SubmitField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..form_helpers import GovDate
from ..i18n import lazy_gettext as _l, translated_choices
from ..models.family import FORUM_SOURCE_KINDS, RESPONDENT_TYPES
from ..models.submissions import CHILD_AGE_BANDS
from ..widgets import GovCheckboxInput, GovRadioInput, GovSelect, GovSubmitInput, GovTextInput
from .forms import RATING_CHOICES, TOKEN, _BothTexts, _text_field


def _labels(table: dict) -> dict:
    """A table's labels (marked ``N_`` where the table is) as lazy translations."""
    return {key: _l(label) for key, label in table.items()}


class ForumEntryForm(_BothTexts, FlaskForm):
    token = HiddenField(validators=TOKEN)
    service = SelectField(_l("Service"), widget=GovSelect(),
                          validators=[DataRequired(_l("Select the service"))], choices={})
    respondent_type = RadioField(_l("Who gave the feedback?"), widget=GovRadioInput(),
                                 choices=translated_choices(_labels(RESPONDENT_TYPES)),
                                 default="parent_carer",
                                 validators=[InputRequired(_l("Select who gave the feedback"))])
    rating = RadioField(_l("Overall rating (optional)"), widget=GovRadioInput(),
                        choices=translated_choices(RATING_CHOICES), validators=[Optional()])
    went_well = _text_field(_l("What went well"), _l("The common themes, in families' words."))
    could_be_better = _text_field(_l("What could be better"),
                                  _l("The common themes, in families' words."))
    source_kind = RadioField(_l("Where was it gathered?"), widget=GovRadioInput(),
                             choices=translated_choices(_labels(FORUM_SOURCE_KINDS)),
                             validators=[InputRequired(
                                 _l("Select where the feedback was gathered"))])
    source_name = StringField(_l("Name of the event, survey or meeting (optional)"),
                              widget=GovTextInput(),
                              validators=[Optional(), Length(max=200, message=_l(
                                  "Name of the event must be 200 characters or fewer"))])
    source_date = GovDate(_l("Date it was gathered"), description=_l("For example, 27 3 2026"),
                          required=_l("Enter the date it was gathered, like 27 3 2026"),
                          past_only=True, earliest=date(2000, 1, 1))
    families_represented = IntegerField(
        _l("How many families does this feedback speak for?"), widget=GovTextInput(),
        validators=[InputRequired(_l("Enter how many families this feedback speaks for")),
                    NumberRange(min=1, max=10_000, message=_l(
                        "Number of families must be between 1 and 10,000"))])
    area = SelectField(_l("Area (optional)"), widget=GovSelect(), choices={},
                       validators=[Optional()])
    child_age_band = RadioField(_l("Age of the children (optional)"), widget=GovRadioInput(),
                                choices=translated_choices(_labels(CHILD_AGE_BANDS)),
                                validators=[Optional()])
    consent_collected = BooleanField(
        _l("The families agreed to their feedback being shared with commissioners"),
        widget=GovCheckboxInput(),
        validators=[DataRequired(
            _l("Confirm the families agreed to their feedback being shared"))])
    quote_consent = BooleanField(_l("They agreed to anonymised quotes"),
                                 widget=GovCheckboxInput())
    submit = SubmitField(_l("Submit feedback"), widget=GovSubmitInput())


class UploadForm(FlaskForm):
    file = FileField(_l("Upload a file"), widget=GovFileInput(),
                     description=_l("A CSV or Excel (.xlsx) file, up to 10 MB and 50,000 rows."),
                     validators=[FileRequired(_l("Select a CSV or Excel file")),
                                 FileAllowed(["csv", "xlsx", "txt"], _l(
                                     "The selected file must be a CSV or an Excel .xlsx file"))])
    forum = SelectField(_l("Which forum gathered this feedback?"), widget=GovSelect(),
                        choices={}, validators=[Optional()])
    submit = SubmitField(_l("Upload and check"), widget=GovSubmitInput())


class ImportConfirmForm(FlaskForm):
    consent_collected = BooleanField(
        _l("The families agreed to their feedback being shared with commissioners"),
        widget=GovCheckboxInput(),
        validators=[DataRequired(
            _l("Confirm the families agreed to their feedback being shared"))])
    submit = SubmitField(_l("Import the valid rows"), widget=GovSubmitInput())


def mapping_form(headers: list[str], fields, guessed: dict[str, int | None]):
    """A form with one select per field, listing the file's columns. Made for each request,
    so its words are translated there (``_``); the fields' labels and hints are marked
    (``N_``) in ``fields.py``."""
    choices = {"": _("Not in this file"), **{str(i): h for i, h in enumerate(headers)}}

    class MappingForm(FlaskForm):
        submit = SubmitField(_("Check every row"), widget=GovSubmitInput())

        def validate(self, extra_validators=None):
            ok = super().validate(extra_validators)
            used: dict[str, str] = {}
            for f in fields:
                field = self[f"col_{f.key}"]
                if field.data not in choices:
                    continue  # not a column of this file: the select has said so already
                if field.data and field.data in used:
                    field.errors.append(_("Each column can be used once: '%(column)s' is also "
                                          "%(field)s", column=headers[int(field.data)],
                                          field=used[field.data]))
                    ok = False
                elif field.data:
                    used[field.data] = _(f.label)
            if not self["col_went_well"].data and not self["col_could_be_better"].data:
                self["col_went_well"].errors.append(
                    _("Select the column for What went well or What could be better"))
                ok = False
            return ok

    for f in fields:
        default = "" if guessed.get(f.key) is None else str(guessed[f.key])
        validators = ([DataRequired(_("Select the column for %(label)s", label=_(f.label)))]
                      if f.required else [])
        setattr(MappingForm, f"col_{f.key}", SelectField(
            _(f.label), widget=GovSelect(), choices=choices, default=default,
            description=_(f.hint), validators=validators))
    return MappingForm
