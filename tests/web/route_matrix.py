"""Who may use which URL: the single table the role x URL test checks.

Every endpoint of the app must have an entry (the test fails on a new route
without one). An entry says:

- ``url``: a path, or a callable ``(app) -> path`` that creates what the page
  needs (for example a card) inside an app context and returns its path;
- ``method``: "GET" or "POST";
- ``allowed``: ``PUBLIC`` (anyone, no sign-in), ``ANY_STAFF`` (any signed-in
  user), or a tuple of roles.

Expected: public -> 200 (or the ``ok`` codes given) for everyone; staff
routes -> 302 to sign-in when anonymous, ``ok`` for allowed roles, 403 for
the others. POSTs are sent with a valid CSRF token and empty data, so an
allowed role gets the form back (200), a redirect, or a 400/422 refusal, but
never a 500.
"""
from __future__ import annotations

from tests.factories import build_card

PUBLIC = "public"
MATRIX_FORUM = "Matrix Family Voice"
_IMPORTERS = ("forum_rep", "commissioner", "provider")
ANY_STAFF = "any_staff"

# Codes that count as "let in" for each method.
OK_GET = (200,)
OK_POST = (200, 302, 303, 400, 422)

MATRIX: dict[str, dict] = {
    "main.index": {"url": "/", "allowed": PUBLIC},
    "main.help_now": {"url": "/help", "allowed": PUBLIC},
    "main.accessibility": {"url": "/accessibility", "allowed": PUBLIC},
    "main.privacy": {"url": "/privacy", "allowed": PUBLIC},
    "main.healthz": {"url": "/healthz", "allowed": PUBLIC},
    "main.staff_home": {"url": "/staff", "allowed": ANY_STAFF},
    "auth.login": {"url": "/login", "allowed": PUBLIC, "signed_in_ok": (302,)},
    "auth.logout": {"url": "/logout", "method": "POST", "allowed": ANY_STAFF},
    # Action cards (public journey) and the moderation / safeguarding queues.
    "cards.start": {"url": "/cards", "allowed": PUBLIC},
    "cards.new": {"url": "/cards/new", "allowed": PUBLIC},
    "cards.kind": {"url": "/cards/new/kind", "allowed": PUBLIC, "ok": (200, 302)},
    "cards.text": {"url": "/cards/new/text", "allowed": PUBLIC, "ok": (200, 302)},
    "cards.about": {"url": "/cards/new/about", "allowed": PUBLIC, "ok": (200, 302)},
    "cards.contact": {"url": "/cards/new/contact", "allowed": PUBLIC, "ok": (200, 302)},
    "cards.check": {"url": "/cards/new/check", "allowed": PUBLIC, "ok": (200, 302)},
    "cards.confirmation": {"url": "/cards/new/done", "allowed": PUBLIC, "ok": (200, 302)},
    "cards.track": {"url": "/cards/track", "allowed": PUBLIC},
    "cards.delete": {"url": "/cards/track/delete", "method": "POST", "allowed": PUBLIC},
    "cards.service_cards": {"url": lambda app: _card_url(app, "/cards/service/{service}"),
                            "allowed": PUBLIC},
    "cards.me_too": {"url": lambda app: _card_url(app, "/cards/{card}/me-too"), "method": "POST",
                     "allowed": PUBLIC, "ok": (302, 400)},
    "cards.service_list": {"url": "/services?q=youth+club", "allowed": PUBLIC},
    "cards.service_page": {"url": lambda app: _card_url(app, "/services/{service}"),
                           "allowed": PUBLIC},
    "moderation.moderation_queue": {"url": "/moderation", "allowed": ("moderator",)},
    "moderation.moderate": {"url": lambda app: _card_url(app, "/moderation/card/{card}"),
                       "allowed": ("moderator",)},
    "moderation.moderation_decide": {"url": lambda app: _card_url(app, "/moderation/card/{card}/decide"),
                                "method": "POST", "allowed": ("moderator",)},
    "moderation.safeguarding_queue": {"url": "/safeguarding", "allowed": ("safeguarding_lead",)},
    "moderation.safeguarding_item": {"url": lambda app: _card_url(app, "/safeguarding/card/{card}"),
                                "allowed": ("safeguarding_lead",)},
    # Family feedback (public), forum pages and imports (providers import what they collect).
    "family.feedback_start": {"url": "/feedback/new", "allowed": PUBLIC},
    "family.feedback_sent": {"url": "/feedback/sent", "allowed": PUBLIC, "ok": (200, 302)},
    "family.forum_home": {"url": "/forum", "allowed": ("forum_rep",), "organisation": MATRIX_FORUM},
    "family.forum_entry_new": {"url": "/forum/entries/new", "allowed": ("forum_rep",),
                               "organisation": MATRIX_FORUM},
    "family.forum_entry": {"url": lambda app: _forum_url(app, "/forum/entries/{entry}"),
                           "allowed": ("forum_rep",), "organisation": MATRIX_FORUM},
    "family.forum_export": {"url": "/forum/export.csv", "allowed": ("forum_rep",),
                            "organisation": MATRIX_FORUM},
    "family.import_upload": {"url": "/feedback/import", "allowed": _IMPORTERS,
                             "organisation": MATRIX_FORUM},
    "family.import_template": {"url": "/feedback/import/template.xlsx",
                               "allowed": _IMPORTERS, "organisation": MATRIX_FORUM},
    # Without an upload in the session these send the person back to the upload page.
    "family.import_columns": {"url": "/feedback/import/columns", "ok": (302,),
                              "allowed": _IMPORTERS, "organisation": MATRIX_FORUM},
    "family.import_check": {"url": "/feedback/import/check", "ok": (302,),
                            "allowed": _IMPORTERS, "organisation": MATRIX_FORUM},
    "family.import_progress": {"url": "/feedback/import/progress", "ok": (302,),
                               "allowed": _IMPORTERS,
                               "organisation": MATRIX_FORUM},
    "family.import_errors": {"url": "/feedback/import/errors.csv", "ok": (302,),
                             "allowed": _IMPORTERS, "organisation": MATRIX_FORUM},
    "family.import_batch": {"url": lambda app: _forum_url(app, "/feedback/import/batches/{batch}"),
                            "allowed": _IMPORTERS, "organisation": MATRIX_FORUM,
                            # the batch is the forum's: a provider did not collect it
                            "ok_for": {"provider": (404,)}},
}


