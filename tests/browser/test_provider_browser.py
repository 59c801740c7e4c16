"""The provider home and the right of reply in a real browser at 1280 and 320 px, with
axe-core (WCAG 2.2 AA): the provider replies (an error first), a moderator approves,
and the reply shows under the card on the public cards page."""
from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.conftest import assert_fits, sign_in_browser, sign_out
from tests.helpers import TEST_PASSWORD
from tests.web.provider_factories import provider_with_items

THANKS = "Thank you. From May the club opens on Saturday evenings too."


def test_provider_home_and_reply_are_accessible_and_the_reply_is_published(
        app, live_server, page, make_user):
    from feedback import clock
    from feedback.extensions import db
    from feedback.models import ReviewAction
    from tests.web.contracts_factories import make_contract, make_provider, make_review
    ours = provider_with_items(app, cards=12, feedback=3)
    with app.app_context():
        org = make_provider(db, ours["org"])
        contract = make_contract(db, provider=org, reference="BR-1",
                                 next_review=clock.today() + timedelta(days=20))
        review = make_review(db, contract)
        review.actions.append(ReviewAction(
            description="Hold a youth panel each term", owner="Provider",
            due_date=date(2027, 2, 28)))
        db.session.commit()
    provider = make_user("provider", organisation=ours["org"], email="browser-provider@example.org")
    moderator = make_user("moderator", email="browser-moderator@example.org")

    sign_in_browser(page, live_server, provider.email, TEST_PASSWORD)
    page.goto(live_server + "/provider")
    assert page.locator("h1").inner_text() == "Your services"
    assert page.locator("text=Hold a youth panel each term").count() == 1
    assert_fits(page, "provider home")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator(f"#card-{ours['cards'][0]} a:has-text('Reply')").click()
    expect(page.locator("h1")).to_have_text("Reply to this action card")
    assert_fits(page, "reply form")
    page.click("button:has-text('Send reply for moderation')")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert_fits(page, "reply form with an error")
    page.fill("#body", THANKS)
    page.click("button:has-text('Send reply for moderation')")
    expect(page).to_have_url(re.compile(r"/provider$"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("sent")
    assert_fits(page, "provider home after a reply")
    sign_out(page)

    sign_in_browser(page, live_server, moderator.email, TEST_PASSWORD)
    page.goto(live_server + "/moderation/replies")
    assert_fits(page, "providers' replies to moderate")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("#replies a").first.click()
    page.wait_for_url(re.compile(r"/moderation/replies/\d+$"))
    assert_fits(page, "a reply to moderate")
    page.click("button:has-text('Approve and publish')")
    expect(page.locator("main")).to_contain_text("No reply is waiting")
    sign_out(page)

    page.goto(live_server + f"/cards/service/{ours['service']}")
    assert page.locator(".app-provider-reply").count() == 1
    assert THANKS in page.locator(".app-provider-reply").inner_text()
    assert_fits(page, "public cards page with a reply")


def test_held_replies_page_is_accessible(app, live_server, page, make_user):
    from feedback.extensions import db
    from feedback.models import ProviderReply
    ours = provider_with_items(app, cards=1)
    with app.app_context():
        db.session.add(ProviderReply(card_id=ours["cards"][0], provider_id=ours["org_id"],
                                     body="Held words", body_redacted="Held words",
                                     safeguarding_flagged=True, safeguarding_categories=["abuse"]))
        db.session.commit()
    lead = make_user("safeguarding_lead", email="browser-lead@example.org")
    sign_in_browser(page, live_server, lead.email, TEST_PASSWORD)
    page.goto(live_server + "/safeguarding/replies")
    assert "Held words" in page.content()
    assert_fits(page, "held replies")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("button:has-text('Save decision')")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_fits(page, "held replies with an error")


def test_a_providers_import_of_what_it_collected_is_accessible(app, live_server, page, make_user,
                                                               tmp_path):
    """Upload, columns, the row report (a row about another provider's service refused) and
    the batch page saying who collected it, at 1280 and 320 px with axe."""
    from feedback.extensions import db
    from tests.web.contracts_factories import make_provider, make_service
    with app.app_context():
        ours, theirs = make_provider(db, "Northgate Care"), make_provider(db, "Riverside Trust")
        make_service(db, ours, name="Northgate Leaving Care Hub")
        make_service(db, theirs, name="Riverside Youth Counselling")
        db.session.commit()
    rows = ["Service,Who gave the feedback,Rating,What went well,What could be better"]
    rows += [f"Northgate Leaving Care Hub,Young person,4,My PA helped with my flat {n},"
             "Replies took a while" for n in range(3)]
    rows += ["Riverside Youth Counselling,Young person,2,,Nobody called back"]
    upload = tmp_path / "exit-questionnaire.csv"
    upload.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    provider = make_user("provider", organisation="Northgate Care",
                         email="browser-collector@example.org")
    sign_in_browser(page, live_server, provider.email, TEST_PASSWORD)
    page.goto(live_server + "/feedback/import")
    expect(page.locator(".govuk-caption-l")).to_have_text("Northgate Care")
    assert_fits(page, "a provider's import upload")
    page.set_input_files("#file", str(upload))
    page.click("button:has-text('Upload and check')")
    page.wait_for_url("**/feedback/import/columns")
    expect(page.locator("table").first).to_be_visible()
    assert_fits(page, "a provider's column mapping")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("button:has-text('Check every row')")
    page.wait_for_url("**/feedback/import/check")
    expect(page.locator("#problems")).to_be_visible()
    expect(page.locator("body")).to_contain_text("is not one of your organisation's services")
    assert_fits(page, "a provider's row report")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.check("#consent_collected")
    page.click("button:has-text('Import the valid rows')")
    page.wait_for_url("**/feedback/import/batches/*")
    expect(page.locator("body")).to_contain_text("Collected by Northgate Care")
    assert_fits(page, "a provider's imported batch")
