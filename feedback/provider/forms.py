"""The provider's reply form. The words are checked by ``replies.clean_body``, the one
home of the rule (empty, too long, control characters); the form only carries them."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextArea
from wtforms import BooleanField, SubmitField, TextAreaField

from ..widgets import GovCheckboxInput, GovSubmitInput


class ReplyForm(FlaskForm):
    body = TextAreaField("Your reply", widget=GovTextArea())
    sign = BooleanField("Sign the reply with my name (otherwise it is signed \u201cThe provider\u201d)",
                        widget=GovCheckboxInput())
    submit = SubmitField("Send reply for moderation", widget=GovSubmitInput())
