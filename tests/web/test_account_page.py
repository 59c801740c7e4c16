"""The account page names a person's roles as people read them, not as the code keys them."""
from __future__ import annotations

from tests.helpers import sign_in


def test_the_account_page_names_the_roles(app, client, make_user):
    user = make_user("safeguarding_lead", "moderator")
    sign_in(client, user)
    page = client.get("/account").get_data(as_text=True)
    assert "Moderator, Safeguarding lead" in page
    assert "moderator, safeguarding_lead" not in page  # the keys, as the page showed them before
