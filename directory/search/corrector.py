""" "Did you mean": each word that finds nothing is replaced by the nearest known word.

Pure module (no Flask). Known words come from the suggestion entries (competencies, badge
classes, organisations) through the backend's `suggest`, so every backend corrects alike.
"""

from directory.search.analysis import fold
from directory.search.analysis import is_stop_word
from directory.search.analysis import words
from directory.search.types import SearchBackend
from directory.search.types import SearchQuery
from directory.search.types import Term

CANDIDATES = 200


def distance(a: str, b: str) -> int:
    """Damerau–Levenshtein distance (adjacent transpositions count as one edit)."""
    rows = [list(range(len(b) + 1))]
    for i, char_a in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (char_a != char_b))
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def allowed_edits(word: str) -> int:
    return 1 if len(word) <= 5 else 2


def nearest(word: str, backend: SearchBackend) -> str | None:
    """The closest word of the suggestion entries sharing the first two letters, if close enough."""
    folded = fold(word)
    candidates = {
        candidate
        for entry in backend.suggest(folded[:2], limit=CANDIDATES)
        for candidate in words(f"{entry.label} {entry.text}")
        if not is_stop_word(candidate) and fold(candidate)[:1] == folded[:1]
    }
    scored = sorted((distance(folded, fold(c)), len(c), c) for c in candidates if fold(c) != folded)
    if scored and scored[0][0] <= allowed_edits(folded):
        return scored[0][2]
    return None


def correct(terms: tuple[Term, ...], backend: SearchBackend) -> tuple[Term, ...] | None:
    """The query with its unknown words corrected, or None if nothing was changed."""
    changed, corrected = False, []
    for term in terms:
        better = (
            nearest(term.text, backend) if term.kind == "word" and _finds_nothing(term, backend) else None
        )
        corrected.append(Term("word", better) if better else term)
        changed = changed or better is not None
    return tuple(corrected) if changed else None


def _finds_nothing(term: Term, backend: SearchBackend) -> bool:
    return backend.search(SearchQuery(terms=(term,), facets=(), per_page=0)).total == 0