def _card_url(app, pattern: str) -> str:
    """Create a service and an approved, published card; fill ``pattern`` with their ids."""
    from feedback.extensions import db
    from feedback.models import Service
    with app.app_context():
        service = Service(name="Matrix service", plain_name="Matrix service",
                          thematic_area="health_wellbeing")
        card = build_card(kind="change", text="Matrix card", text_redacted="Matrix card",
                          service=service, moderation_state="approved",
                          safeguarding_flagged=False)
        db.session.add(card)
        db.session.commit()
        return pattern.format(service=service.id, card=card.id)


def _forum_url(app, pattern: str) -> str:
    """Create a forum (named MATRIX_FORUM), an import batch and an entry of it; fill ``pattern``."""
    from feedback.extensions import db
    from feedback.models import FeedbackEntry, ImportBatch, Organisation
    with app.app_context():
        forum = db.session.execute(db.select(Organisation).filter_by(name=MATRIX_FORUM)
                                   ).scalar_one_or_none()
        if forum is None:
            forum = Organisation(name=MATRIX_FORUM, kind="parent_carer_forum")
        batch = ImportBatch(forum=forum, filename="matrix.csv", file_hash="0" * 64)
        entry = FeedbackEntry(forum=forum, source="forum_import", respondent_type="parent_carer",
                              went_well="Matrix", went_well_redacted="Matrix",
                              import_batch=batch, import_row_number=2)
        db.session.add(entry)
        db.session.commit()
        return pattern.format(entry=entry.id, batch=batch.id)


