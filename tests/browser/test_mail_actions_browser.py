"""The pages of invitations, action updates, the completion decision, the "through my worker"
list and the digest setting, in a real browser at 1280 and 320 px with axe-core (WCAG 2.2
AA), with their error states."""
from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from tests.browser.conftest import assert_fits, sign_in_browser, sign_out
from tests.helpers import TEST_PASSWORD



def test_an_action_is_updated_by_its_provider_and_its_completion_accepted(
        app, live_server, page, make_user):
    from feedback import clock
    from feedback.extensions import db
    from feedback.models import ActionCard, ReviewAction
    from tests.web.contracts_factories import make_contract, make_provider, make_review
    provider = make_user("provider", organisation="Harbour Supported Living",
                         email="browser-provider@example.org")
    manager = make_user("commissioner", email="browser-manager@example.org")
    with app.app_context():
        org = make_provider(db, "Harbour Supported Living")
        contract = make_contract(db, provider=org, reference="HSL-2")
        contract.contract_manager_id = manager.id
        review = make_review(db, contract)
        card = ActionCard(kind="change", text="x", text_redacted="Fix the heating faster",
                          service_id=contract.services[0].id, moderation_state="approved",
                          status="action_planned")
        action = ReviewAction(review=review, description="Report repairs outstanding for more "
                              "than 10 working days", owner="Harbour",
                              due_date=clock.today() + timedelta(days=20), cards=[card])
        db.session.add_all([card, action])
        db.session.commit()
        action_id = action.id

    sign_in_browser(page, live_server, provider.email, TEST_PASSWORD)
    page.goto(live_server + "/provider")
    page.click("text=Report repairs outstanding")
    page.wait_for_url(re.compile(rf"/provider/actions/{action_id}$"))
    assert_fits(page, "provider action update")
    page.check("#status-2")  # in progress
    page.fill("#new_due_date-day", "1")
    page.fill("#new_due_date-month", "1")
    page.fill("#new_due_date-year", str(clock.today().year + 1))
    page.click("button:has-text('Save update')")
    expect(page).to_have_title(re.compile(r"^Error:"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why the due date")
    assert_fits(page, "provider action update with errors")
    page.fill("#due_reason", "The contractor can only start in the new year")
    page.fill("#note", "Repairs list shared with the housing team every Monday")
    page.click("button:has-text('Save update')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your update has been saved")
    page.check("#status-3")  # completed
    page.fill("#note", "The list is now in every monthly report")
    page.click("button:has-text('Save update')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("asked to accept")
    assert_fits(page, "provider action with history")

    sign_out(page)
    sign_in_browser(page, live_server, manager.email, TEST_PASSWORD)
    page.goto(live_server + f"/contracts/actions/{action_id}")
    expect(page.locator("main")).to_contain_text("The provider says this action is completed")
    assert_fits(page, "commissioner action page with a completion to decide")
    page.check("#completion-decision-2")  # reject
    page.click("button:has-text('Save decision')")
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert_fits(page, "completion decision with errors")
    page.check("#completion-decision")  # accept
    page.check("#completion-mark_cards_done")
    page.fill("#completion-response", "You told us repairs took too long. We now check them "
                                      "every month.")
    page.click("button:has-text('Save decision')")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Completion accepted")
    with app.app_context():
        assert db.session.get(ReviewAction, action_id).status == "done"


def test_invitation_worker_contacts_and_digest_pages(app, live_server, page, make_user):
    from feedback.extensions import db
    from tests.factories import make_card, make_service
    admin = make_user("admin", email="browser-admin@example.org")
    worker = make_user("participation_worker", email="browser-worker@example.org")
    with app.app_context():
        service = make_service(db, name="Compass Care Leavers Service")
        make_card(db, service=service, text="x", text_redacted="Help me find a flat near college",
                  contact_method="worker")
        db.session.commit()

    sign_in_browser(page, live_server, admin.email, TEST_PASSWORD)
    page.goto(live_server + "/admin/users/new")
    page.fill("#name", "Rosa Ruiz")
    page.fill("#email", "rosa.ruiz@council.example")
    page.check("input[name=roles][value=moderator]")
    page.click("button:has-text('Send invitation')")
    expect(page.locator("h1")).to_contain_text("Invitation sent")
    assert_fits(page, "invitation sent")

    sign_out(page)
    page.goto(live_server + "/invitation/not-a-real-token")
    expect(page.locator("h1")).to_have_text("This link cannot be used")
    assert_fits(page, "unusable invitation link")

    # A usable link: a row with a token the test knows (the email went to the log).
    with app.app_context():
        from datetime import timedelta as td

        from feedback import clock
        from feedback.auth.invitations import token_hash
        from feedback.models import Invitation, User
        person = db.session.execute(db.select(User).filter_by(
            email="rosa.ruiz@council.example")).scalar_one()
        db.session.add(Invitation(user_id=person.id, token_hash=token_hash("browser-token-1234"),
                                  expires_at=clock.now() + td(hours=1)))
        db.session.commit()
    path = "/invitation/browser-token-1234"
    page.goto(live_server + path)
    assert_fits(page, "choose your password")
    page.click("button:has-text('Save password and continue')")
    expect(page).to_have_title(re.compile(r"^Error:"))
    assert_fits(page, "choose your password with errors")

    sign_out(page)
    sign_in_browser(page, live_server, worker.email, TEST_PASSWORD)
    page.goto(live_server + "/moderation/worker-contacts")
    expect(page.locator("main")).to_contain_text("Help me find a flat near college")
    assert_fits(page, "worker contacts")
    page.goto(live_server + "/account")
    page.check("#digest-2")
    page.click("form[action$='/account/digest'] button")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Daily digest turned off")
    assert_fits(page, "account with the digest setting")
