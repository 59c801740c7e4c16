"""Forms for family feedback, forum submissions and imports.

Choices that come from the database (services, areas, forums) are set on the
form by the route (``form.service.choices = ...``); the rest is fixed here. Messages
follow the GOV.UK style.
"""
from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput
from wtforms import (BooleanField, HiddenField, IntegerField, RadioField, SelectField,
                     StringField, SubmitField, TextAreaField)
from wtforms.validators import (DataRequired, InputRequired, Length, NumberRange, Optional,
                                Regexp, ValidationError)

from ..form_helpers import GovDate
from ..i18n import lazy_gettext as _l, translated_choices
from ..widgets import (GovCharacterCount, GovCheckboxInput, GovRadioInput, GovSelect,
                       GovSubmitInput, GovTextInput)
from ..models.family import FORUM_SOURCE_KINDS, RATINGS, RESPONDENT_TYPES
from ..models.submissions import CHILD_AGE_BANDS
from .fields import MAX_TEXT

# Labels are lazy (feedback/i18n.py): the public feedback form shows them in the visitor's
# language; staff forms that share them stay English.
TOKEN = [DataRequired(_l("This form has expired. Send it again")),
         Regexp(r"^[A-Za-z0-9_-]{20,64}$", message=_l("This form has expired. Send it again"))]
RATING_CHOICES = {str(k): _l("%(number)s - %(words)s", number=k, words=_l(RATINGS[k]))
                  for k in (5, 4, 3, 2, 1)}
ETHNICITIES = {"": _l("Prefer not to say"),
               "asian": _l("Asian or Asian British"),
               "black": _l("Black, Black British, Caribbean or African"),
               "mixed": _l("Mixed or multiple ethnic groups"),
               "white": _l("White"),
               "other": _l("Another ethnic group")}
DISABILITY = {"yes": _l("Yes"), "no": _l("No"), "not_sure": _l("Not sure"),
              "prefer_not": _l("Prefer not to say")}


def _text_field(label: str, hint: str):
    return TextAreaField(
        label, widget=GovCharacterCount(),
        description=hint,
        validators=[Length(max=MAX_TEXT, message=_l(
            "%(label)s must be %(limit)s characters or fewer", label=label,
            limit=format(MAX_TEXT, ",")))])


class _BothTexts:
    """At least one of the two free-text answers."""

    def validate_could_be_better(self, field):
        if not (self.went_well.data or "").strip() and not (field.data or "").strip():
            raise ValidationError(_l("Enter what went well or what could be better"))


class FeedbackForm(_BothTexts, FlaskForm):
    token = HiddenField(validators=TOKEN)
    service = SelectField(_l("Which service is your feedback about?"), widget=GovSelect(),
                          validators=[DataRequired(_l("Select the service"))], choices={})
    respondent_type = RadioField(
        _l("Who is giving feedback?"), widget=GovRadioInput(),
        choices=translated_choices({key: _l(label)
                                    for key, label in RESPONDENT_TYPES.items()}),
        validators=[InputRequired(_l("Select who is giving feedback"))])
    rating = RadioField(_l("Overall, how was the service?"), widget=GovRadioInput(),
                        choices=translated_choices(RATING_CHOICES),
                        validators=[InputRequired(_l("Select how the service was overall"))])
    went_well = _text_field(_l("What went well"),
                            _l("Tell us what helped, and who made a difference."))
    could_be_better = _text_field(_l("What could be better"),
                                  _l("Tell us what did not work, or what would have helped."))
    ethnicity = SelectField(_l("Ethnic group (optional)"), widget=GovSelect(),
                            choices=translated_choices(ETHNICITIES), validators=[Optional()])
    disability_send = RadioField(
        _l("Does the child or young person have a disability or special educational needs "
           "(SEND)? (optional)"), widget=GovRadioInput(),
        choices=translated_choices(DISABILITY),
        validators=[Optional()])
    child_age_band = RadioField(_l("Age of the child or young person (optional)"),
                                widget=GovRadioInput(),
                                choices=translated_choices(
                                    {key: _l(label) for key, label in CHILD_AGE_BANDS.items()}),
                                validators=[Optional()])
    area = SelectField(_l("Where do you live? (optional)"), widget=GovSelect(), choices={},
                       validators=[Optional()])
    quote_consent = BooleanField(
        _l("You can quote my words without my name, once personal details are removed"),
        widget=GovCheckboxInput())
    submit = SubmitField(_l("Send feedback"), widget=GovSubmitInput())


