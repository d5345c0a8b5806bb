"""Who sees the profile, and consent to be listed in the directory. Flush, never commit.

Changes go through the ORM, so the search index follows them on commit (directory/search hooks):
withdrawing consent or narrowing visibility takes the profile out of the index at once.
"""

from directory.core.audit import record
from directory.core.db import utcnow
from directory.extensions import db
from directory.profiles.models import ConsentEvent
from directory.profiles.models import Profile
from directory.profiles.serialisers import VISIBILITIES


def set_visibility(profile: Profile, visibility: str) -> None:
    """Public, partners only or private."""
    if visibility not in VISIBILITIES:
        raise ValueError(visibility)
    profile.visibility = visibility
    db.session.flush()


def give_consent(profile: Profile) -> None:
    """Consent to be listed, recorded with its date."""
    if profile.listing_consent:
        return
    profile.listing_consent, profile.listing_consent_at = True, utcnow()
    profile.consent_events.append(ConsentEvent(action="given", at=profile.listing_consent_at))
    record("profile.consent", profile, profile.user_id, given=True)
    db.session.flush()


def withdraw_consent(profile: Profile) -> None:
    """Withdraw consent: the profile leaves the directory when this is committed."""
    if not profile.listing_consent:
        return
    profile.listing_consent, profile.listing_consent_at = False, None
    profile.consent_events.append(ConsentEvent(action="withdrawn", at=utcnow()))
    record("profile.consent", profile, profile.user_id, given=False)
    db.session.flush()
