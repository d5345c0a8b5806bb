"""Open Badges 3.0 documents built from the models: credentials, proofs, keys and status lists.

Ids and shared facts come from ``documents``; shapes from ``directory.openbadges.ob3``.
Credentials are signed with the issuer's Ed25519 key (``eddsa-rdfc-2022``, the key
published as an https Multikey whose ``controller`` is the issuer's OB 3.0 Profile),
and as VC-JWT with its RSA key. Signing creates a key on first use (flushes only).
"""

import json
from datetime import UTC
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy import select

from directory.badges import documents as d
from directory.badges.documents_ob2 import alignments
from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.endorsements.models import Endorsement
from directory.extensions import db
from directory.openbadges import baking
from directory.openbadges import jose
from directory.openbadges import keys as obkeys
from directory.openbadges import ob3
from directory.openbadges import proofs
from directory.organisations import keys
from directory.organisations.models import Organisation
from directory.organisations.models import SigningKey

# Defines ``assertionMethod``, which verifiers look up in the key's controller document.
DID_CONTEXT = "https://www.w3.org/ns/did/v1"
ENDORSEMENT_STATUS = "endorsements"
AWARD_STATUS = "revocation"


# --------------------------------------------------------------------- profiles and keys


def issuer_profile(organisation: Organisation) -> dict[str, Any]:
    """The Profile embedded in credentials (no e-mail: OB 3.0 does not require it)."""
    return ob3.profile(
        id=d.issuer_v3_url(organisation),
        name=organisation.name,
        url=d.organisation_homepage(organisation),
        description=organisation.description_fr or None,
    )


def profile_document(organisation: Organisation) -> dict[str, Any]:
    """The Profile published at its id, with its live endorsements; also the controller of its Ed25519 keys."""
    methods = [d.key_url(key) for key in keys.published_keys(organisation, "Ed25519")]
    # Signing an endorsement may create the endorser's key: the view commits.
    endorsements = [endorsement_credential(e) for e in d.issuer_endorsements(organisation)]
    profile = issuer_profile(organisation)
    document = ob3.profile_document({**profile, "endorsement": endorsements} if endorsements else profile)
    if not methods:
        return document
    # Verifiers (DCC) check that the controller lists the proof's key under assertionMethod;
    # retired keys stay listed so credentials signed before a rotation keep verifying.
    return {**document, "@context": [*document["@context"], DID_CONTEXT], "assertionMethod": methods}


def multikey(key: SigningKey) -> dict[str, Any]:
    """An Ed25519 key as a Multikey document controlled by the issuer's Profile."""
    public = keys.public_key(key)
    return obkeys.multikey_document(d.key_url(key), d.issuer_v3_url(key.organisation), public)


def jwk(key: SigningKey) -> dict[str, Any]:
    """The public JWK of a key, ``kid`` = its URL, ``iss`` = its organisation (shared JWKS)."""
    public = keys.public_key(key)
    return {**obkeys.jwk_public(public, d.key_url(key)), "iss": d.issuer_v3_url(key.organisation)}


def jwks(organisations: list[Organisation]) -> dict[str, Any]:
    """JWK Set of the RSA keys (active and retired) of these organisations."""
    found = [key for org in organisations for key in keys.published_keys(org, "RS256")]
    return {"keys": [jwk(key) for key in found]}


# --------------------------------------------------------------------- achievements


def achievement(badge_class: BadgeClass, with_endorsements: bool = False) -> dict[str, Any]:
    """The Achievement; live endorsements only in the standalone document (see below)."""
    # Inside a signed credential an endorsement would be frozen at signing time, so
    # credentials carry none; the standalone Achievement embeds the current ones.
    endorsements = (
        [endorsement_credential(e) for e in d.displayed_endorsements(badge_class)]
        if with_endorsements
        else []
    )
    return ob3.achievement(
        id=d.achievement_url(badge_class),
        name=badge_class.name_fr,
        description=badge_class.description_fr,
        criteria_narrative=badge_class.criteria_fr,
        criteria_id=d.badge_class_page_url(badge_class),
        image=d.image_url(badge_class),
        alignments=[{k: v for k, v in a.items() if v} for a in alignments(badge_class)],
        tags=badge_class.tags or (),
        creator=issuer_profile(badge_class.issuer),
        endorsements=endorsements,
    )


def achievement_document(badge_class: BadgeClass) -> dict[str, Any]:
    """The Achievement published at its id, with its context."""
    body = achievement(badge_class, with_endorsements=True)
    return {"@context": ob3.contexts_for(body), **body}


# --------------------------------------------------------------------- credentials


def _sign(document: dict[str, Any], organisation: Organisation, since: datetime) -> dict[str, Any]:
    """Add an eddsa-rdfc-2022 proof with the organisation's active Ed25519 key."""
    key = keys.signing_key(organisation, "Ed25519")
    # A fixed ``created`` keeps the served document identical from one request to the next.
    created = max(since, key.created_at)
    return proofs.sign_data_integrity(
        document, keys.private_key(key), d.key_url(key), created=created
    )