class ForumEntryForm(_BothTexts, FlaskForm):
    token = HiddenField(validators=TOKEN)
    service = SelectField("Service", widget=GovSelect(),
                          validators=[DataRequired("Select the service")], choices={})
    respondent_type = RadioField("Who gave the feedback?", widget=GovRadioInput(),
                                 choices=dict(RESPONDENT_TYPES), default="parent_carer",
                                 validators=[InputRequired("Select who gave the feedback")])
    rating = RadioField("Overall rating (optional)", widget=GovRadioInput(),
                        choices=translated_choices(RATING_CHOICES), validators=[Optional()])
    went_well = _text_field("What went well", "The common themes, in families' words.")
    could_be_better = _text_field("What could be better",
                                  "The common themes, in families' words.")
    source_kind = RadioField("Where was it gathered?", widget=GovRadioInput(),
                             choices=dict(FORUM_SOURCE_KINDS),
                             validators=[InputRequired("Select where the feedback was gathered")])
    source_name = StringField("Name of the event, survey or meeting (optional)",
                              widget=GovTextInput(),
                              validators=[Optional(), Length(max=200, message=(
                                  "Name of the event must be 200 characters or fewer"))])
    source_date = GovDate("Date it was gathered", description="For example, 27 3 2026",
                          required="Enter the date it was gathered, like 27 3 2026",
                          past_only=True, earliest=date(2000, 1, 1))
    families_represented = IntegerField(
        "How many families does this feedback speak for?", widget=GovTextInput(),
        validators=[InputRequired("Enter how many families this feedback speaks for"),
                    NumberRange(min=1, max=10_000, message=(
                        "Number of families must be between 1 and 10,000"))])
    area = SelectField("Area (optional)", widget=GovSelect(), choices={}, validators=[Optional()])
    child_age_band = RadioField("Age of the children (optional)", widget=GovRadioInput(),
                                choices=dict(CHILD_AGE_BANDS), validators=[Optional()])
    consent_collected = BooleanField(
        "The families agreed to their feedback being shared with commissioners",
        widget=GovCheckboxInput(),
        validators=[DataRequired("Confirm the families agreed to their feedback being shared")])
    quote_consent = BooleanField("They agreed to anonymised quotes", widget=GovCheckboxInput())
    submit = SubmitField("Submit feedback", widget=GovSubmitInput())


class UploadForm(FlaskForm):
    file = FileField("Upload a file", widget=GovFileInput(),
                     description="A CSV or Excel (.xlsx) file, up to 10 MB and 50,000 rows.",
                     validators=[FileRequired("Select a CSV or Excel file"),
                                 FileAllowed(["csv", "xlsx", "txt"],
                                             "The selected file must be a CSV or an Excel .xlsx file")])
    forum = SelectField("Which forum gathered this feedback?", widget=GovSelect(), choices={},
                        validators=[Optional()])
    submit = SubmitField("Upload and check", widget=GovSubmitInput())


class ImportConfirmForm(FlaskForm):
    consent_collected = BooleanField(
        "The families agreed to their feedback being shared with commissioners",
        widget=GovCheckboxInput(),
        validators=[DataRequired("Confirm the families agreed to their feedback being shared")])
    submit = SubmitField("Import the valid rows", widget=GovSubmitInput())


def mapping_form(headers: list[str], fields, guessed: dict[str, int | None]):
    """A form with one select per field, listing the file's columns."""
    choices = {"": "Not in this file", **{str(i): h for i, h in enumerate(headers)}}

    class MappingForm(FlaskForm):
        submit = SubmitField("Check every row", widget=GovSubmitInput())

        def validate(self, extra_validators=None):
            ok = super().validate(extra_validators)
            used: dict[str, str] = {}
            for f in fields:
                field = self[f"col_{f.key}"]
                if field.data not in choices:
                    continue  # not a column of this file: the select has said so already
                if field.data and field.data in used:
                    field.errors.append(f"Each column can be used once: "
                                        f"'{headers[int(field.data)]}' is also {used[field.data]}")
                    ok = False
                elif field.data:
                    used[field.data] = f.label
            if not self["col_went_well"].data and not self["col_could_be_better"].data:
                self["col_went_well"].errors.append(
                    "Select the column for What went well or What could be better")
                ok = False
            return ok

    for f in fields:
        default = "" if guessed.get(f.key) is None else str(guessed[f.key])
        validators = [DataRequired(f"Select the column for {f.label}")] if f.required else []
        setattr(MappingForm, f"col_{f.key}", SelectField(
            f.label, widget=GovSelect(), choices=choices, default=default,
            description=f.hint, validators=validators))
    return MappingForm
