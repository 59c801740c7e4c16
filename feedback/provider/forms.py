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
from ..contracts.forms import optional_date
from ..widgets import GovCheckboxInput, GovRadioInput, GovSubmitInput


class ReplyForm(FlaskForm):
    body = TextAreaField("Your reply", widget=GovTextArea())
    sign = BooleanField("Sign the reply with my name (otherwise it is signed \u201cThe provider\u201d)",
                        widget=GovCheckboxInput())
    submit = SubmitField("Send reply for moderation", widget=GovSubmitInput())


class ActionUpdateForm(FlaskForm):
    """A provider's update to an agreed action. The rules (required reason for a new date,
    the evidence file's size and kind, the note's length and characters) are checked by
    ``contracts.action_updates``, their one home; the form carries the input."""

    status = RadioField("Where is the action now?", widget=GovRadioInput(),
                        choices=[SelectChoice(k, v) for k, v in PROVIDER_STATUSES.items()],
                        invalid_choice_message="Select where the action is now",
                        validators=[DataRequired("Select where the action is now")])
    note = TextAreaField("Progress note", widget=GovCharacterCount(),
                         description="What has been done since the last update. If you say it "
                                     "is completed, say what was done.")
    new_due_date = optional_date("New due date (optional)",
                                 "Only if the date agreed has to change. For example, 27 3 2027")
    due_reason = TextAreaField("Why the date has to change", widget=GovTextArea(),
                               description="Needed if you give a new due date")
    evidence_url = StringField("Link to evidence (optional)", widget=GovTextInput(),
                               description="For example, a page on your website or a shared "
                                           "document, starting with https://")
    evidence_file = FileField("Evidence file (optional)", widget=GovFileInput(),
                              description="A PDF, Word, Excel, PNG or JPEG file, up to 5 MB")
    submit = SubmitField("Save update", widget=GovSubmitInput())
