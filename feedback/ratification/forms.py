"""Forms of the youth panel pages (GOV.UK widgets, CSRF on). The words are checked by
``services`` (empty, too long, control characters); the forms carry them."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovTextInput
from wtforms import IntegerField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import Optional

from ..form_helpers import GovDate
from ..models.panel import MAX_GROUP, MAX_WORDING
from ..widgets import GovRadioInput, GovSubmitInput


class WholeNumber(IntegerField):
    """A whole number whose "not a number" message follows GOV.UK style."""

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [str(valuelist[0]).replace(",", "").strip()]
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError("Enter how many young people took part, as a whole number, "
                             "like 12") from exc


class SessionForm(FlaskForm):
    held_on = GovDate("Date the panel met", required="Enter the date the panel met",
                      description="For example, 14 7 2026")
    group_name = StringField("Group", widget=GovTextInput(),
                             description="For example, Youth Council or Children in Care Council. "
                                         "Do not name any young person.",
                             render_kw={"maxlength": MAX_GROUP})
    young_people = WholeNumber("How many young people took part", widget=GovTextInput(),
                               validators=[Optional()])
    submit = SubmitField("Record the session", widget=GovSubmitInput())


class VerdictForm(FlaskForm):
    verdict = RadioField("What did the young people say?", widget=GovRadioInput(),
                         choices={"agreed": "Agreed: it says what they meant",
                                  "changed": "Changed: they would put it another way",
                                  "disputed": "Disputed: they do not agree with it"},
                         validators=[Optional()], validate_choice=False)
    wording = TextAreaField("If changed: how the young people would put it",
                            widget=GovCharacterCount(),
                            description="Kept beside the original, which does not change.")
    reason = TextAreaField("If disputed: their reason", widget=GovCharacterCount())
    submit = SubmitField("Save", widget=GovSubmitInput())


class WaiverForm(FlaskForm):
    reason = TextAreaField("Why could a youth panel not check this period?",
                           widget=GovCharacterCount(),
                           description="This is kept in the audit log with your name. It lets "
                                       "the period's answers be published and its packs be "
                                       "final without a panel's check.")
    submit = SubmitField("Record the reason", widget=GovSubmitInput())


MAX_LENGTHS = {"wording": MAX_WORDING, "reason": MAX_WORDING}
