"""Cards written in Welsh for the demo. The safeguarding screen reads English only, so they
are held for a moderator with the reason the live rule gives (feedback/language_screen.py),
as a Welsh card sent today would be (docs/i18n.md, docs/safeguarding.md)."""
from __future__ import annotations

from ..extensions import db
from ..language_screen import unscreened_reason
from ..models import ActionCard
from ..redaction import redact

# (kind, what the young person wrote, words in the name of a service it fits): written for the
# demo, varied, not templated.
WELSH_CARDS = (
    ("stop", "Plîs stopiwch newid fy ngweithiwr cymdeithasol bob chwe mis. Dw i wedi cael "
             "pedwar mewn dwy flynedd a dw i wedi blino dweud fy stori eto.",
     ("leaving care", "fostering", "children in care", "independent visitors")),
    ("start", "Hoffwn i weld y clwb ieuenctid yn agor ar nos Sadwrn. Does dim byd i'w wneud yn "
              "y pentref ar ôl chwech o'r gloch a does dim bws adref.",
     ("youth",)),
    ("change", "Mae'r ystafell aros yn y clinig yn rhy swnllyd. Byddai'n well gen i aros mewn "
               "lle tawel gyda rhywun dw i'n ei nabod cyn y sesiwn.",
     ("camhs", "mental health", "speech", "occupational", "school nursing")),
)


# The services' plain names in Welsh (``Service.plain_name_cy``), shown on Welsh pages. Written
# by the development team: they need review by a fluent Welsh speaker (docs/i18n.md), as do the
# platform's Welsh names (SERVICE_NAME_CY and ORGANISATION_NAME_CY in feedback/config.py).
PLAIN_NAMES_CY = {
    "Children and Young People's Mental Health Service (CAMHS)":
        "CAMHS: help gyda theimladau ac iechyd meddwl",
    "Mental Health Support Teams in Schools": "Help iechyd meddwl yn yr ysgol",
    "Eating Disorders Service": "Help gyda phroblemau bwyta",
    "School Nursing Service": "Nyrsys ysgol",
    "Youth Counselling Service": "Cwnsela i bobl ifanc",
    "Sexual Health Service for Young People": "Clinig iechyd rhywiol i bobl ifanc",
    "Short Breaks Programme": "Seibiannau byr a gweithgareddau",
    "Speech and Language Therapy": "Therapi lleferydd ac iaith",
    "Occupational Therapy for Children": "Therapi galwedigaethol",
    "SEND Transport": "Cludiant i'r ysgol",
    "Autism and ADHD Assessment Pathway": "Asesiadau awtistiaeth ac ADHD",
    "SEND Information, Advice and Support Service": "Gwasanaeth cyngor AAA",
    "Inclusive Play Schemes": "Cynlluniau chwarae gwyliau",
    "Supported Accommodation for Care Leavers": "Tai â chymorth i bobl sy'n gadael gofal",
    "Fostering Service": "Gofal maeth",
    "Leaving Care Personal Advisers": "Cynghorwyr personol i bobl sy'n gadael gofal",
    "Independent Visitors Scheme": "Ymwelwyr annibynnol",
    "Children in Care Health Team": "Archwiliadau iechyd i blant mewn gofal",
    "Family Centres": "Canolfannau teulu",
    "Health Visiting Service": "Ymwelwyr iechyd",
    "Early Years Inclusion Service": "Help ychwanegol yn y feithrinfa",
    "Portage Home Visiting": "Ymweliadau cartref Portage",
    "Domestic Abuse Outreach for Families": "Help pan fydd rhywun gartref yn brifo pobl",
    "Children's Domestic Abuse Recovery Groups": "Grwpiau i blant ar ôl cam-drin domestig",
    "Refuge Children's Workers": "Gweithwyr plant mewn lloches",
    "Early Help Family Support": "Gweithwyr cymorth i deuluoedd",
    "Youth Service": "Clybiau ieuenctid a gweithwyr ieuenctid",
    "Young Carers Service": "Cymorth i ofalwyr ifanc",
    "Parenting Programmes": "Cyrsiau rhianta",
    "Targeted Youth Support": "Gweithwyr ieuenctid i bobl ifanc mewn perygl",
}


def mark_welsh_examples() -> int:
    """Give cards still waiting for a moderator (unflagged, unanswered, not referred) Welsh
    words, each on a card about a service its words fit, held with the reason; the demo's
    counts stay as they are. A small demo may have too few cards waiting: the newest approved
    cards nobody has answered yet are then taken back to the moderator's queue, as a Welsh
    card would never have been approved by the screen's English rules."""
    waiting = db.session.scalars(db.select(ActionCard).where(
        ActionCard.moderation_state == "pending", ActionCard.safeguarding_flagged.is_(False),
        ActionCard.safeguarding_referred_at.is_(None), ActionCard.status == "received",
    ).order_by(ActionCard.created_at.desc(), ActionCard.id.desc())).all()
    if len(waiting) < len(WELSH_CARDS):
        waiting += [c for c in db.session.scalars(db.select(ActionCard).where(
            ActionCard.is_published, ActionCard.safeguarding_referred_at.is_(None),
            ActionCard.status == "received",
        ).order_by(ActionCard.created_at.desc(), ActionCard.id.desc())) if not c.responses]
    done = 0
    for kind, text, fits in WELSH_CARDS:
        card = next((c for c in waiting if c.service is not None
                     and any(f in c.service.name.lower() for f in fits)),
                    waiting[0] if waiting else None)
        if card is None:
            continue
        waiting.remove(card)
        card.kind, card.text, card.text_redacted = kind, text, redact(text)
        card.me_too_count = 0
        card.moderation_state, card.moderated_at, card.moderated_by = "pending", None, None
        card.moderation_reason = unscreened_reason(text)
        done += 1
    return done
