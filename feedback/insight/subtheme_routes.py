"""Sub-theme pages and their curation (blueprint ``insight``): parse, validate, call one
service, render or redirect."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..form_helpers import choices
from . import subtheme_curation, subthemes
from .curation import CurationError
from .forms import SubthemeMergeForm, SubthemeRenameForm, SubthemeSplitForm, ToggleForm
from .blueprint import bp, guard
from .blueprint import filters_from_request as _filters, query_args as _query_args


def _live(theme_id: int, subtheme_id: int):
    try:
        sub = subthemes.find(theme_id, subtheme_id)
    except LookupError:
        abort(404)
    if sub.merged_into_id is not None:
        abort(404)
    return sub


@bp.route("/insight/themes/<int:theme_id>/subthemes/<int:subtheme_id>")
@guard
def subtheme(theme_id: int, subtheme_id: int):
    _form, filters = _filters()
    try:
        page = subthemes.subtheme_page(theme_id, subtheme_id, filters, current_user)
    except LookupError:
        abort(404)
    return render_template("insight/subtheme.html", page=page, args=_query_args(),
                           toggle=ToggleForm())


@bp.route("/insight/themes/<int:theme_id>/subthemes/<int:subtheme_id>/rename",
          methods=["GET", "POST"])
@guard
def subtheme_rename(theme_id: int, subtheme_id: int):
    sub = _live(theme_id, subtheme_id)
    form = SubthemeRenameForm(data={"name": sub.name} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            subtheme_curation.rename_subtheme(theme_id, subtheme_id, form.name.data, current_user)
        except CurationError as exc:
            form.name.errors.append(str(exc))
        else:
            flash(_("Sub-theme renamed to \u201c%(name)s\u201d", name=" ".join(form.name.data.split())))
            return redirect(url_for(".subtheme", theme_id=theme_id, subtheme_id=subtheme_id))
    return render_template("insight/subtheme_curate.html", form=form, sub=sub, action="rename")


@bp.route("/insight/themes/<int:theme_id>/subthemes/<int:subtheme_id>/merge",
          methods=["GET", "POST"])
@guard
def subtheme_merge(theme_id: int, subtheme_id: int):
    sub = _live(theme_id, subtheme_id)
    form = SubthemeMergeForm()
    form.into.choices = choices([("", _("Select a sub-theme"))] + [
        (s.id, s.name) for s in subthemes.live_subthemes(theme_id) if s.id != subtheme_id])
    if form.validate_on_submit():
        into = int(form.into.data) if str(form.into.data).isdigit() else None
        try:
            target = subtheme_curation.merge_subthemes(theme_id, subtheme_id, into, current_user)
        except CurationError as exc:
            form.into.errors.append(str(exc))
        else:
            flash(_("\u201c%(name)s\u201d merged into \u201c%(into)s\u201d", name=sub.name,
                    into=target.name))
            return redirect(url_for(".subtheme", theme_id=theme_id, subtheme_id=target.id))
    return render_template("insight/subtheme_curate.html", form=form, sub=sub, action="merge")


@bp.route("/insight/themes/<int:theme_id>/subthemes/<int:subtheme_id>/split",
          methods=["GET", "POST"])
@guard
def subtheme_split(theme_id: int, subtheme_id: int):
    sub = _live(theme_id, subtheme_id)
    form = SubthemeSplitForm()
    form.items.choices = choices(subtheme_curation.subtheme_items(subtheme_id))
    if form.validate_on_submit():
        try:
            new = subtheme_curation.split_subtheme(theme_id, subtheme_id, form.items.data,
                                                   form.name.data, current_user)
        except CurationError as exc:
            getattr(form, exc.field).errors.append(str(exc))
        else:
            flash(_("Items moved to the new sub-theme \u201c%(name)s\u201d", name=new.name))
            return redirect(url_for(".subtheme", theme_id=theme_id, subtheme_id=new.id))
    return render_template("insight/subtheme_curate.html", form=form, sub=sub, action="split")


@bp.route("/insight/themes/<int:theme_id>/subthemes/<int:subtheme_id>/hide", methods=["POST"])
@guard
def subtheme_hide(theme_id: int, subtheme_id: int):
    sub = _live(theme_id, subtheme_id)
    if ToggleForm().validate_on_submit():
        subtheme_curation.set_subtheme_hidden(theme_id, subtheme_id, not sub.hidden, current_user)
        flash(_("Sub-theme hidden from the theme page") if sub.hidden
              else _("Sub-theme shown on the theme page"))
    return redirect(url_for(".subtheme", theme_id=theme_id, subtheme_id=subtheme_id))
