"""Every transition of the endorsement lifecycle, and every forbidden one, as tables over the services."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from directory.badges import documents
from directory.badges import documents_ob2
from directory.badges import documents_ob3
from directory.core.db import utcnow
from directory.core.models import AuditEntry
from directory.endorsements import public
from directory.endorsements import services
from directory.endorsements.services import EndorsementError
from directory.endorsements.services import Target
from directory.openbadges import ob3

COMMENT = "Nous reconnaissons ce badge dans nos **appels à projets**."


def of_badge(w):
    return Target(badge_class=w.badge)


def active(w):
    return services.endorse(of_badge(w), w.partner, w.partner_member, COMMENT)


def requested(w):
    return services.request_endorsement(of_badge(w), w.partner, w.editor, "Pourriez-vous reconnaître ce badge ?")


def withdrawn(w):
    return services.withdraw(active(w), w.partner_member, "Nos critères ont changé")


def declined(w):
    return services.decline(requested(w), w.partner_member, "Pas cette année")


def hidden(w):
    return services.hide(active(w), w.editor, "Hors de notre champ")


def nothing(w):
    return None


# (setup, action, state afterwards, audit action)
ALLOWED = {
    "endorse a badge class": (nothing, lambda w, e: active(w), "active", "endorsement.create"),
    "endorse an issuer": (nothing, lambda w, e: services.endorse(Target(issuer=w.issuer), w.other, w.other_member, COMMENT), "active", "endorsement.create"),
    "endorse with a validity period": (nothing, lambda w, e: services.endorse(of_badge(w), w.partner, w.partner_member, COMMENT, utcnow() + timedelta(days=365)), "active", "endorsement.create"),
    "issuer requests": (nothing, lambda w, e: requested(w), "requested", "endorsement.request"),
    "partner accepts a request": (requested, lambda w, e: services.accept(e, w.partner_member, COMMENT), "active", "endorsement.accept"),
    "partner declines a request": (requested, lambda w, e: services.decline(e, w.partner_member), "declined", "endorsement.decline"),
    "endorser edits": (active, lambda w, e: services.edit(e, w.partner_member, "Un autre mot."), "active", "endorsement.edit"),
    "endorser withdraws": (active, lambda w, e: services.withdraw(e, w.partner_member, "Nos critères ont changé"), "withdrawn", "endorsement.withdraw"),
    "issuer hides": (active, lambda w, e: services.hide(e, w.editor, "Hors de notre champ"), "active", "endorsement.hide"),
    "issuer shows again": (hidden, lambda w, e: services.unhide(e, w.editor), "active", "endorsement.unhide"),
    "endorse anew after a withdrawal": (withdrawn, lambda w, e: active(w), "active", "endorsement.create"),
    "request anew after a decline": (declined, lambda w, e: requested(w), "requested", "endorsement.request"),
}

# (setup, action, refusal code)
FORBIDDEN = {
    "pending member endorses": (nothing, lambda w, e: services.endorse(of_badge(w), w.partner, w.pending, COMMENT), "forbidden"),
    "suspended member endorses": (nothing, lambda w, e: services.endorse(of_badge(w), w.partner, w.suspended, COMMENT), "forbidden"),
    "someone endorses for an organisation not theirs": (nothing, lambda w, e: services.endorse(of_badge(w), w.partner, w.other_member, COMMENT), "forbidden"),
    "member of an unverified organisation endorses": (nothing, lambda w, e: services.endorse(of_badge(w), w.unverified, w.unverified_member, COMMENT), "forbidden"),
    "a draft badge class is endorsed": (nothing, lambda w, e: services.endorse(Target(badge_class=w.draft), w.partner, w.partner_member, COMMENT), "not_published"),
    "a class in review is endorsed": (nothing, lambda w, e: services.endorse(Target(badge_class=w.in_review), w.partner, w.partner_member, COMMENT), "not_published"),
    "a partner is endorsed as an issuer": (nothing, lambda w, e: services.endorse(Target(issuer=w.other), w.partner, w.partner_member, COMMENT), "not_an_issuer"),
    "an issuer endorses its own class": (nothing, lambda w, e: services.endorse(of_badge(w), w.issuer, w.editor, COMMENT), "own_badge"),
    "endorsed twice": (active, lambda w, e: active(w), "already_endorsed"),
    "endorsed while a request waits": (requested, lambda w, e: active(w), "already_endorsed"),
    "an empty comment": (nothing, lambda w, e: services.endorse(of_badge(w), w.partner, w.partner_member, "<script>alert(1)</script>"), "comment_required"),
    "a validity already over": (nothing, lambda w, e: services.endorse(of_badge(w), w.partner, w.partner_member, COMMENT, utcnow() - timedelta(days=1)), "bad_validity"),
    "another organisation's member withdraws": (active, lambda w, e: services.withdraw(e, w.other_member, "Je passe par là"), "forbidden"),
    "another organisation's member edits": (active, lambda w, e: services.edit(e, w.other_member, "Piraté"), "forbidden"),
    "pending member withdraws": (active, lambda w, e: services.withdraw(e, w.pending, "Motif"), "forbidden"),
    "a withdrawn endorsement is edited": (withdrawn, lambda w, e: services.edit(e, w.partner_member, "Revenons"), "not_active"),
    "a withdrawn endorsement is re-activated": (withdrawn, lambda w, e: services.accept(e, w.partner_member, COMMENT), "not_requested"),
    "a withdrawn endorsement is withdrawn again": (withdrawn, lambda w, e: services.withdraw(e, w.partner_member, "Encore"), "not_active"),
    "a withdrawn endorsement is hidden": (withdrawn, lambda w, e: services.hide(e, w.editor, "Motif"), "not_active"),
    "withdrawn without a reason": (active, lambda w, e: services.withdraw(e, w.partner_member, "  "), "reason_required"),
    "an active endorsement is declined": (active, lambda w, e: services.decline(e, w.partner_member), "not_requested"),
    "a declined request is accepted": (declined, lambda w, e: services.accept(e, w.partner_member, COMMENT), "not_requested"),
    "another organisation's member accepts": (requested, lambda w, e: services.accept(e, w.other_member, COMMENT), "forbidden"),
    "a partner hides": (active, lambda w, e: services.hide(e, w.partner_member, "Motif"), "forbidden"),
    "an issuer reviewer hides": (active, lambda w, e: services.hide(e, w.reviewer, "Motif"), "forbidden"),
    "hidden without a reason": (active, lambda w, e: services.hide(e, w.editor, ""), "reason_required"),
    "a partner requests": (nothing, lambda w, e: services.request_endorsement(of_badge(w), w.other, w.partner_member), "forbidden"),
    "a draft is requested": (nothing, lambda w, e: services.request_endorsement(Target(badge_class=w.draft), w.partner, w.editor), "not_published"),
}


def _audit_actions(db) -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.mark.parametrize("name", ALLOWED)
def test_allowed_transition(db, world, name):
    setup, action, state, audited = ALLOWED[name]
    before = setup(world)
    endorsement = action(world, before)
    db.session.commit()
    assert endorsement.state == state
    assert _audit_actions(db)[-1] == audited


@pytest.mark.parametrize("name", FORBIDDEN)
def test_forbidden_transition(db, world, name):
    setup, action, code = FORBIDDEN[name]
    before = setup(world)
    db.session.commit()
    snapshot = (before.state, before.comment, before.hidden) if before is not None else None
    audited = len(_audit_actions(db))
    with pytest.raises(EndorsementError) as refused:
        action(world, before)
    assert refused.value.code == code
    db.session.rollback()
    assert len(_audit_actions(db)) == audited
    if before is not None:
        db.session.refresh(before)
        assert (before.state, before.comment, before.hidden) == snapshot


def test_withdrawal_is_on_record_and_revoked_in_every_document(db, world):
    endorsement = active(world)
    assert documents_ob2.badge_class(world.badge)["endorsement"] == [documents.endorsement_v2_url(endorsement)]
    services.withdraw(endorsement, world.partner_member, "Nos critères ont changé")
    db.session.commit()
    assert endorsement.withdrawn_at is not None and endorsement.reason == "Nos critères ont changé"
    assert "endorsement" not in documents_ob2.badge_class(world.badge)
    revoked = [entry["id"] for entry in documents_ob2.revocation_list(world.partner)["revokedAssertions"]]
    assert revoked == [documents.endorsement_v2_url(endorsement)]
    status = documents_ob3.status_list_credential(world.partner, "endorsements")
    assert ob3.is_index_set(ob3.decode_status_list(status["credentialSubject"]["encodedList"]), endorsement.id)
    assert "endorsement" not in documents_ob3.achievement_document(world.badge)


def test_hidden_stays_a_valid_document_but_leaves_the_issuer_lists(db, world):
    endorsement = hidden(world)
    db.session.commit()
    assert documents.is_published_endorsement(endorsement)
    assert documents_ob2.endorsement(endorsement)["claim"]["id"] == documents.badge_class_url(world.badge)
    assert "endorsement" not in documents_ob2.badge_class(world.badge)
    assert public.of_badge_class(world.badge) == []
    assert public.given(world.partner) == []


def test_an_expired_endorsement_is_no_longer_displayed(db, world):
    endorsement = services.endorse(of_badge(world), world.partner, world.partner_member, COMMENT, utcnow() + timedelta(days=2))
    db.session.commit()
    assert public.of_badge_class(world.badge) == [endorsement]
    endorsement.valid_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert services.is_expired(endorsement) and not services.is_displayed(endorsement)
    assert public.of_badge_class(world.badge) == []
    assert "endorsement" not in documents_ob2.badge_class(world.badge)
    assert documents_ob3.endorsement_credential(endorsement)["validUntil"].startswith(str(endorsement.valid_until.year))


def test_issuer_endorsements_are_listed_in_both_profiles(db, world):
    endorsement = services.endorse(Target(issuer=world.issuer), world.other, world.other_member, COMMENT)
    db.session.commit()
    assert documents_ob2.issuer_profile(world.issuer)["endorsement"] == [documents.endorsement_v2_url(endorsement)]
    listed = documents_ob3.profile_document(world.issuer)["endorsement"]
    assert [item["id"] for item in listed] == [documents.endorsement_v3_url(endorsement)]


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("Un **bon** badge", "Un **bon** badge"),
        ("<script>alert(1)</script>Utile", "Utile"),
        ('<a href="javascript:x">lien</a> [ici](https://exemple.fr)', "lien [ici](https://exemple.fr)"),
        ("&lt;img src=x onerror=alert(1)&gt; ok", "ok"),
        ("Prix < 100 € & TVA", "Prix < 100 € & TVA"),
    ],
)
def test_comments_keep_markdown_and_lose_html(written, kept):
    assert services.clean_comment(written) == kept


def test_acknowledging_marks_new_endorsements_seen(db, world):
    endorsement = active(world)
    assert services.acknowledge([endorsement], world.reviewer, world.issuer) == 1
    assert endorsement.acknowledged_at is not None
    services.edit(endorsement, world.partner_member, "Reformulé.")
    assert endorsement.acknowledged_at is None
    with pytest.raises(EndorsementError):
        services.acknowledge([endorsement], world.partner_member, world.issuer)
