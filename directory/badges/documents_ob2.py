"""Open Badges 2.0 documents built from the models: what is public, decided here.

Ids and shared facts come from ``documents``; the shapes from ``directory.openbadges.ob2``.
Signing creates the organisation's key on first use (flushes; the caller commits).
"""

import json
from typing import Any

from directory.badges import documents as d
from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.endorsements.models import Endorsement
from directory.openbadges import baking
from directory.openbadges import jose
from directory.openbadges import keys as obkeys
from directory.openbadges import ob2
from directory.organisations import keys
from directory.organisations.models import Organisation
from directory.organisations.models import SigningKey


def issuer_profile(organisation: Organisation) -> dict[str, Any]:
    """The issuer (or endorser) Profile, with its signing key, revocation list and endorsements."""
    # One key only: 1EdTech's validator refuses a Profile whose publicKey has several values,
    # even for hosted badges. Retired keys stay published at their URL (with ``owner``).
    key = keys.active_key(organisation, "RS256")
    return ob2.issuer_profile(
        id=d.issuer_v2_url(organisation),
        name=organisation.name,
        url=d.organisation_homepage(organisation),
        email=d.organisation_contact_email(organisation),
        description=organisation.description_fr or None,
        public_keys=[d.key_url(key)] if key else [],
        revocation_list=d.revocation_list_url(organisation),
        endorsements=[d.endorsement_v2_url(e) for e in d.issuer_endorsements(organisation)],
    )


def alignments(badge_class: BadgeClass) -> list[dict[str, Any]]:
    """AlignmentObjects of the class's competencies (ESCO skills and others)."""
    return [
        {
            "targetName": competency.label_fr,
            "targetUrl": competency.uri,
            "targetFramework": competency.framework,
            "targetCode": competency.code,
            "targetDescription": competency.description_fr or None,
        }
        for competency in badge_class.competencies
    ]


def badge_class(badge_class: BadgeClass) -> dict[str, Any]:
    """The BadgeClass, in French, with its alignments and displayed endorsements."""
    return ob2.badge_class(
        id=d.badge_class_url(badge_class),
        name=badge_class.name_fr,
        description=badge_class.description_fr,
        image=d.image_url(badge_class),
        criteria_url=d.badge_class_page_url(badge_class),
        criteria_narrative=badge_class.criteria_fr,
        issuer_id=d.issuer_v2_url(badge_class.issuer),
        tags=badge_class.tags or (),
        alignments=alignments(badge_class),
        endorsements=[d.endorsement_v2_url(e) for e in d.displayed_endorsements(badge_class)],
    )


def assertion(award: Award, signed_by: SigningKey | None = None) -> dict[str, Any]:
    """The Assertion: hosted, or signed (``verification.creator`` = key URL) with ``signed_by``."""
    return ob2.assertion(
        id=d.assertion_url(award),
        badge_id=d.badge_class_url(award.badge_class),
        recipient_hash=award.identity_hash,
        salt=award.salt,
        issued_on=award.issued_on,
        verification_type="signed" if signed_by else "hosted",
        creator=d.key_url(signed_by) if signed_by else None,
        expires=award.expires_on,
        # Evidence stays out: it is the holder's material and nothing records consent to publish it.
        narrative=award.narrative or None,
    )


def revoked_assertion(award: Award) -> dict[str, Any]:
    """The body served with HTTP 410 for a revoked hosted assertion: id, revoked, reason."""
    # No type: a typed body would be read as a (broken) Assertion instead of a revocation.
    return {"id": d.assertion_url(award), "revoked": True, "revocationReason": award.revocation_reason}


def signed_assertion(award: Award) -> str:
    """The Assertion as a compact JWS (RS256) signed with the issuer's active RSA key."""
    key = keys.signing_key(award.badge_class.issuer, "RS256")
    return jose.sign_jws_ob2(assertion(award, key), keys.private_key(key), kid=d.key_url(key))


def assertion_json(award: Award) -> str:
    """The hosted Assertion as compact JSON text (what is baked)."""
    return json.dumps(assertion(award), ensure_ascii=False, separators=(",", ":"))


def baked_png(award: Award) -> bytes:
    """The class PNG with the hosted Assertion in an ``openbadges`` iTXt chunk."""
    png = d.badge_png(award.badge_class)
    return baking.bake_png(png, assertion_json(award), baking.OB2_KEYWORD)


def baked_svg(award: Award) -> bytes | None:
    """The class SVG with the hosted Assertion baked in, or None when the image is a PNG."""
    svg = d.badge_svg(award.badge_class)
    if svg is None:
        return None
    return baking.bake_svg(svg, assertion_json(award), "2.0", verify_url=d.assertion_url(award))


def revocation_list(organisation: Organisation) -> dict[str, Any]:
    """Revoked awards of its badge classes and endorsements it has withdrawn."""
    awards = [(d.assertion_url(a), a.revocation_reason) for a in d.revoked_awards(organisation)]
    # A withdrawal's reason is an internal note: only the fact is published.
    endorsements = [(d.endorsement_v2_url(e), None) for e in d.withdrawn_endorsements(organisation)]
    return ob2.revocation_list(
        d.revocation_list_url(organisation), d.issuer_v2_url(organisation), awards + endorsements
    )


def endorsement_claim_id(endorsement: Endorsement) -> str:
    """The OB 2.0 id of what is endorsed: a BadgeClass or an issuer Profile."""
    if endorsement.badge_class is not None:
        return d.badge_class_url(endorsement.badge_class)
    return d.issuer_v2_url(endorsement.target_organisation)


def endorsement(endorsement: Endorsement) -> dict[str, Any]:
    """The hosted Endorsement, issued by the endorsing organisation's Profile."""
    return ob2.endorsement(
        id=d.endorsement_v2_url(endorsement),
        claim_id=endorsement_claim_id(endorsement),
        comment=endorsement.comment,
        issuer_id=d.issuer_v2_url(endorsement.endorser),
        issued_on=d.endorsement_date(endorsement),
    )


def withdrawn_endorsement(endorsement: Endorsement) -> dict[str, Any]:
    """The body served with HTTP 410 for a withdrawn endorsement: id, issuer, revoked."""
    return {
        "id": d.endorsement_v2_url(endorsement),
        "issuer": d.issuer_v2_url(endorsement.endorser),
        "revoked": True,
    }


def cryptographic_key(key: SigningKey) -> dict[str, Any]:
    """An RSA key as a CryptographicKey, with its JWK for VC-JWT verifiers that read it there."""
    public = keys.public_key(key)
    document = obkeys.ob2_cryptographic_key(d.key_url(key), d.issuer_v2_url(key.organisation), public)
    return {**document, "publicKeyJwk": obkeys.jwk_public(public, d.key_url(key))}
