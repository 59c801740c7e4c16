"""The two rendering caches: choice widgets (feedback/widgets.py) and the page chrome
(``cached_fragment`` in feedback/templating.py). Both must give exactly the markup an
uncached render gives, follow every value they depend on, and never hold what a person
typed."""
from __future__ import annotations

import re

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice

from feedback import widgets
from tests.helpers import csrf_token
from tests.fixtures.family_data import make_services


class _Form(FlaskForm):
    class Meta:
        csrf = False

    colour = RadioField("Colour", choices=[SelectChoice("r", "Red"), SelectChoice("g", "Green")], widget=widgets.GovRadioInput())
    words = TextAreaField("Words", widget=GovCharacterCount())


def _cached_markup() -> str:
    return "\n".join(str(html) for html in widgets._rendered.values())


def test_choice_widget_renders_once_per_parameters(app):
    with app.test_request_context():
        widgets.clear_cache()
        first = _Form(formdata=None).colour()
        assert len(widgets._rendered) == 1
        assert _Form(formdata=None).colour() == first
        assert len(widgets._rendered) == 1, "same parameters: served from the cache"

        chosen = _Form(formdata=None, colour="g").colour()
        assert chosen != first and len(widgets._rendered) == 2
        assert re.search(r'value="g"\s+checked', str(chosen))

        form = _Form(formdata=None)
        form.colour.errors = ["Choose a colour"]
        with_error = form.colour()
        assert "Choose a colour" in with_error and "govuk-form-group--error" in with_error
        assert "Choose a colour" not in first


def test_cached_choice_widget_equals_the_library_render(app):
    from govuk_frontend_wtf.wtforms_widgets import GovRadioInput

    with app.test_request_context():
        widgets.clear_cache()
        form = _Form(formdata=None, colour="r")
        ours = form.colour()
        again = form.colour()
        library = GovRadioInput()(form.colour)
        assert ours == again == library


def test_the_cache_is_bounded(app, monkeypatch):
    monkeypatch.setattr(widgets, "CACHE_SIZE", 3)
    with app.test_request_context():
        widgets.clear_cache()
        for n in range(6):
            form = _Form(formdata=None)
            form.colour.choices = [SelectChoice(str(n), f"Choice {n}")]
            form.colour()
        assert len(widgets._rendered) == 3
        assert "Choice 5" in _cached_markup() and "Choice 0" not in _cached_markup()


def test_typed_words_are_never_cached(client, app):
    """A form sent back with an error re-renders what was typed: none of it may be cached."""
    services = make_services(app)
    widgets.clear_cache()
    words = "my unique words about the Saturday club 48213"
    page = client.post("/feedback/new", data={
        "csrf_token": csrf_token(client, "/feedback/new"), "service": str(services["SEND Transport"]),
        "went_well": words, "could_be_better": words})  # no rating, no respondent: errors
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "There is a problem" in html and words in html
    assert widgets._rendered, "the choice widgets on the page were cached"
    assert "48213" not in _cached_markup()

    with app.test_request_context():
        form = _Form(formdata=None, words=words)
        assert words in form.words()
    assert "48213" not in _cached_markup()


def _active_items(html: str) -> list[str]:
    return re.findall(r'<a class="govuk-service-navigation__link" href="[^"]*"\s+aria-current="true">\s*'
                      r'<strong class="govuk-service-navigation__active-fallback">([^<]+)</strong>', html)


def test_header_marks_the_current_page_and_follows_sign_in(client, login_as):
    public = client.get("/").get_data(as_text=True)
    assert "Staff sign in" in public and 'aria-label="Menu"' in public

    login_as("commissioner")
    insight = client.get("/insight").get_data(as_text=True)
    contracts = client.get("/contracts").get_data(as_text=True)
    assert _active_items(insight) == ["Insight"]
    assert _active_items(contracts) == ["Contracts"]
    assert 'aria-label="Staff menu"' in insight and "Staff sign in" not in insight
    assert _active_items(client.get("/insight").get_data(as_text=True)) == ["Insight"]

    client.post("/logout", data={"csrf_token": csrf_token(client, "/insight")})
    after = client.get("/").get_data(as_text=True)
    assert "Staff sign in" in after and "Staff menu" not in after


def test_header_follows_the_configured_names(make_app):
    first = make_app(SERVICE_NAME="Tell us: Northshire", ORGANISATION_NAME="Northshire Council")
    second = make_app(SERVICE_NAME="Tell us: Southshire", ORGANISATION_NAME="Southshire Council")
    for app, name in ((first, "Northshire"), (second, "Southshire")):
        for _ in range(2):
            html = app.test_client().get("/").get_data(as_text=True)
            assert f"Tell us: {name}" in html and f"{name} Council" in html
