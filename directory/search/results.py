"""A results page: hits loaded from the database, facets with labels, highlights, "did you mean"."""

import math
from dataclasses import dataclass
from dataclasses import field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from directory.badges.models import Award
from directory.badges.models import BadgeClass
from directory.badges.models import Competency
from directory.extensions import db
from directory.profiles.models import Profile
from directory.search.analysis import Matcher
from directory.search.analysis import query_text
from directory.search.corrector import correct
from directory.search.documents import BROADER_LEVELS
from directory.search.documents import ancestors
from directory.search.documents import competency_words
from directory.search.documents import is_listed
from directory.search.documents import is_public_award
from directory.search.highlight import excerpt
from directory.search.highlight import highlight
from directory.search.highlight import markdown_text
from directory.search.params import SearchParams
from directory.search.service import SearchService
from directory.search.types import FACETS
from directory.search.types import SearchResult


@dataclass
class ResultHit:
    profile: Profile
    matched: list[Competency]
    headline: str  # escaped HTML with <mark>
    excerpt: str  # escaped HTML with <mark>


@dataclass
class ResultsPage:
    params: SearchParams
    total: int
    hits: list[ResultHit]
    facets: dict[str, dict[str, int]]
    approximate: bool = False
    did_you_mean: str | None = None
    stale: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.params.per_page))


def run_search(service: SearchService, params: SearchParams) -> ResultsPage:
    """Search, count facets (each ignoring its own filter), load the hits from the database."""
    active = tuple(name for name in FACETS if name in params.filters)
    result = service.search(params.query(facets=tuple(n for n in FACETS if n not in active)))
    approximate = result.approximate
    for name in active:
        others = {key: values for key, values in params.filters.items() if key != name}
        counted = service.search(params.query(facets=(name,), filters=others, per_page=0))
        result.facets[name], approximate = counted.facets[name], approximate or counted.approximate
    page = ResultsPage(params=params, total=result.total, hits=[], facets=result.facets, approximate=approximate)
    page.hits, page.stale = _load_hits(result, params)
    if page.stale:  # the index lags the database (a crash after a commit): repair those entries now
        service.apply({("profile", int(doc_id)) for doc_id in page.stale})
    if result.total == 0 and params.q:
        corrected = correct(params.query().terms, service.backend)
        page.did_you_mean = query_text(corrected) if corrected else None
    return page


def _load_hits(result: SearchResult, params: SearchParams) -> tuple[list[ResultHit], list[str]]:
    ids = [int(hit.id) for hit in result.hits]
    profiles = {p.id: p for p in db.session.scalars(_profiles_query(ids))}
    matcher = Matcher(params.query().terms)
    hits, stale = [], []
    for profile_id in ids:
        profile = profiles.get(profile_id)
        if is_listed(profile):
            hits.append(_hit(profile, matcher))
        else:
            stale.append(str(profile_id))
    return hits, stale


def _profiles_query(ids: list[int]):
    classes = selectinload(Profile.awards).selectinload(Award.badge_class)
    competencies = classes.selectinload(BadgeClass.competencies)
    # matched_competencies() walks BROADER_LEVELS parents (and reads one more): joined in the same
    # query, so a results page runs as many queries whatever the number of hits.
    broader = competencies
    for _ in range(BROADER_LEVELS + 1):
        broader = broader.joinedload(Competency.parent)
    return select(Profile).where(Profile.id.in_(ids)).options(broader)


def _hit(profile: Profile, matcher: Matcher) -> ResultHit:
    return ResultHit(
        profile=profile,
        matched=matched_competencies(profile, matcher),
        headline=highlight(profile.headline or "", matcher),
        excerpt=highlight(excerpt(markdown_text(profile.bio or ""), matcher), matcher),
    )


def matched_competencies(profile: Profile, matcher: Matcher) -> list[Competency]:
    """The profile's public competencies that the query names, directly or through a broader concept."""
    if not matcher:
        return []
    competencies = {
        c.id: c
        for a in profile.awards
        if is_public_award(a) and a.badge_class
        for c in a.badge_class.competencies
    }
    return [c for c in competencies.values() if _names(c, matcher)]


def _names(competency: Competency, matcher: Matcher) -> bool:
    concepts = [competency, *ancestors(competency)]
    return any(matcher.matches_label(label) for c in concepts for label in competency_words(c) if label)