def _theme_url(app, pattern: str) -> str:
    """Create a theme holding one published card and one published feedback entry;
    fill ``{theme}``, ``{card}`` and ``{entry}``."""
    import uuid

    from feedback.extensions import db
    from feedback.models import Theme, ThemeAssignment
    from tests.factories import make_card, make_feedback_entry
    with app.app_context():
        theme = Theme(key=f"M{uuid.uuid4().hex[:8]}", label="Matrix theme")
        db.session.add(theme)
        card = make_card(db, text="Matrix card")
        entry = make_feedback_entry(db, could_be_better="Matrix")
        db.session.add_all([ThemeAssignment(theme_id=theme.id, card_id=card.id),
                            ThemeAssignment(theme_id=theme.id, feedback_entry_id=entry.id)])
        db.session.commit()
        return pattern.format(theme=theme.id, card=card.id, entry=entry.id)


def _subtheme_url(app, pattern: str) -> str:
    """A theme (as ``_theme_url``) whose card is in a sub-theme; fill ``{theme}`` and ``{sub}``."""
    from feedback.extensions import db
    from feedback.models import Subtheme, Theme, ThemeAssignment
    theme_id = int(_theme_url(app, "{theme}"))
    with app.app_context():
        theme = db.session.get(Theme, theme_id)
        sub = Subtheme(theme_id=theme_id, key=f"{theme.key}.1", label="Matrix sub-theme")
        db.session.add(sub)
        db.session.flush()
        for row in db.session.execute(db.select(ThemeAssignment).filter_by(theme_id=theme_id)).scalars():
            row.subtheme_id = sub.id
        db.session.commit()
        return pattern.format(theme=theme_id, sub=sub.id)


_INSIGHT = ("commissioner",)
_SUB = "/insight/themes/{theme}/subthemes/{sub}"
MATRIX.update({
    "insight.subtheme": {"url": lambda app: _subtheme_url(app, _SUB), "allowed": _INSIGHT},
    "insight.subtheme_rename": {"url": lambda app: _subtheme_url(app, _SUB + "/rename"),
                                "allowed": _INSIGHT},
    "insight.subtheme_merge": {"url": lambda app: _subtheme_url(app, _SUB + "/merge"),
                               "allowed": _INSIGHT},
    "insight.subtheme_split": {"url": lambda app: _subtheme_url(app, _SUB + "/split"),
                               "allowed": _INSIGHT},
    "insight.subtheme_hide": {"url": lambda app: _subtheme_url(app, _SUB + "/hide"),
                              "method": "POST", "allowed": _INSIGHT},
    "insight.dashboard": {"url": "/insight", "allowed": _INSIGHT},
    "insight.export": {"url": "/insight/export.csv", "allowed": _INSIGHT},
    "insight.themes": {"url": "/insight/themes", "allowed": _INSIGHT},
    "insight.theme": {"url": lambda app: _theme_url(app, "/insight/themes/{theme}"),
                      "allowed": _INSIGHT},
    "insight.theme_export": {"url": lambda app: _theme_url(app, "/insight/themes/{theme}/export.xlsx"),
                             "allowed": _INSIGHT},
    "insight.rename": {"url": lambda app: _theme_url(app, "/insight/themes/{theme}/rename"),
                       "allowed": _INSIGHT},
    "insight.merge": {"url": lambda app: _theme_url(app, "/insight/themes/{theme}/merge"),
                      "allowed": _INSIGHT},
    "insight.split": {"url": lambda app: _theme_url(app, "/insight/themes/{theme}/split"),
                      "allowed": _INSIGHT},
    "insight.hide": {"url": lambda app: _theme_url(app, "/insight/themes/{theme}/hide"),
                     "method": "POST", "allowed": _INSIGHT},
    "insight.review": {"url": lambda app: _theme_url(app, "/insight/themes/{theme}/review"),
                       "method": "POST", "allowed": _INSIGHT},
    "insight.runs": {"url": "/insight/runs", "allowed": _INSIGHT},
    "insight.answer": {"url": lambda app: _theme_url(app, "/insight/cards/{card}/answer"),
                       "allowed": _INSIGHT},
    # The matrix theme has 2 people: its cards are not listed together (302 to the list).
    "insight.answer_many": {"url": lambda app: _theme_url(app, "/insight/themes/{theme}/answer"),
                            "allowed": _INSIGHT, "ok": (302,)},
    "insight.to_answer": {"url": "/insight/to-answer", "allowed": _INSIGHT},
    "insight.answer_feedback": {"url": lambda app: _theme_url(app, "/insight/feedback/{entry}/answer"),
                                "allowed": _INSIGHT},
    "insight.you_said_we_did": {"url": "/you-said-we-did", "allowed": PUBLIC},
})

