"""Administrators manage staff accounts; staff change their own password."""
from __future__ import annotations

from feedback.models import AuditEvent, Organisation, User
from tests.helpers import TEST_PASSWORD, post_form, sign_in

NEW_PASSWORD = "marmalade-lighthouse-violin-47"


def _org(db, name="Northshire Parent Carer Forum") -> Organisation:
    org = Organisation(name=name, kind="parent_carer_forum")
    db.session.add(org)
    db.session.commit()
    return org


def test_people_list_and_every_widget_with_errors(client, login_as, make_user):
    make_user("moderator", name="Mo Derator")
    login_as("admin")
    page = client.get("/admin/users")
    assert b"Mo Derator" in page.data and b"Add a person" in page.data
    form = client.get("/admin/users/new")
    for marker in (b'class="govuk-input', b'class="govuk-select', b'govuk-checkboxes__input',
                   b'govuk-radios__input'):
        assert marker in form.data
    response = post_form(client, "/admin/users/new", {"name": "", "email": "bad", "active": ""})
    assert response.status_code == 200 and b"<title>Error:" in response.data
    for message in (b"Enter the person&#39;s full name", b"Enter an email address in the correct format",
                    b"Select at least one role", b"Select whether this person can sign in"):
        assert message in response.data, message
    assert b'value="bad"' in response.data, "what was typed is kept"


def test_adding_a_person_invites_them_and_shows_no_password(app, client, login_as, db):
    org = _org(db)
    login_as("admin")
    response = post_form(client, "/admin/users/new", {
        "name": "Fran Forum", "email": "Fran@Example.org", "organisation": str(org.id),
        "roles": ["forum_rep"], "active": "yes"})
    assert response.status_code == 200 and b"Invitation sent" in response.data
    assert b"<code" not in response.data, "no password is shown (tests/web/test_invitations.py)"
    user = db.session.execute(db.select(User).filter_by(email="fran@example.org")).scalar_one()
    assert user.roles == {"forum_rep"} and user.organisation_id == org.id
    assert not user.must_change_password
    duplicate = post_form(client, "/admin/users/new", {
        "name": "Fran Again", "email": "fran@example.org", "organisation": "none",
        "roles": ["provider"], "active": "yes"})
    assert b"There is already an account with this email address" in duplicate.data
    assert db.session.execute(db.select(AuditEvent).filter_by(action="admin.user_created")).scalar_one()


def test_edit_roles_and_deactivate_end_their_sessions(app, client, login_as, make_user, db):
    person = make_user("commissioner", name="Cam Commissioner")
    theirs = app.test_client()
    sign_in(theirs, person)
    assert theirs.get("/staff").status_code == 200
    login_as("admin")
    page = client.get(f"/admin/users/{person.id}")
    assert b'value="Cam Commissioner"' in page.data
    response = post_form(client, f"/admin/users/{person.id}", {
        "name": "Cam Commissioner", "email": person.email, "organisation": "none",
        "roles": ["commissioner", "moderator"], "active": "no"})
    assert response.status_code == 302
    stored = db.session.get(User, person.id)
    assert not stored.active and stored.roles == {"commissioner", "moderator"}
    assert theirs.get("/staff").status_code == 302, "their session ended"
    assert db.session.execute(db.select(AuditEvent).filter_by(
        action="admin.user_deactivated")).scalar_one().detail["active"] is False


def test_admin_cannot_lock_themselves_out(client, login_as, db):
    admin = login_as("admin")
    url = f"/admin/users/{admin.id}"
    response = post_form(client, url, {"name": admin.name, "email": admin.email,
                                       "organisation": "none", "roles": ["admin"], "active": "no"})
    assert b"You cannot deactivate your own account" in response.data
    response = post_form(client, url, {"name": admin.name, "email": admin.email,
                                       "organisation": "none", "roles": ["moderator"],
                                       "active": "yes"})
    assert b"You cannot remove your own administrator role" in response.data
    assert db.session.get(User, admin.id).roles == {"admin"}


def test_unknown_user_is_404(client, login_as):
    login_as("admin")
    assert client.get("/admin/users/987654").status_code == 404


def test_admin_resets_two_factor(app, client, login_as, make_user, db):
    person = make_user("commissioner")
    stored = db.session.get(User, person.id)
    stored.totp_secret, stored.totp_enabled, stored.recovery_codes = "A" * 32, True, ["x"]
    db.session.commit()
    login_as("admin")
    assert b"Reset two-factor sign-in" in client.get(f"/admin/users/{person.id}").data
    post_form(client, f"/admin/users/{person.id}/reset-two-factor", {},
              form_url=f"/admin/users/{person.id}")
    db.session.expire_all()
    stored = db.session.get(User, person.id)
    assert not stored.totp_enabled and stored.totp_secret is None


def test_change_password_ends_other_sessions(app, client, make_user, db):
    user = make_user("provider")
    sign_in(client, user)
    elsewhere = app.test_client()
    sign_in(elsewhere, user)
    url = "/account/password"
    wrong = post_form(client, url, {"current_password": "not-it-at-all-0000",
                                    "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert b"Enter your current password correctly" in wrong.data
    weak = post_form(client, url, {"current_password": TEST_PASSWORD,
                                   "new_password": "password1234", "confirm_password": "password1234"})
    assert b"Password is too common" in weak.data
    short = post_form(client, url, {"current_password": TEST_PASSWORD,
                                    "new_password": "short", "confirm_password": "short"})
    assert b"Password must be 12 characters or more" in short.data
    mismatch = post_form(client, url, {"current_password": TEST_PASSWORD,
                                       "new_password": NEW_PASSWORD, "confirm_password": "other"})
    assert b"Passwords must match" in mismatch.data
    ok = post_form(client, url, {"current_password": TEST_PASSWORD,
                                 "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert ok.status_code == 302
    assert client.get("/account").status_code == 200, "this browser stays signed in"
    assert elsewhere.get("/staff").status_code == 302, "the other session ended"
    assert sign_in(app.test_client(), user, NEW_PASSWORD).status_code == 302
