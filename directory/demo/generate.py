"""The demo entrepreneurs and their awards, drawn from seeded generators; no database here.

Entrepreneur n depends only on the seed and n, so asking for more profiles adds people
without changing the ones already there.
"""

import random
from dataclasses import dataclass
from dataclasses import replace
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from directory.demo import data
from directory.demo.identifiers import UniqueSlugs
from directory.demo.identifiers import random_siren
from directory.demo.identifiers import siret_for
from directory.demo.identifiers import slugify
from directory.profiles.models import OPEN_TO

DEMO_PERSON = ("Camille", "Martin", "Lille")
# Entrepreneur index → which revocation reason their first award gets.
REVOKED = {5: 0, 17: 1, 42: 2}
AWARD_COUNT_WEIGHTS = (10, 20, 25, 20, 15, 10)  # chances of holding 0, 1, … 5 badges
FIRST_AWARD_DAY = datetime(2024, 1, 15, tzinfo=UTC)
PROFILES_FROM = datetime(2023, 9, 1, tzinfo=UTC)
PROFILES_UNTIL = datetime(2025, 12, 31, tzinfo=UTC)


@dataclass(frozen=True)
class AwardPlan:
    badge_slug: str
    issued_on: datetime
    submitted_on: datetime
    position: int
    featured: bool
    visibility: str
    salt: str
    evidence_index: int
    evidence_url: str | None
    revoked_on: datetime | None = None
    revocation_reason: str | None = None


@dataclass(frozen=True)
class EntrepreneurPlan:
    index: int
    slug: str
    first_name: str
    last_name: str
    email: str
    has_user: bool
    headline: str
    bio: str
    company_name: str
    siret: str | None
    commune: str
    commune_code: str
    departement_code: str
    sectors: list
    open_to: list
    links: list
    visibility: str
    listing_consent: bool
    created_at: datetime
    awards: list

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def departement(self) -> str:
        return data.DEPARTEMENTS[self.departement_code]


def entrepreneurs(count: int) -> list[EntrepreneurPlan]:
    """The first `count` demo entrepreneurs, always the same."""
    slugs = UniqueSlugs()
    communes = list(data.COMMUNES)
    random.Random(data.SEED).shuffle(communes)
    published = [b["slug"] for b in data.BADGE_CLASSES if b["state"] == "published"]
    return [_entrepreneur(index, slugs, communes, published) for index in range(count)]


def _entrepreneur(index: int, slugs: UniqueSlugs, communes: list, published: list) -> EntrepreneurPlan:
    rng = random.Random(f"{data.SEED}/entrepreneur/{index}")
    if index == 0:
        first, last, town = DEMO_PERSON
        commune = next(c for c in data.COMMUNES if c[0] == town)
    else:
        first, last = rng.choice(data.FIRST_NAMES), rng.choice(data.LAST_NAMES)
        commune = communes[index] if index < len(communes) else _weighted_commune(rng)
    slug = slugs(f"{first} {last}")
    sector = rng.choice(list(data.SECTORS))
    headline, company_pattern, activity = rng.choice(data.SECTORS[sector])
    company = company_pattern.format(last=last, commune=commune[0])
    sectors = [sector]
    if rng.random() < 0.2 and sector != "économie sociale et solidaire":
        sectors.append("économie sociale et solidaire")
    created_at = _day_between(rng, PROFILES_FROM, PROFILES_UNTIL)
    visibility, consent = _visibility(rng, index)
    return EntrepreneurPlan(
        index=index,
        slug=slug,
        first_name=first,
        last_name=last,
        email=f"{slug.replace('-', '.')}@exemple.fr",
        has_user=index == 0 or rng.random() >= 0.08,
        headline=headline,
        bio=_bio(rng, company, commune[0], activity),
        company_name=company,
        siret=siret_for(random_siren(rng), rng.randint(1, 3)) if rng.random() < 0.75 else None,
        commune=commune[0],
        commune_code=commune[1],
        departement_code=commune[2],
        sectors=sectors,
        open_to=sorted(rng.sample(OPEN_TO, rng.randint(1, 3)), key=OPEN_TO.index),
        links=_links(rng, company),
        visibility=visibility,
        listing_consent=consent,
        created_at=created_at,
        awards=_awards(rng, index, slug, company, created_at, published),
    )


def _weighted_commune(rng: random.Random) -> tuple:
    return rng.choices(data.COMMUNES, weights=[c[3] for c in data.COMMUNES])[0]


def _visibility(rng: random.Random, index: int) -> tuple[str, bool]:
    draw = rng.random()
    if index == 0 or draw >= 0.24:
        return "public", True
    if draw < 0.07:
        return "private", False
    if draw < 0.18:
        return "partners", True
    return "public", False


def _bio(rng: random.Random, company: str, commune: str, activity: str) -> str:
    year = rng.randint(2012, 2024)
    background = rng.choice(data.BACKGROUNDS)
    values = rng.sample(data.VALUES, 2)
    return (
        f"J'ai créé **{company}** à {commune} en {year}, après {background}. "
        f"Aujourd'hui, l'entreprise {activity}.\n\n"
        f"Ce qui compte pour moi :\n\n- {values[0]} ;\n- {values[1]}."
    )


def _links(rng: random.Random, company: str) -> list:
    if rng.random() < 0.6:
        return [{"label": "Site web", "url": f"https://{slugify(company)}.exemple.fr"}]
    return []


def _awards(rng, index, slug, company, created_at, published) -> list[AwardPlan]:
    count = rng.choices(range(len(AWARD_COUNT_WEIGHTS)), weights=AWARD_COUNT_WEIGHTS)[0]
    if index == 0:
        count = 4
    elif index in REVOKED:
        count = max(count, 1)
    start = max(created_at + timedelta(days=30), FIRST_AWARD_DAY)
    end = data.REFERENCE_DATE - timedelta(days=7)
    dates = sorted((_moment_between(rng, start, end) for _ in range(count)), reverse=True)
    featured = rng.randint(0, min(3, count))
    plans = []
    for position, (badge_slug, issued_on) in enumerate(zip(rng.sample(published, count), dates)):
        url = f"https://{slugify(company)}.exemple.fr/realisations" if rng.random() < 0.5 else None
        plans.append(
            AwardPlan(
                badge_slug=badge_slug,
                issued_on=issued_on,
                submitted_on=issued_on - timedelta(days=rng.randint(7, 45), hours=rng.randint(0, 6)),
                position=position,
                featured=position < featured,
                visibility=rng.choices(("public", "partners", "private"), weights=(85, 8, 7))[0],
                salt=f"{rng.getrandbits(128):032x}",
                evidence_index=rng.randrange(2),
                evidence_url=url,
            )
        )
    if index in REVOKED and plans:
        # The oldest award is the one withdrawn, some months after it was issued.
        oldest = plans[-1]
        revoked_on = min(oldest.issued_on + timedelta(days=rng.randint(60, 240)), end)
        reason = data.REVOCATION_REASONS[REVOKED[index]]
        plans[-1] = replace(oldest, featured=False, revoked_on=revoked_on, revocation_reason=reason)
    return plans


def _day_between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    day = start + timedelta(days=rng.randint(0, (end - start).days))
    return day.replace(hour=9) + timedelta(minutes=rng.randint(0, 540))


def _moment_between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return _day_between(rng, start, max(start, end))
