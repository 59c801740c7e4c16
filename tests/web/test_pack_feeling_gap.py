"""The review pack counts every voice but reads feeling only from items with words and a
score: where the two differ the pack says why, beside the feeling (page and Word), with the
gap as a number only when it is not itself a group of fewer than 10."""
from __future__ import annotations

import io
from datetime import date, datetime, timezone

from tests.factories import build_card
from tests.web.contracts_factories import make_contract, make_provider, make_review, make_service

START, END = date(2026, 1, 1), date(2026, 3, 31)
WHEN = datetime(2026, 2, 1, 12, tzinfo=timezone.utc)


def _setup(db, unanalysed: int):
    from feedback.models import FeedbackEntry
    provider = make_provider(db, "Gap Provider")
    service = make_service(db, provider, name="Gap service")
    contract = make_contract(db, provider=provider, services=[service], reference="GAP-1")
    cards = [build_card(f"Words {n}", service_id=service.id, created_at=WHEN, sentiment=-0.6)
             for n in range(30)]
    cards += [build_card(f"Waiting {n}", service_id=service.id, created_at=WHEN,
                         moderation_state="pending", text_redacted=None) for n in range(3)]
    cards += [build_card(f"New {n}", service_id=service.id, created_at=WHEN)
              for n in range(unanalysed)]
    db.session.add_all(cards)
    # Imported with a rating only: the engine scores no words as 0, which is no feeling.
    db.session.add(FeedbackEntry(respondent_type="parent_carer", rating=3, went_well="",
                                 could_be_better="", service_id=service.id, created_at=WHEN,
                                 moderation_state="approved", sentiment=0.0))
    review = make_review(db, contract, START, END)
    db.session.commit()
    return review


def _word_text(client, review) -> str:
    import docx
    data = client.get(f"/contracts/reviews/{review.id}/pack.docx").data
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def test_a_small_gap_is_explained_without_its_number(db, client, login_as):
    review = _setup(db, unanalysed=2)  # 36 voices, 30 read: 6 not
    login_as("commissioner")
    html = client.get(f"/contracts/reviews/{review.id}/pack").get_data(as_text=True)
    expected = ("Feeling is read from 30 items: a few voices (fewer than 10) are not in it, "
                "because they are waiting for moderation or the safeguarding check, with no "
                "words to read, or not analysed yet.")
    assert "from 30 items." in html and expected in html
    assert "the other 6" not in html and " 6 " not in html.split('id="feeling-unread"')[1][:300]
    assert expected in _word_text(client, review)


def test_a_gap_of_10_or_more_is_given_with_its_reasons(db, client, login_as):
    review = _setup(db, unanalysed=12)  # 46 voices, 30 read: 16 not
    login_as("commissioner")
    html = client.get(f"/contracts/reviews/{review.id}/pack").get_data(as_text=True)
    expected = ("Feeling is read from 30 of the 46 voices: the other 16 are waiting for "
                "moderation or the safeguarding check, with no words to read, or not analysed "
                "yet.")
    assert expected in html
    assert expected in _word_text(client, review)


def test_no_sentence_when_every_voice_is_read(db, client, login_as):
    from feedback.models import ActionCard, FeedbackEntry
    review = _setup(db, unanalysed=0)
    db.session.execute(db.delete(ActionCard).where(ActionCard.moderation_state == "pending"))
    db.session.execute(db.delete(FeedbackEntry))
    db.session.commit()
    login_as("commissioner")
    html = client.get(f"/contracts/reviews/{review.id}/pack").get_data(as_text=True)
    assert "from 30 items." in html and "feeling-unread" not in html