def _staff_url(app, pattern: str) -> str:
    """Create a member of staff to be managed and fill ``{user}`` in ``pattern``."""
    import uuid

    from feedback.extensions import db
    from feedback.models import User
    with app.app_context():
        user = User(email=f"matrix-{uuid.uuid4().hex[:8]}@example.org", name="Matrix Person",
                    password_hash="not-a-hash")
        user.set_roles(["provider"])
        db.session.add(user)
        db.session.commit()
        return pattern.format(user=user.id)


MATRIX.update({
    # Without a pending password step the security code page sends people to sign in.
    "auth.second_factor": {"url": "/login/security-code", "allowed": PUBLIC, "ok": (302,),
                           "signed_in_ok": (302,)},
    "account.home": {"url": "/account", "allowed": ANY_STAFF},
    "account.change_password": {"url": "/account/password", "allowed": ANY_STAFF},
    "account.two_factor_setup": {"url": "/account/two-factor/set-up", "allowed": ANY_STAFF},
    # Two-factor is off for matrix users, so these send them to set it up first.
    "account.recovery_codes": {"url": "/account/two-factor/recovery-codes", "ok": (302,),
                               "allowed": ANY_STAFF},
    "account.two_factor_disable": {"url": "/account/two-factor/turn-off", "ok": (302,),
                                   "allowed": ANY_STAFF},
    "account.download_data": {"url": "/account/your-data", "allowed": ANY_STAFF},
    "admin.users": {"url": "/admin/users", "allowed": ("admin",)},
    "admin.new_user": {"url": "/admin/users/new", "allowed": ("admin",)},
    "admin.edit_user": {"url": lambda app: _staff_url(app, "/admin/users/{user}"),
                        "allowed": ("admin",)},
    "admin.reset_two_factor": {
        "url": lambda app: _staff_url(app, "/admin/users/{user}/reset-two-factor"),
        "method": "POST", "allowed": ("admin",)},
    "admin.export_user": {"url": lambda app: _staff_url(app, "/admin/users/{user}/export"),
                          "allowed": ("admin",)},
    "admin.erase_user": {"url": lambda app: _staff_url(app, "/admin/users/{user}/erase"),
                         "allowed": ("admin",)},
    "admin.services": {"url": "/admin/services", "allowed": ("admin",)},
    "admin.edit_service_names": {"url": lambda app: _card_url(app, "/admin/services/{service}"),
                                 "allowed": ("admin",)},
    "admin.edit_service_plain_name": {
        "url": lambda app: _card_url(app, "/admin/services/{service}/plain-name"),
        "allowed": ("admin",)},
    "admin.api_tokens": {"url": "/admin/api-tokens", "allowed": ("admin",)},
    "admin.revoke_api_token": {"url": lambda app: _token_url(app, "/admin/api-tokens/{token}/revoke"),
                               "method": "POST", "allowed": ("admin",)},
    # The open data API takes a bearer token, never a signed-in session: 401 for everyone
    # here (tokens: tests/web/test_api.py). Its OpenAPI document is public.
    "api.table": {"url": "/api/v1/themes", "allowed": PUBLIC, "ok": (401,)},
    "api.table_csv": {"url": "/api/v1/themes.csv", "allowed": PUBLIC, "ok": (401,)},
    "api.openapi_document": {"url": "/api/v1/openapi.json", "allowed": PUBLIC},
})


def _token_url(app, pattern: str) -> str:
    """Create an API token row and fill ``{token}`` in ``pattern``."""
    import secrets

    from feedback.extensions import db
    from feedback.models import ApiToken
    with app.app_context():
        row = ApiToken(name="Matrix system", prefix=secrets.token_hex(4), token_hash="0" * 64)
        db.session.add(row)
        db.session.commit()
        return pattern.format(token=row.id)


