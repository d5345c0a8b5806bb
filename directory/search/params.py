"""The search as the URL holds it: text, filters, page, sort (no Flask: any multi-dict will do)."""

from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace

from directory.search.analysis import parse_query
from directory.search.types import FACETS
from directory.search.types import SORTS
from directory.search.types import SearchQuery

MAX_PAGE = 500
MAX_FILTER_VALUES = 20


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    page: int = 1
    sort: str = "relevance"
    per_page: int = 20

    @classmethod
    def from_args(cls, args, per_page: int = 20) -> "SearchParams":
        """Read `q`, each facet (repeatable), `page` and `sort`, ignoring what is malformed."""
        filters = {
            name: tuple(dict.fromkeys(v for v in args.getlist(name) if v))[:MAX_FILTER_VALUES]
            for name in FACETS
        }
        sort = args.get("sort", "relevance")
        return cls(
            q=(args.get("q") or "").strip()[:200],
            filters={name: values for name, values in filters.items() if values},
            page=min(max(_int(args.get("page")), 1), MAX_PAGE),
            sort=sort if sort in SORTS else "relevance",
            per_page=per_page,
        )

    def query(self, facets: tuple[str, ...] = FACETS, **changes) -> SearchQuery:
        """The backend query these parameters describe."""
        base = SearchQuery(
            terms=parse_query(self.q),
            filters=self.filters,
            facets=facets,
            page=self.page,
            per_page=self.per_page,
            sort=self.sort,
        )
        return replace(base, **changes)

    def url_args(self, **changes) -> dict:
        """Arguments for url_for: the whole search, with some values changed."""
        args: dict = {"q": self.q or None, "sort": None if self.sort == "relevance" else self.sort}
        args.update({name: list(values) for name, values in self.filters.items()})
        args["page"] = self.page if self.page > 1 else None
        args.update(changes)
        return {key: value for key, value in args.items() if value not in (None, "", [])}

    def toggled(self, name: str, value: str) -> dict:
        """URL arguments with one filter value added or removed, back on page 1."""
        values = list(self.filters.get(name, ()))
        values = [v for v in values if v != value] if value in values else [*values, value]
        return self.url_args(**{name: values, "page": None})

    def is_selected(self, name: str, value: str) -> bool:
        return value in self.filters.get(name, ())


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 1
