"""Forms for the insight dashboard, theme curation, runs and answering."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovTextArea, GovTextInput
from wtforms import (RadioField, SelectField, SelectMultipleField, StringField, SubmitField,
                     TextAreaField)
from wtforms.validators import DataRequired, Length, Optional

from ..i18n import lazy_gettext as _l, translated_choices
from ..widgets import GovCheckboxesInput, GovRadioInput, GovSelect, GovSubmitInput
from ..models.family import RATINGS
from ..models.services import THEMATIC_AREAS
from ..models.submissions import COHORTS, STATUSES
from .filters import AGE_BAND_CHOICES, COLLECTED_CHOICES, PERIODS, SOURCES

RESPONSE_MAX = 1000


ANY = {"": _l("Any")}


def _labels(table: dict, first: dict | None = None):
    """A table's (value: label) pairs as choices whose labels are translated when the form
    is made (the tables' labels are marked where they are kept)."""
    return translated_choices({**(first or {}), **{k: _l(v) for k, v in table.items()}})


class FilterForm(FlaskForm):
    """GET filters: no CSRF (it changes nothing); choices set by ``filter_form``."""

    class Meta:
        csrf = False

    period = SelectField(_l("Period"), widget=GovSelect(), choices=_labels(PERIODS),
                         default="quarter", validators=[Optional()])
    service = SelectField(_l("Service"), widget=GovSelect(), choices=_labels({}, ANY),
                          validators=[Optional()])
    provider = SelectField(_l("Provider"), widget=GovSelect(), choices=_labels({}, ANY),
                           validators=[Optional()])
    contract = SelectField(_l("Contract"), widget=GovSelect(), choices=_labels({}, ANY),
                           validators=[Optional()])
    thematic_area = SelectField(_l("Thematic area"), widget=GovSelect(),
                                choices=_labels(THEMATIC_AREAS, ANY), validators=[Optional()])
    area = SelectField(_l("District or borough"), widget=GovSelect(), choices=_labels({}, ANY),
                       validators=[Optional()])
    source = SelectField(_l("Source"), widget=GovSelect(), choices=_labels(SOURCES, ANY),
                         validators=[Optional()])
    cohort = SelectField(_l("Cohort"), widget=GovSelect(), choices=_labels(COHORTS, ANY),
                         validators=[Optional()])
    age_band = SelectField(_l("Age"), widget=GovSelect(), choices=_labels(AGE_BAND_CHOICES, ANY),
                           validators=[Optional()])
    rating = SelectField(_l("Rating (family feedback)"), widget=GovSelect(),
                         choices=_labels({str(k): v for k, v in RATINGS.items()}, ANY),
                         validators=[Optional()])
    collected = SelectField(_l("Who collected it"), widget=GovSelect(),
                            choices=_labels(COLLECTED_CHOICES, {"": _l("All")}),
                            validators=[Optional()])
    submit = SubmitField(_l("Apply filters"), widget=GovSubmitInput())


class RenameForm(FlaskForm):
    name = StringField(_l("New name for this theme"), widget=GovTextInput(),
                       description=_l("Use words a commissioner or young person would recognise"),
                       validators=[DataRequired(_l("Enter a name for the theme")),
                                   Length(max=200, message=_l("The name must be 200 characters or fewer"))])
    submit = SubmitField(_l("Save name"), widget=GovSubmitInput())


class MergeForm(FlaskForm):
    into = SelectField(_l("Merge this theme into"), widget=GovSelect(), choices=[],
                       validators=[DataRequired(_l("Select the theme to merge into"))])
    submit = SubmitField(_l("Merge themes"), widget=GovSubmitInput())


class SplitForm(FlaskForm):
    items = SelectMultipleField(_l("Items to move to a new theme"), widget=GovCheckboxesInput(),
                                choices=[], validators=[DataRequired(_l("Select at least one item to move"))])
    name = StringField(_l("Name of the new theme"), widget=GovTextInput(),
                       validators=[DataRequired(_l("Enter a name for the new theme")),
                                   Length(max=200, message=_l("The name must be 200 characters or fewer"))])
    submit = SubmitField(_l("Move to a new theme"), widget=GovSubmitInput())


class SubthemeRenameForm(FlaskForm):
    name = StringField(_l("New name for this sub-theme"), widget=GovTextInput(),
                       description=_l("Use words a commissioner or young person would recognise"),
                       validators=[DataRequired(_l("Enter a name for the sub-theme")),
                                   Length(max=200, message=_l("The name must be 200 characters or fewer"))])
    submit = SubmitField(_l("Save name"), widget=GovSubmitInput())


class SubthemeMergeForm(FlaskForm):
    into = SelectField(_l("Merge this sub-theme into"), widget=GovSelect(), choices=[],
                       validators=[DataRequired(_l("Select the sub-theme to merge into"))])
    submit = SubmitField(_l("Merge sub-themes"), widget=GovSubmitInput())


class SubthemeSplitForm(FlaskForm):
    items = SelectMultipleField(_l("Items to move to a new sub-theme"), widget=GovCheckboxesInput(),
                                choices=[], validators=[DataRequired(_l("Select at least one item to move"))])
    name = StringField(_l("Name of the new sub-theme"), widget=GovTextInput(),
                       validators=[DataRequired(_l("Enter a name for the new sub-theme")),
                                   Length(max=200, message=_l("The name must be 200 characters or fewer"))])
    submit = SubmitField(_l("Move to a new sub-theme"), widget=GovSubmitInput())


class ToggleForm(FlaskForm):
    """Hide/show and reviewed buttons: the button is the whole form."""
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class RunForm(FlaskForm):
    submit = SubmitField(_l("Start a full re-run"), widget=GovSubmitInput())


class AnswerForm(FlaskForm):
    status = RadioField(_l("What is happening now?"), widget=GovRadioInput(),
                        choices=translated_choices({k: _l(v) for k, v in STATUSES.items()
                                                    if k != "received"}),
                        validators=[DataRequired(_l("Select what is happening now"))])
    reason = TextAreaField(_l("Why is it not possible?"), widget=GovTextArea(),
                           description=_l("Young people and families will read it."),
                           validators=[Length(max=RESPONSE_MAX,
                                              message=_l("The reason must be 1,000 characters or fewer"))])
    response = TextAreaField(_l("Your answer in plain English"), widget=GovCharacterCount(),
                             description=_l("Young people and families will read this. Say what you "
                                            "did or will do, and when. Do not include names."),
                             validators=[Length(max=RESPONSE_MAX,
                                                message=_l("Your answer must be 1,000 characters or fewer"))])
    submit = SubmitField(_l("Save answer"), widget=GovSubmitInput())


class BulkAnswerForm(AnswerForm):
    cards = SelectMultipleField(_l("Cards to answer"), widget=GovCheckboxesInput(), choices=[],
                                validators=[DataRequired(_l("Select at least one card to answer"))])