def unsigned_credential(award: Award) -> dict[str, Any]:
    """The OpenBadgeCredential before its proof (recipient = salted e-mail hash)."""
    issuer = award.badge_class.issuer
    return ob3.open_badge_credential(
        id=d.credential_url(award),
        issuer_profile=issuer_profile(issuer),
        achievement=achievement(award.badge_class),
        recipient_hash=award.identity_hash,
        salt=award.salt,
        valid_from=award.issued_on,
        valid_until=award.expires_on,
        status=ob3.bitstring_status_list_entry(d.status_list_url(issuer, AWARD_STATUS), award.id),
    )


def credential(award: Award) -> dict[str, Any]:
    """The OpenBadgeCredential with its Data Integrity proof."""
    return _sign(unsigned_credential(award), award.badge_class.issuer, award.issued_on)


def credential_jwt(award: Award) -> str:
    """The credential as a VC-JWT, RS256, ``kid`` = the issuer's RSA key URL."""
    key = keys.signing_key(award.badge_class.issuer, "RS256")
    return jose.sign_vc_jwt(unsigned_credential(award), keys.private_key(key), kid=d.key_url(key))


def credential_json(award: Award) -> str:
    """The signed credential as JSON text (what is baked and downloaded)."""
    return json.dumps(credential(award), ensure_ascii=False, indent=2)


def baked_png(award: Award) -> bytes:
    """The class PNG with the credential in an ``openbadgecredential`` iTXt chunk."""
    png = d.badge_png(award.badge_class)
    return baking.bake_png(png, credential_json(award), baking.OB3_KEYWORD)


def baked_svg(award: Award) -> bytes | None:
    """The class SVG with the credential baked in, or None when the image is a PNG."""
    svg = d.badge_svg(award.badge_class)
    return None if svg is None else baking.bake_svg(svg, credential_json(award), "3.0")


# --------------------------------------------------------------------- endorsements


def endorsement_subject_id(endorsement: Endorsement) -> str:
    """The OB 3.0 id of what is endorsed: an Achievement or an issuer Profile."""
    if endorsement.badge_class is not None:
        return d.achievement_url(endorsement.badge_class)
    return d.issuer_v3_url(endorsement.target_organisation)


def endorsement_credential(endorsement: Endorsement) -> dict[str, Any]:
    """The EndorsementCredential, signed by the endorsing organisation's key."""
    endorser = endorsement.endorser
    issued = d.endorsement_date(endorsement)
    document = ob3.endorsement_credential(
        id=d.endorsement_v3_url(endorsement),
        issuer_profile=issuer_profile(endorser),
        subject_id=endorsement_subject_id(endorsement),
        comment=endorsement.comment,
        valid_from=issued,
        valid_until=endorsement.valid_until,
        name=f"{endorser.name} recommande « {d.endorsement_target_name(endorsement)} »",
        status=ob3.bitstring_status_list_entry(
            d.status_list_url(endorser, ENDORSEMENT_STATUS), endorsement.id
        ),
    )
    return _sign(document, endorser, issued)


# --------------------------------------------------------------------- status lists


def _award_indices(organisation: Organisation) -> tuple[list[int], int]:
    """Revoked award ids of the organisation's classes, and the largest award id."""
    largest = db.session.scalar(
        select(func.max(Award.id))
        .join(BadgeClass, Award.badge_class_id == BadgeClass.id)
        .where(BadgeClass.issuer_id == organisation.id)
    )
    return [award.id for award in d.revoked_awards(organisation)], largest or 0


def _endorsement_indices(organisation: Organisation) -> tuple[list[int], int]:
    """Withdrawn endorsement ids of the organisation, and its largest endorsement id."""
    largest = db.session.scalar(
        select(func.max(Endorsement.id)).where(Endorsement.endorser_id == organisation.id)
    )
    return [e.id for e in d.withdrawn_endorsements(organisation)], largest or 0


STATUS_INDICES = {AWARD_STATUS: _award_indices, ENDORSEMENT_STATUS: _endorsement_indices}


def status_list_length(largest_index: int) -> int:
    """Bits in the list: the spec minimum, grown in whole steps so every index fits."""
    step = ob3.STATUS_LIST_MIN_LENGTH
    return step * (largest_index // step + 1)


def status_list_credential(organisation: Organisation, purpose: str) -> dict[str, Any]:
    """The signed BitstringStatusListCredential for awards or endorsements."""
    revoked, largest = STATUS_INDICES[purpose](organisation)
    now = datetime.now(UTC).replace(microsecond=0)
    document = ob3.bitstring_status_list_credential(
        d.status_list_url(organisation, purpose),
        d.issuer_v3_url(organisation),
        revoked,
        status_list_length(largest),
        valid_from=now,
    )
    return _sign(document, organisation, now)