# Contracts: commissioners manage; providers read their own organisation's
# contracts, reviews and packs (every role signs in as a member of the matrix
# contract's provider, so "provider" here means "provider of this contract").
def _contract_url(template):
    from tests.web.contracts_factories import matrix_url
    return lambda app: matrix_url(app, template)


_CONTRACT_VIEW = ("commissioner", "provider")
_CONTRACT_EDIT = ("commissioner",)
_CONTRACT_ORG = "Matrix provider organisation"
MATRIX.update({
    "contracts.register": {"url": "/contracts", "allowed": _CONTRACT_VIEW},
    "contracts.new": {"url": "/contracts/new", "allowed": _CONTRACT_EDIT},
    "contracts.detail": {"url": _contract_url("/contracts/{contract}"),
                         "allowed": _CONTRACT_VIEW, "organisation": _CONTRACT_ORG},
    "contracts.edit": {"url": _contract_url("/contracts/{contract}/edit"),
                       "allowed": _CONTRACT_EDIT, "organisation": _CONTRACT_ORG},
    "contracts.add_kpi": {"url": _contract_url("/contracts/{contract}/kpis/new"),
                          "allowed": _CONTRACT_EDIT, "organisation": _CONTRACT_ORG},
    "contracts.remove_kpi": {"url": _contract_url("/contracts/{contract}/kpis/{kpi}/remove"),
                             "method": "POST", "allowed": _CONTRACT_EDIT,
                             "organisation": _CONTRACT_ORG},
    "contracts.start_review": {"url": _contract_url("/contracts/{contract}/reviews/new"),
                               "allowed": _CONTRACT_EDIT, "organisation": _CONTRACT_ORG},
    "contracts.review": {"url": _contract_url("/contracts/reviews/{review}"),
                         "allowed": _CONTRACT_VIEW, "organisation": _CONTRACT_ORG},
    "contracts.kpi_returns": {"url": _contract_url("/contracts/reviews/{review}/kpis"),
                              "allowed": _CONTRACT_EDIT, "organisation": _CONTRACT_ORG},
    "contracts.hold": {"url": _contract_url("/contracts/reviews/{review}/hold"),
                       "allowed": _CONTRACT_EDIT, "organisation": _CONTRACT_ORG},
    "contracts.reopen": {"url": _contract_url("/contracts/reviews/{review}/reopen"),
                         "allowed": _CONTRACT_EDIT, "organisation": _CONTRACT_ORG},
    "contracts.add_action": {"url": _contract_url("/contracts/reviews/{review}/actions/new"),
                             "allowed": _CONTRACT_EDIT, "organisation": _CONTRACT_ORG},
    "contracts.action_status": {"url": _contract_url("/contracts/actions/{action}"),
                                "allowed": _CONTRACT_EDIT, "organisation": _CONTRACT_ORG},
    "contracts.pack": {"url": _contract_url("/contracts/reviews/{review}/pack"),
                       "allowed": _CONTRACT_VIEW, "organisation": _CONTRACT_ORG},
    "contracts.pack_print": {"url": _contract_url("/contracts/reviews/{review}/pack/print"),
                             "allowed": _CONTRACT_VIEW, "organisation": _CONTRACT_ORG},
    "contracts.pack_docx": {"url": _contract_url("/contracts/reviews/{review}/pack.docx"),
                            "allowed": _CONTRACT_VIEW, "organisation": _CONTRACT_ORG},
    "contracts.pack_xlsx": {"url": _contract_url("/contracts/reviews/{review}/pack.xlsx"),
                            "allowed": _CONTRACT_VIEW, "organisation": _CONTRACT_ORG},
})


def register(endpoint: str, **entry) -> None:
    """Add an entry (feature test modules may call this; keep entries here when possible)."""
    MATRIX[endpoint] = entry


