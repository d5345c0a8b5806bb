"""Scale the demo to N entrepreneurs fast: the demo generator's plans, written with SQLAlchemy Core.

Not a test. `flask demo load --profiles N` writes through the ORM with the paper trail of each
award (application, evidence, review, audit rows): about 36 profiles a second on this machine,
so 45 minutes or more for 100,000. This writes the same people (``directory.demo.generate``:
same slugs, names, communes, sectors, awards, visibility and consent) as bulk INSERTs of users,
profiles and awards only — no applications, evidence or audit rows for the added people, which
no page of the load mix reads. Run it after `flask demo load` (which creates the organisations,
staff, badge classes, endorsements and the first entrepreneurs with their full trail):

    .venv/bin/python -m bench.load.generate --profiles 100000

It adds only the entrepreneurs that are missing (found by slug), so a second run adds nothing.
Core inserts go around the ORM session, so the search index is not touched: run
`flask search reindex` afterwards.
"""

import argparse
import time
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import text

from directory import create_app
from directory.accounts.models import User
from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.demo import data
from directory.demo.generate import entrepreneurs
from directory.demo.loader import _add_months
from directory.demo.loader import _staff_email
from directory.demo.loader import demo_uuid
from directory.extensions import db
from directory.openbadges.hashing import hash_identity
from directory.profiles.models import Profile

BATCH = 2000


def reviewer_id(connection) -> int:
    """The issuer's reviewer, who signs the demo's awards (as `flask demo load` does)."""
    local = next(part for slug, _, part, role in data.STAFF if slug == data.ISSUER["slug"] and role == "reviewer")
    email = _staff_email(data.ISSUER["slug"], local)
    found = connection.scalar(select(User.id).where(User.email == email))
    if found is None:
        raise SystemExit("run `flask demo load` first: the demo's organisations and staff are missing")
    return found


def add_entrepreneurs(count: int) -> dict:
    started = time.monotonic()
    plans = entrepreneurs(count)
    planned = time.monotonic()
    with db.engine.begin() as connection:
        existing = set(connection.scalars(select(Profile.slug)))
        classes = {slug: (id_, months) for id_, slug, months in connection.execute(
            select(BadgeClass.id, BadgeClass.slug, BadgeClass.expiry_months))}  # fmt: skip
        reviewer = reviewer_id(connection)
    missing = [plan for plan in plans if plan.slug not in existing]
    totals = {"profiles": 0, "users": 0, "awards": 0}
    for start in range(0, len(missing), BATCH):
        batch = missing[start : start + BATCH]
        with db.engine.begin() as connection:
            _write_batch(connection, batch, classes, reviewer, totals)
        print(f"  {start + len(batch):>7} / {len(missing)} entrepreneurs written", flush=True)
    with db.engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
        total = connection.scalar(select(func.count()).select_from(Profile))
    return {**totals, "total_profiles": total, "plan_seconds": round(planned - started, 1),
            "write_seconds": round(time.monotonic() - planned, 1)}  # fmt: skip


def _write_batch(connection, batch, classes, reviewer, totals) -> None:
    with_user = [plan for plan in batch if plan.has_user]
    user_ids = {}
    if with_user:
        rows = connection.execute(
            insert(User).returning(User.id, User.email, sort_by_parameter_order=True),
            [
                {"display_name": p.display_name, "email": p.email, "email_verified": True, "created_at": p.created_at}
                for p in with_user
            ],
        )
        user_ids = {email: id_ for id_, email in rows}
    profile_rows = connection.execute(
        insert(Profile).returning(Profile.id, sort_by_parameter_order=True),
        [_profile(plan, user_ids.get(plan.email)) for plan in batch],
    )
    profile_ids = [id_ for (id_,) in profile_rows]
    awards = [
        _award(plan, award, profile_id, user_ids.get(plan.email), classes, reviewer)
        for plan, profile_id in zip(batch, profile_ids)
        for award in plan.awards
    ]
    if awards:
        connection.execute(insert(Award), awards)
    totals["users"] += len(user_ids)
    totals["profiles"] += len(batch)
    totals["awards"] += len(awards)


def _profile(plan, user_id: int | None) -> dict:
    return {
        "user_id": user_id,
        "slug": plan.slug,
        "display_name": plan.display_name,
        "first_name": plan.first_name,
        "last_name": plan.last_name,
        "headline": plan.headline,
        "bio": plan.bio,
        "company_name": plan.company_name,
        "siret": plan.siret,
        "commune": plan.commune,
        "commune_code": plan.commune_code,
        "departement": plan.departement,
        "departement_code": plan.departement_code,
        "region": data.REGION,
        "sectors": plan.sectors,
        "open_to": plan.open_to,
        "links": plan.links,
        "visibility": plan.visibility,
        "listing_consent": plan.listing_consent,
        "listing_consent_at": plan.created_at + timedelta(hours=2) if plan.listing_consent else None,
        "created_at": plan.created_at,
        "updated_at": max([plan.created_at, *(a.issued_on for a in plan.awards)]),
    }


def _award(plan, award, profile_id: int, user_id: int | None, classes: dict, reviewer: int) -> dict:
    class_id, months = classes[award.badge_slug]
    return {
        "uuid": demo_uuid("award", plan.slug, award.badge_slug),
        "badge_class_id": class_id,
        "recipient_id": user_id,
        "profile_id": profile_id,
        "recipient_email": plan.email,
        "recipient_name": plan.display_name,
        "salt": award.salt,
        "identity_hash": hash_identity(plan.email, award.salt),
        "issued_on": award.issued_on,
        "expires_on": _add_months(award.issued_on, months) if months else None,
        "awarded_by_id": reviewer,
        "revoked_at": award.revoked_on,
        "revocation_reason": award.revocation_reason,
        "claimed_at": award.issued_on + timedelta(days=2) if user_id else None,
        "visibility": award.visibility,
        "position": award.position,
        "featured": award.featured,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--profiles", type=int, default=100_000)
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        print(add_entrepreneurs(args.profiles), flush=True)


if __name__ == "__main__":
    main()
