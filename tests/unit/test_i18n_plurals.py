"""Plural messages in templates count what they say they count.

Jinja's ``{% pluralize %}`` chooses the form by the first variable the ``{% trans %}`` tag
names, not by one called ``count``: ``{% trans caption=c, count=n %}`` would pick the form by
``caption``. Every plural in the templates names its count first (or says which to use)."""
from __future__ import annotations

import re

import pytest
from jinja2 import Environment

from tests.unit.test_i18n import ALL_TEMPLATES, TEMPLATES

_ENV = Environment(extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
_ENV.install_null_translations(newstyle=True)
_PLURAL = re.compile(r"\{%-?\s*trans\s+(\w+)[^%]*%\}(?:(?!\{%-?\s*endtrans).)*?"
                     r"\{%-?\s*pluralize\s*(\w*)\s*-?%\}", re.S)


def plurals_not_by_count(source: str) -> list[str]:
    """The opening of each plural ``trans`` whose form is not chosen by ``count``."""
    return [match.group(0)[:60] for match in _PLURAL.finditer(source)
            if (match.group(2) or match.group(1)) != "count"]


@pytest.mark.parametrize("name", ALL_TEMPLATES)
def test_plurals_are_chosen_by_count(name):
    assert plurals_not_by_count((TEMPLATES / name).read_text(encoding="utf-8")) == []


def test_the_plural_check_can_fail():
    wrong = "{% trans caption=c, count=n %}{{ caption }}: {{ count }} entry{% pluralize %}x{% endtrans %}"
    assert plurals_not_by_count(wrong) != []
    assert plurals_not_by_count(wrong.replace("{% pluralize %}", "{% pluralize count %}")) == []
    right = "{% trans count=n, caption=c %}{{ caption }}: {{ count }} entry{% pluralize %}{{ caption }}: {{ count }} entries{% endtrans %}"
    assert plurals_not_by_count(right) == []
    rendered = _ENV.from_string(wrong).render(c="Rows", n=1)
    assert rendered == "x", "Jinja picks the form by the first variable (caption)"
    assert _ENV.from_string(right).render(c="Rows", n=1) == "Rows: 1 entry"
