"""Forms for the insight dashboard, theme curation, runs and answering."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovTextArea, GovTextInput
from wtforms import (RadioField, SelectField, SelectMultipleField, StringField, SubmitField,
                     TextAreaField)
from wtforms.validators import DataRequired, Length, Optional

from ..form_helpers import choices
from ..widgets import GovCheckboxesInput, GovRadioInput, GovSelect, GovSubmitInput
from ..models.family import RATINGS
from ..models.services import THEMATIC_AREAS
from ..models.submissions import COHORTS, STATUSES
from .filters import AGE_BAND_CHOICES, COLLECTED_CHOICES, PERIODS, SOURCES

RESPONSE_MAX = 1000


ANY = [("", "Any")]


class FilterForm(FlaskForm):
    """GET filters: no CSRF (it changes nothing); choices set by ``filter_form``."""

    class Meta:
        csrf = False

    period = SelectField("Period", widget=GovSelect(), choices=choices(PERIODS.items()),
                         default="quarter", validators=[Optional()])
    service = SelectField("Service", widget=GovSelect(), choices=choices(ANY), validators=[Optional()])
    provider = SelectField("Provider", widget=GovSelect(), choices=choices(ANY), validators=[Optional()])
    contract = SelectField("Contract", widget=GovSelect(), choices=choices(ANY), validators=[Optional()])
    thematic_area = SelectField("Thematic area", widget=GovSelect(),
                                choices=choices(ANY + list(THEMATIC_AREAS.items())), validators=[Optional()])
    area = SelectField("District or borough", widget=GovSelect(), choices=choices(ANY),
                       validators=[Optional()])
    source = SelectField("Source", widget=GovSelect(), choices=choices(ANY + list(SOURCES.items())),
                         validators=[Optional()])
    cohort = SelectField("Cohort", widget=GovSelect(), choices=choices(ANY + list(COHORTS.items())),
                         validators=[Optional()])
    age_band = SelectField("Age", widget=GovSelect(), choices=choices(ANY + list(AGE_BAND_CHOICES.items())),
                           validators=[Optional()])
    rating = SelectField("Rating (family feedback)", widget=GovSelect(),
                         choices=choices(ANY + [(str(k), v) for k, v in RATINGS.items()]),
                         validators=[Optional()])
    collected = SelectField("Who collected it", widget=GovSelect(),
                            choices=choices([("", "All")] + list(COLLECTED_CHOICES.items())),
                            validators=[Optional()])
    submit = SubmitField("Apply filters", widget=GovSubmitInput())


class RenameForm(FlaskForm):
    name = StringField("New name for this theme", widget=GovTextInput(),
                       description="Use words a commissioner or young person would recognise",
                       validators=[DataRequired("Enter a name for the theme"),
                                   Length(max=200, message="The name must be 200 characters or fewer")])
    submit = SubmitField("Save name", widget=GovSubmitInput())


class MergeForm(FlaskForm):
    into = SelectField("Merge this theme into", widget=GovSelect(), choices=[],
                       validators=[DataRequired("Select the theme to merge into")])
    submit = SubmitField("Merge themes", widget=GovSubmitInput())


class SplitForm(FlaskForm):
    items = SelectMultipleField("Items to move to a new theme", widget=GovCheckboxesInput(),
                                choices=[], validators=[DataRequired("Select at least one item to move")])
    name = StringField("Name of the new theme", widget=GovTextInput(),
                       validators=[DataRequired("Enter a name for the new theme"),
                                   Length(max=200, message="The name must be 200 characters or fewer")])
    submit = SubmitField("Move to a new theme", widget=GovSubmitInput())


class SubthemeRenameForm(FlaskForm):
    name = StringField("New name for this sub-theme", widget=GovTextInput(),
                       description="Use words a commissioner or young person would recognise",
                       validators=[DataRequired("Enter a name for the sub-theme"),
                                   Length(max=200, message="The name must be 200 characters or fewer")])
    submit = SubmitField("Save name", widget=GovSubmitInput())


class SubthemeMergeForm(FlaskForm):
    into = SelectField("Merge this sub-theme into", widget=GovSelect(), choices=[],
                       validators=[DataRequired("Select the sub-theme to merge into")])
    submit = SubmitField("Merge sub-themes", widget=GovSubmitInput())


class SubthemeSplitForm(FlaskForm):
    items = SelectMultipleField("Items to move to a new sub-theme", widget=GovCheckboxesInput(),
                                choices=[], validators=[DataRequired("Select at least one item to move")])
    name = StringField("Name of the new sub-theme", widget=GovTextInput(),
                       validators=[DataRequired("Enter a name for the new sub-theme"),
                                   Length(max=200, message="The name must be 200 characters or fewer")])
    submit = SubmitField("Move to a new sub-theme", widget=GovSubmitInput())


class ToggleForm(FlaskForm):
    """Hide/show and reviewed buttons: the button is the whole form."""
    submit = SubmitField("Save", widget=GovSubmitInput())


class RunForm(FlaskForm):
    submit = SubmitField("Start a full re-run", widget=GovSubmitInput())


class AnswerForm(FlaskForm):
    status = RadioField("What is happening now?", widget=GovRadioInput(),
                        choices=choices((k, v) for k, v in STATUSES.items() if k != "received"),
                        validators=[DataRequired("Select what is happening now")])
    reason = TextAreaField("Why is it not possible?", widget=GovTextArea(),
                           description="Needed when you choose \"Not possible\". Young people will read it.",
                           validators=[Length(max=RESPONSE_MAX,
                                              message="The reason must be 1,000 characters or fewer")])
    response = TextAreaField("Your answer in plain English", widget=GovCharacterCount(),
                             description="Young people and families will read this. Say what you did "
                                         "or will do, and when. Do not include names.",
                             validators=[Length(max=RESPONSE_MAX,
                                                message="Your answer must be 1,000 characters or fewer")])
    submit = SubmitField("Save answer", widget=GovSubmitInput())


class BulkAnswerForm(AnswerForm):
    cards = SelectMultipleField("Cards to answer", widget=GovCheckboxesInput(), choices=[],
                                validators=[DataRequired("Select at least one card to answer")])