# The provider's pages: every role signs in as a member of the matrix provider
# organisation, whose service the card (and the reply) is about.
def _reply_url(app, pattern: str) -> str:
    """A published card about the matrix provider's service, and a pending reply to it;
    fill ``{card}`` and ``{reply}``."""
    from feedback.extensions import db
    from feedback.models import ProviderReply
    from tests.web.contracts_factories import MATRIX_PROVIDER, make_provider, make_service
    with app.app_context():
        provider = make_provider(db, MATRIX_PROVIDER)
        card = build_card(kind="change", text="Matrix card", text_redacted="Matrix card",
                          service=make_service(db, provider), moderation_state="approved",
                          safeguarding_flagged=False)
        reply = ProviderReply(card=card, provider_id=provider.id, body="Matrix reply",
                              body_redacted="Matrix reply")
        db.session.add_all([card, reply])
        db.session.commit()
        return pattern.format(card=card.id, reply=reply.id)


MATRIX.update({
    "provider.home": {"url": "/provider", "allowed": ("provider",),
                      "organisation": _CONTRACT_ORG},
    "provider.reply": {"url": lambda app: _reply_url(app, "/provider/card/{card}/reply"),
                       "allowed": ("provider",), "organisation": _CONTRACT_ORG},
    "moderation.reply_queue": {"url": "/moderation/replies", "allowed": ("moderator",)},
    "moderation.moderate_reply": {"url": lambda app: _reply_url(app, "/moderation/replies/{reply}"),
                             "allowed": ("moderator",)},
    "moderation.held_replies": {"url": "/safeguarding/replies", "allowed": ("safeguarding_lead",)},
})


# Performance Monitoring Form returns: a return (with one supporting file) for the matrix
# contract's last complete quarter, in the state the page needs.
def _return_url(template: str, status: str):
    def make(app) -> str:
        from feedback import clock
        from feedback.contracts.periods import last_complete
        from feedback.extensions import db
        from feedback.models import Contract, PerformanceReturn, ReturnFile
        from feedback.returns import files
        contract_id = int(matrix_url_for_returns(app))
        period = last_complete("quarter", clock.today())
        with app.app_context():
            contract = db.session.get(Contract, contract_id)
            stored = files.store(b"%PDF-1.4 matrix", "matrix.pdf", app.config, app.instance_path)
            found = PerformanceReturn(contract=contract, period_kind="quarter",
                                      period_start=period.start, period_end=period.end,
                                      status=status)
            found.files.append(ReturnFile(filename="matrix.pdf", stored_name=stored.stored_name,
                                          kind="pdf", size=stored.size, sha256=stored.sha256))
            db.session.add(found)
            db.session.commit()
            return template.format(contract=contract_id, period=period.start.isoformat(),
                                   file=found.files[0].id)
    return make


def matrix_url_for_returns(app) -> str:
    from tests.web.contracts_factories import matrix_url
    return matrix_url(app, "{contract}")


_RETURN = "/returns/{contract}/{period}"
MATRIX.update({
    "returns.index": {"url": "/returns", "allowed": _CONTRACT_VIEW},
    "returns.view": {"url": _return_url(_RETURN, "submitted"), "allowed": _CONTRACT_VIEW,
                     "organisation": _CONTRACT_ORG},
    "returns.form_xlsx": {"url": _return_url(_RETURN + "/form.xlsx", "draft"),
                          "allowed": _CONTRACT_VIEW, "organisation": _CONTRACT_ORG},
    "returns.download_file": {"url": _return_url(_RETURN + "/files/{file}", "submitted"),
                              "allowed": _CONTRACT_VIEW, "organisation": _CONTRACT_ORG},
    "returns.correct": {"url": _return_url(_RETURN + "/correction", "submitted"),
                        "allowed": _CONTRACT_EDIT, "organisation": _CONTRACT_ORG},
    "returns.accept": {"url": _return_url(_RETURN + "/accept", "submitted"), "method": "POST",
                       "allowed": _CONTRACT_EDIT, "organisation": _CONTRACT_ORG},
    "returns.upload": {"url": _return_url(_RETURN + "/upload", "draft"),
                       "allowed": ("provider",), "organisation": _CONTRACT_ORG},
    "returns.add_file": {"url": _return_url(_RETURN + "/files", "draft"),
                         "allowed": ("provider",), "organisation": _CONTRACT_ORG},
    "returns.remove_file": {"url": _return_url(_RETURN + "/files/{file}/remove", "draft"),
                            "method": "POST", "allowed": ("provider",),
                            "organisation": _CONTRACT_ORG},
})


