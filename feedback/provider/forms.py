"""The provider's reply form. The words are checked by ``replies.clean_body``, the one
home of the rule (empty, too long, control characters); the form only carries them."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (GovCharacterCount, GovFileInput, GovTextArea,
                                                GovTextInput)
from wtforms import BooleanField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from ..contracts.action_updates import PROVIDER_STATUSES
from ..i18n import lazy_gettext as _l
from ..contracts.forms import optional_date
from ..widgets import GovCheckboxInput, GovRadioInput, GovSubmitInput


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Your reply"), widget=GovTextArea())
    sign = BooleanField(_l("Sign the reply with my name "
                           "(otherwise it is signed \u201cThe provider\u201d)"),
                        widget=GovCheckboxInput())
    submit = SubmitField(_l("Send reply for moderation"), widget=GovSubmitInput())


class ActionUpdateForm(FlaskForm):
    """A provider's update to an agreed action. The rules (required reason for a new date,
    the evidence file's size and kind, the note's length and characters) are checked by
    ``contracts.action_updates``, their one home; the form carries the input."""

    status = RadioField(_l("Where is the action now?"), widget=GovRadioInput(),
                        choices=[SelectChoice(k, _l(v)) for k, v in PROVIDER_STATUSES.items()],
                        invalid_choice_message=_l("Select where the action is now"),
                        validators=[DataRequired(_l("Select where the action is now"))])
    note = TextAreaField(_l("Progress note"), widget=GovCharacterCount(),
                         description=_l("What has been done since the last update. If you say "
                                        "it is completed, say what was done."))
    new_due_date = optional_date(
        _l("New due date (optional)"),
        _l("Only if the date agreed has to change. For example, 27 3 2027"))
    due_reason = TextAreaField(_l("Why the date has to change"), widget=GovTextArea(),
                               description=_l("Needed if you give a new due date"))
    evidence_url = StringField(_l("Link to evidence (optional)"), widget=GovTextInput(),
                               description=_l("For example, a page on your website or a "
                                              "shared document, starting with https://"))
    evidence_file = FileField(_l("Evidence file (optional)"), widget=GovFileInput(),
                              description=_l("A PDF, Word, Excel, PNG or JPEG file, up to 5 MB"))
    submit = SubmitField(_l("Save update"), widget=GovSubmitInput())
