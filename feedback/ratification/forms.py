"""Forms of the youth panel pages (GOV.UK widgets, CSRF on). The words are checked by
``services`` (empty, too long, control characters); the forms carry them."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovTextInput
from wtforms import IntegerField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import Optional

from ..form_helpers import GovDate
from ..i18n import lazy_gettext as _l, translated_choices
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
            raise ValueError(_l("Enter how many young people took part, as a whole number, "
                                "like 12")) from exc


class SessionForm(FlaskForm):
    held_on = GovDate(_l("Date the panel met"), required=_l("Enter the date the panel met"),
                      description=_l("For example, 14 7 2026"))
    group_name = StringField(_l("Group"), widget=GovTextInput(),
                             description=_l("For example, Youth Council or Children in Care "
                                            "Council. Do not name any young person."),
                             render_kw={"maxlength": MAX_GROUP})
    young_people = WholeNumber(_l("How many young people took part"), widget=GovTextInput(),
                               validators=[Optional()])
    submit = SubmitField(_l("Record the session"), widget=GovSubmitInput())


class VerdictForm(FlaskForm):
    verdict = RadioField(_l("What did the young people say?"), widget=GovRadioInput(),
                         choices=translated_choices({
                             "agreed": _l("Agreed: it says what they meant"),
                             "changed": _l("Changed: they would put it another way"),
                             "disputed": _l("Disputed: they do not agree with it")}),
                         validators=[Optional()], validate_choice=False)
    wording = TextAreaField(_l("If changed: how the young people would put it"),
                            widget=GovCharacterCount(),
                            description=_l("Kept beside the original, which does not change."))
    reason = TextAreaField(_l("If disputed: their reason"), widget=GovCharacterCount())
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class WaiverForm(FlaskForm):
    reason = TextAreaField(_l("Why could a youth panel not check this period?"),
                           widget=GovCharacterCount(),
                           description=_l("This is kept in the audit log with your name. It "
                                          "lets the period's answers be published and its "
                                          "packs be final without a panel's check."))
    submit = SubmitField(_l("Record the reason"), widget=GovSubmitInput())


MAX_LENGTHS = {"wording": MAX_WORDING, "reason": MAX_WORDING}