def _panel_url(app, pattern: str) -> str:
    """A youth panel session for July to September 2026 and a card answered in it; fill
    ``{session}`` and ``{card}``."""
    from datetime import date, datetime, timezone

    from feedback.extensions import db
    from feedback.models import PanelSession
    from tests.factories import make_card
    with app.app_context():
        card = make_card(db, text="Matrix answered card", status="done",
                         status_changed_at=datetime(2026, 8, 3, 12, tzinfo=timezone.utc))
        session = PanelSession(period_kind="quarter", period_start=date(2026, 7, 1),
                               period_end=date(2026, 9, 30), held_on=date(2026, 10, 2),
                               group_name="Matrix Youth Council", young_people=8)
        db.session.add(session)
        db.session.commit()
        return pattern.format(session=session.id, card=card.id)


_PANEL = ("participation_worker", "commissioner")
_Q3 = "/youth-panel/quarter/2026-07-01"
MATRIX.update({
    "ratification.home": {"url": "/youth-panel", "allowed": _PANEL},
    "ratification.period": {"url": _Q3, "allowed": _PANEL},
    "ratification.new_session": {"url": _Q3 + "/sessions/new", "allowed": _PANEL},
    "ratification.verdict": {"url": lambda app: _panel_url(
        app, "/youth-panel/sessions/{session}/answer/{card}"), "allowed": _PANEL},
    "ratification.waiver": {"url": _Q3 + "/no-panel", "allowed": ("commissioner",)},
    "baselines.upload": {"url": "/admin/baselines", "allowed": ("admin",)},
    "baselines.template": {"url": "/admin/baselines/template.csv", "allowed": ("admin",)},
    "baselines.heard": {"url": "/insight/who-we-are-not-hearing-from", "allowed": _INSIGHT},
})


# Young Inspectors' reports: a report on the matrix provider's service (every role signs in
# as a member of that organisation, so "provider" is the provider of the inspected service),
# with one score, one item and one file kept in the instance folder.
def _inspection_url(app, pattern: str) -> str:
    """Fill ``{inspection}``, ``{file}`` and ``{standard}``."""
    from feedback.extensions import db
    from feedback.inspections.files import FILES_FOLDER
    from feedback.family.uploads import folder_for
    from feedback.models import (FeedbackEntry, Inspection, InspectionFile, InspectionItem,
                                 InspectionScore, InspectionStandard)
    from tests.web.contracts_factories import MATRIX_PROVIDER, make_provider, make_service
    from feedback import clock
    with app.app_context():
        provider = make_provider(db, MATRIX_PROVIDER)
        standard = InspectionStandard(name="Matrix welcome", description="Matrix")
        inspection = Inspection(service=make_service(db, provider), visit_date=clock.today(),
                                group_name="Matrix inspectors", inspectors=5,
                                what_was_good="Matrix good", what_was_good_redacted="Matrix good")
        inspection.scores.append(InspectionScore(standard=standard, score=3))
        entry = FeedbackEntry(source="young_inspectors", respondent_type="young_person",
                              could_be_better="Matrix change", service=inspection.service)
        inspection.items.append(InspectionItem(entry=entry))
        stored = "matrix-inspection-file-0001"
        (folder_for(app.instance_path, FILES_FOLDER) / stored).write_bytes(b"%PDF-1.4\n")
        inspection.files.append(InspectionFile(stored_name=stored, filename="visit.pdf",
                                               content_type="application/pdf", size=9))
        db.session.add(inspection)
        db.session.commit()
        return pattern.format(inspection=inspection.id, file=inspection.files[0].id,
                              standard=standard.id)


