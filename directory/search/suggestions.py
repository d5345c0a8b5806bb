"""What is proposed while typing: competencies of published badge classes, the classes, organisations."""

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import selectinload

from directory.badges.models import BadgeClass
from directory.endorsements.models import Endorsement
from directory.organisations.models import Organisation
from directory.search.analysis import fold
from directory.search.documents import competency_words
from directory.search.types import SuggestEntry

KIND_ORDER = {"competence": 0, "badge": 1, "organisation": 2}


def suggestion_entries(session: Session) -> list[SuggestEntry]:
    """Every entry, ranked: the most used first, then by kind and label."""
    classes = session.scalars(
        select(BadgeClass)
        .where(BadgeClass.state == "published")
        .options(selectinload(BadgeClass.competencies))
    ).all()
    usage: dict[tuple[str, str], int] = {}
    entries: dict[tuple[str, str], SuggestEntry] = {}
    for badge_class in classes:
        _add(
            entries, usage, SuggestEntry("badge", badge_class.slug, badge_class.name_fr, badge_class.name_en)
        )
        for competency in badge_class.competencies:
            extra = "\n".join(competency_words(competency)[1:])
            _add(entries, usage, SuggestEntry("competence", str(competency.id), competency.label_fr, extra))
    for organisation in _organisations(session, classes):
        _add(entries, usage, SuggestEntry("organisation", organisation.slug, organisation.name))
    ordered = sorted(entries, key=lambda k: (-usage[k], KIND_ORDER[k[0]], fold(entries[k].label), k[1]))
    return [_ranked(entries[key], rank) for rank, key in enumerate(ordered)]


def _add(entries: dict, usage: dict, entry: SuggestEntry) -> None:
    key = (entry.kind, entry.key)
    entries.setdefault(key, entry)
    usage[key] = usage.get(key, 0) + 1


def _ranked(entry: SuggestEntry, rank: int) -> SuggestEntry:
    return SuggestEntry(entry.kind, entry.key, entry.label, entry.text, rank)


def _organisations(session: Session, classes) -> list[Organisation]:
    """Issuers of published classes and organisations with an active endorsement."""
    endorser_ids = select(Endorsement.endorser_id).where(Endorsement.state == "active")
    ids = {badge_class.issuer_id for badge_class in classes}
    query = select(Organisation).where(Organisation.id.in_(ids) | Organisation.id.in_(endorser_ids))
    return list(session.scalars(query.order_by(Organisation.id)))
