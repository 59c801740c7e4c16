"""The public family feedback form, and the pieces the staff forms share with it.

Every word here is translated into each language (tests/i18n_helpers.py ``PUBLIC_MODULES``);
the staff forms (a forum's entry, imports) are in ``staff_forms.py``. Choices that come from
the database (services, areas) are set on the form by the route
(``form.service.choices = ...``); the rest is fixed here. Messages follow the GOV.UK style.
"""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import (DataRequired, InputRequired, Length, Optional, Regexp,
                                ValidationError)

from ..i18n import lazy_gettext as _l, translated_choices
from ..widgets import GovCharacterCount, GovCheckboxInput, GovRadioInput, GovSelect, GovSubmitInput
from ..models.family import RATINGS, RESPONDENT_TYPES
from ..models.submissions import CHILD_AGE_BANDS
from .fields import MAX_TEXT

# Labels are lazy (feedback/i18n.py): the public feedback form shows them in the visitor's
# language; the staff forms that share them (staff_forms.py) stay English.
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
