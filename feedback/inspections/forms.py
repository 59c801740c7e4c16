"""Forms of Young Inspectors' reports. The rules (lengths, names, dates in the future,
control characters) live in ``services``; the forms carry the answers and catch what is
missing or not a number. The report form gets one radio group per standard in use
(``report_form``)."""
from __future__ import annotations

from flask_babel import gettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (GovCharacterCount, GovFileInput,
                                                GovTextArea, GovTextInput)
from wtforms import (BooleanField, HiddenField, IntegerField, RadioField, SelectField,
                     StringField, SubmitField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Regexp, ValidationError

from ..form_helpers import GovDate
from ..i18n import lazy_gettext as _l
from ..models.inspections import (MAX_INSPECTORS, MAX_STANDARD_DESCRIPTION, MAX_STANDARD_NAME,
                                  NOT_SCORED, SCORES)
from ..widgets import GovCheckboxInput, GovRadioInput, GovSelect, GovSubmitInput

TOKEN = [DataRequired(_l("This form has expired. Send it again")),
         Regexp(r"^[A-Za-z0-9_-]{20,64}$", message=_l("This form has expired. Send it again"))]
NOT_SCORED_VALUE = "0"
SCORE_CHOICES = {**{str(k): f"{k} - {v}" for k, v in SCORES.items()}, NOT_SCORED_VALUE: NOT_SCORED}


class _CountField(IntegerField):
    """A whole number, with a plain message when it is not one."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Enter how many young inspectors took part, as a number, "
                                "like 6")) from None


class _InspectionForm(FlaskForm):
    token = HiddenField(validators=TOKEN)
    service = SelectField(_l("Which service did they inspect?"), widget=GovSelect(), choices={},
                          validators=[DataRequired(_l("Select the service that was inspected"))])
    visit_date = GovDate(_l("Date of the visit"),
                         required=_l("Enter the date of the visit, like 27 3 2026"),
                         description=_l("For example, 27 3 2026"))
    group_name = StringField(_l("Youth group"), widget=GovTextInput(),
                             description=_l("The name of the group, such as \u201cEpsom Young "
                                            "Inspectors\u201d. Do not name any young person."))
    inspectors = _CountField(
        _l("How many young inspectors took part?"), widget=GovTextInput(),
        description=_l("A number from 1 to %(most)s", most=MAX_INSPECTORS),
        validators=[InputRequired(_l("Enter how many young inspectors took part, as a number"))])
    what_was_good = TextAreaField(_l("What was good"), widget=GovCharacterCount(),
                                  description=_l("In the young inspectors' words."))
    should_change = TextAreaField(
        _l("What should change"), widget=GovTextArea(),
        description=_l("One thing a line. Each becomes an item that is checked by a moderator "
                       "and then counted in the themes, with the source \u201cYoung "
                       "Inspectors\u201d."))
    not_names = BooleanField(_l("These are not the names of young people"),
                             description=_l("Tick this only if the check of names stopped you "
                                            "and the words it found are not anyone's name."),
                             widget=GovCheckboxInput())
    submit = SubmitField(_l("Save the report"), widget=GovSubmitInput())


class _ScoreField(RadioField):
    """A score: one of ``SCORE_CHOICES``, else the same message as when none is chosen."""

    def pre_validate(self, form):
        if self.data not in SCORE_CHOICES:
            raise ValidationError(gettext("Select a score for %(standard)s",
                                          standard=self.label.text))


def report_form(standards, service_choices: dict[str, str]):
    """The report form with one required radio group, ``score_<id>``, per standard."""
    class InspectionForm(_InspectionForm):
        pass

    score_choices = {**{str(k): f"{k} - {gettext(v)}" for k, v in SCORES.items()},
                     NOT_SCORED_VALUE: gettext(NOT_SCORED)}
    for standard in standards:
        setattr(InspectionForm, f"score_{standard.id}", _ScoreField(
            standard.name, widget=GovRadioInput(), choices=score_choices,
            description=standard.description,
            validators=[InputRequired(gettext("Select a score for %(standard)s",
                                              standard=standard.name))]))
    form = InspectionForm()
    form.service.choices = service_choices
    form.score_fields = [form[f"score_{s.id}"] for s in standards]
    return form


class StandardForm(FlaskForm):
    name = StringField(_l("Name"), widget=GovTextInput(),
                       description=_l("Up to %(count)s characters", count=MAX_STANDARD_NAME))
    description = TextAreaField(_l("What it looks at"), widget=GovTextArea(),
                                description=_l("Up to %(count)s characters. Young inspectors "
                                               "and providers read this.",
                                               count=MAX_STANDARD_DESCRIPTION))
    submit = SubmitField(_l("Save the standard"), widget=GovSubmitInput())


class ActionForm(FlaskForm):
    """A button that changes something (remove, bring back): CSRF only."""
    submit = SubmitField(_l("Confirm"), widget=GovSubmitInput())


class FileForm(FlaskForm):
    file = FileField(_l("Add a photo or PDF"), widget=GovFileInput(),
                     description=_l("A JPEG or PNG photo, or a PDF, up to 5 MB. Do not add "
                                    "photos in which a young person can be recognised."))
    submit = SubmitField(_l("Add the file"), widget=GovSubmitInput())


class ResponseForm(FlaskForm):
    response = TextAreaField(_l("Your response"), widget=GovCharacterCount(),
                             description=_l("What you will do about the report. Commissioners, "
                                            "the participation team and the review pack show "
                                            "it."))
    submit = SubmitField(_l("Save your response"), widget=GovSubmitInput())
