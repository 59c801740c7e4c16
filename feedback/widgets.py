"""GOV.UK form widgets for fields whose markup depends only on their choices.

Radios, checkboxes, selects and buttons are rendered by GOV.UK Frontend macros, the
costliest part of a public page (a list of 30 services as radios takes longer than the
rest of the page). Their HTML is a pure function of the widget's template and its
parameters (choice labels and values, which are checked, the legend, hint and error
message), so these subclasses of the ``govuk_frontend_wtf`` widgets keep the last
``CACHE_SIZE`` renderings per process and reuse them for the same parameters.

Only choice widgets are memoised: their parameters hold the labels the page shows anyway,
never what a person typed. Text inputs and character counts are not cached, so no one's words
are ever held in this cache; nor is a choice that reveals another field (a GOV.UK conditional
reveal: its HTML holds that field, and so what was typed in it).

Every widget here says the hidden "Error:" GOV.UK puts before a field's error message (what a
screen reader hears) in the page's language: the library leaves GOV.UK's English default.
Public forms take their widgets from here.
"""
from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from flask_babel import LazyString, gettext
from govuk_frontend_wtf import wtforms_widgets as gov
from markupsafe import Markup

from .i18n import locale_key

CACHE_SIZE = 512

_rendered: OrderedDict[tuple, Markup] = OrderedDict()
_lock = Lock()


def _freeze(value):
    """A hashable copy of widget parameters (dicts, lists, strings, numbers, booleans)."""
    if isinstance(value, dict):
        return tuple(sorted((str(k), _freeze(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, LazyString):
        value = str(value)  # a lazy_gettext label, in this request's language
    if value is None or isinstance(value, (str, int, float, bool)):
        return (type(value).__name__, value)  # Markup and str differ: one is escaped
    raise TypeError(f"unexpected widget parameter {type(value).__name__}")


class _ErrorInLanguage:
    """GOV.UK's error message starts with a hidden "Error:"; say it in the page's language."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        if params.get("errorMessage"):
            params["errorMessage"] = {**params["errorMessage"],
                                      "visuallyHiddenText": gettext("Error")}
        return params


class _Memoised:
    """Mixin for a ``GovFormBase`` widget: ``render(params)`` is cached by its parameters."""

    def render(self, params):
        if any(isinstance(item, dict) and item.get("conditional")
               for item in params.get("items") or ()):
            return super().render(params)
        try:
            key = (self.template, locale_key(), _freeze(params))
        except TypeError:
            return super().render(params)
        with _lock:
            html = _rendered.get(key)
            if html is not None:
                _rendered.move_to_end(key)
                return html
        html = super().render(params)
        with _lock:
            _rendered[key] = html
            while len(_rendered) > CACHE_SIZE:
                _rendered.popitem(last=False)
        return html


def clear_cache() -> None:
    with _lock:
        _rendered.clear()


class GovRadioInput(_ErrorInLanguage, _Memoised, gov.GovRadioInput):
    pass


class GovCheckboxesInput(_ErrorInLanguage, _Memoised, gov.GovCheckboxesInput):
    pass


class GovCheckboxInput(_ErrorInLanguage, _Memoised, gov.GovCheckboxInput):
    pass


class GovSelect(_ErrorInLanguage, _Memoised, gov.GovSelect):
    """A choice given as ``(value, label, render_kw)`` gets ``render_kw`` as its option's
    attributes (``{"lang": "en"}`` for an English name on a Welsh page, docs/i18n.md)."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        for item, (*_, render_kw) in zip(params.get("items", ()), field.iter_choices()):
            if render_kw:
                item["attributes"] = {**item.get("attributes", {}), **render_kw}
        return params


class GovSubmitInput(_Memoised, gov.GovSubmitInput):
    pass


class GovTextInput(_ErrorInLanguage, gov.GovTextInput):
    pass


class GovCharacterCount(_ErrorInLanguage, gov.GovCharacterCount):
    pass