_INSPECTION_READERS = ("participation_worker", "commissioner", "provider")
_STANDARDS = ("participation_worker", "admin")
MATRIX.update({
    "inspections.index": {"url": "/inspections", "allowed": ("participation_worker",
                                                              "commissioner")},
    "inspections.new": {"url": "/inspections/new", "allowed": ("participation_worker",)},
    "inspections.report": {"url": lambda app: _inspection_url(app, "/inspections/{inspection}"),
                           "allowed": _INSPECTION_READERS, "organisation": _CONTRACT_ORG},
    "inspections.add_file": {
        "url": lambda app: _inspection_url(app, "/inspections/{inspection}/files"),
        "method": "POST", "allowed": ("participation_worker",), "organisation": _CONTRACT_ORG},
    "inspections.download_file": {
        "url": lambda app: _inspection_url(app, "/inspections/{inspection}/files/{file}"),
        "allowed": _INSPECTION_READERS, "organisation": _CONTRACT_ORG},
    "inspections.response": {
        "url": lambda app: _inspection_url(app, "/inspections/{inspection}/response"),
        "allowed": ("provider",), "organisation": _CONTRACT_ORG},
    "inspections.report_docx": {
        "url": lambda app: _inspection_url(app, "/inspections/{inspection}/report.docx"),
        "allowed": _INSPECTION_READERS, "organisation": _CONTRACT_ORG},
    "inspections.standards": {"url": "/inspections/standards", "allowed": _STANDARDS},
    "inspections.new_standard": {"url": "/inspections/standards/new", "allowed": _STANDARDS},
    "inspections.edit_standard": {
        "url": lambda app: _inspection_url(app, "/inspections/standards/{standard}"),
        "allowed": _STANDARDS},
    "inspections.remove_standard": {
        "url": lambda app: _inspection_url(app, "/inspections/standards/{standard}/remove"),
        "method": "POST", "allowed": _STANDARDS},
    "inspections.restore_standard": {
        "url": lambda app: _inspection_url(app, "/inspections/standards/{standard}/restore"),
        "method": "POST", "allowed": _STANDARDS},
})


# Invitations, provider action updates and the commissioner's decision on them.
def _update_url(app, pattern: str) -> str:
    """An update with an evidence file on the matrix provider's action; fills ``{update}``."""
    from feedback.contracts import evidence
    from feedback.extensions import db
    from feedback.models import ActionUpdate, ReviewAction
    with app.app_context():
        action_id = int(matrix_url_action(app))
        stored = evidence.save(app.instance_path, b"%PDF-1.4\n%%EOF\n")
        update = ActionUpdate(action_id=action_id, kind="progress", evidence_file=stored,
                              evidence_filename="matrix.pdf")
        db.session.add(update)
        db.session.get(ReviewAction, action_id).completion_claimed_at = None
        db.session.commit()
        return pattern.format(update=update.id)


def matrix_url_action(app) -> str:
    from tests.web.contracts_factories import matrix_url
    return matrix_url(app, "{action}")


MATRIX.update({
    # An unknown link answers 404 with its own page (tests/web/test_invitations.py).
    "auth.invitation": {"url": "/invitation/not-a-real-token", "allowed": PUBLIC,
                        "ok": (404,)},
    "admin.reinvite_user": {"url": lambda app: _staff_url(app, "/admin/users/{user}/invite"),
                            "method": "POST", "allowed": ("admin",)},
    "provider.action": {"url": _contract_url("/provider/actions/{action}"),
                        "allowed": ("provider",), "organisation": _CONTRACT_ORG},
    "contracts.completion": {"url": _contract_url("/contracts/actions/{action}/completion"),
                             "allowed": _CONTRACT_EDIT, "organisation": _CONTRACT_ORG,
                             "ok": (302,)},
    "contracts.action_evidence": {
        "url": lambda app: _update_url(app, "/contracts/action-updates/{update}/evidence"),
        "allowed": _CONTRACT_VIEW, "organisation": _CONTRACT_ORG},
})

MATRIX.update({
    "moderation.worker_contacts": {"url": "/moderation/worker-contacts",
                                   "allowed": ("moderator", "participation_worker")},
})

MATRIX.update({
    "account.digest": {"url": "/account/digest", "method": "POST", "allowed": ANY_STAFF},
})
