"""Staff forms for moderation and safeguarding decisions."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextArea
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..i18n import lazy_gettext as _l, translated_choices
from ..widgets import GovRadioInput, GovSubmitInput
from ..models.submissions import SAFEGUARDING_OUTCOMES, SAFEGUARDING_RELEASES


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("Why are you rejecting it?"), widget=GovTextArea(),
                           validators=[DataRequired(_l("Enter why you are rejecting it")),
                                       Length(max=2000, message=_l("The reason must be 2,000 "
                                                                   "characters or fewer"))])
    submit = SubmitField(_l("Reject"), widget=GovSubmitInput())


class ReferForm(FlaskForm):
    refer_reason = TextAreaField(
        _l("Why are you referring it to the safeguarding lead?"), widget=GovTextArea(),
        validators=[DataRequired(_l("Enter why you are referring it to the safeguarding lead")),
                    Length(max=2000, message=_l("The reason must be 2,000 characters or fewer"))])
    submit = SubmitField(_l("Refer to safeguarding lead"), widget=GovSubmitInput())


class RedactionForm(FlaskForm):
    """Fields are added per kind in ``redaction_form``. The page's Save
    redactions and Approve buttons both send this form, so an approval carries
    the text in the box the moderator last saw."""
    submit = SubmitField(_l("Save redactions"), widget=GovSubmitInput())


def redaction_form(fields, item):
    """A RedactionForm with one textarea per redacted field of ``item``; a
    field never redacted yet shows the automatic redaction approval would use."""
    from ..redaction import redact
    class Form(RedactionForm):
        pass
    for label, _original, redacted in fields:
        setattr(Form, redacted, TextAreaField(
            _("%(label)s (redacted, as published)", label=_(label)), widget=GovTextArea(),
            validators=[Length(max=5000, message=_l("The redacted text must be 5,000 "
                                                    "characters or fewer"))]))
    data = {redacted: getattr(item, redacted) if getattr(item, redacted) is not None
            else redact(getattr(item, original) or "") for _label, original, redacted in fields}
    return Form(data=data)  # on POST the submitted values win


class SafeguardingForm(FlaskForm):
    outcome = RadioField(_l("What was done?"), widget=GovRadioInput(),
                         choices=translated_choices(
                             {k: _l(v) for k, v in SAFEGUARDING_OUTCOMES.items()}),
                         validators=[InputRequired(_l("Select what was done"))])
    note = TextAreaField(_l("Note"), widget=GovTextArea(),
                         validators=[DataRequired(_l("Enter a note about what was done")),
                                     Length(max=4000, message=_l("The note must be 4,000 "
                                                                 "characters or fewer"))])
    # A post without it (an older page) keeps the words private: the default.
    release = RadioField(
        _l("After a no concern or handled decision"), widget=GovRadioInput(),
        choices=translated_choices({k: _l(v) for k, v in SAFEGUARDING_RELEASES.items()}),
        default="private",
        validators=[Optional()])
    submit = SubmitField(_l("Save decision"), widget=GovSubmitInput())


class ReplyDecisionForm(FlaskForm):
    """A moderator's decision on a provider's reply: approve the redacted words, or reject."""
    body_redacted = TextAreaField(_l("Redacted reply (this is what is published)"),
                                  widget=GovTextArea())
    reason = TextAreaField(_l("If you reject it, why?"), widget=GovTextArea(),
                           validators=[Length(max=2000, message=_l("The reason must be 2,000 "
                                                                "characters or fewer"))])


class ReplyLeadForm(FlaskForm):
    decision = RadioField(_l("What should happen to this reply?"), widget=GovRadioInput(),
                          choices=translated_choices({
                              "release": _l("Release to moderation"),
                              "private": _l("Keep private (never published)")}),
                          validators=[InputRequired(_l("Choose whether to release the reply or "
                                                    "keep it private"))])
    submit = SubmitField(_l("Save decision"), widget=GovSubmitInput())
