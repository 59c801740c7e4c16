"""The baseline upload form (GOV.UK widgets, CSRF on). The file's rows are checked by
``services`` (the one home of the rules)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import Length

from ..i18n import lazy_gettext as _l
from ..widgets import GovSubmitInput


class BaselineUploadForm(FlaskForm):
    file = FileField(_l("Upload the baselines"), widget=GovFileInput(),
                     description=_l("A CSV or Excel (.xlsx) file with the columns Area, Cohort "
                                   "and Population, up to 1 MB. It replaces the baselines "
                                   "loaded now."),
                     validators=[FileRequired(_l("Select a CSV or Excel file")),
                                 FileAllowed(["csv", "xlsx", "txt"],
                                             _l("The selected file must be a CSV or an Excel "
                                                ".xlsx file"))])
    source = StringField(_l("Where the figures come from (optional)"), widget=GovTextInput(),
                         description=_l("For example, JSNA 2025 or DfE Children looked after "
                                        "2025"),
                         validators=[Length(max=200, message=_l("Where the figures come from "
                                                                "must be 200 characters or "
                                                                "fewer"))])
    submit = SubmitField(_l("Upload and check"), widget=GovSubmitInput())
