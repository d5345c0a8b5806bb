"""French and English text analysis done in Python: folding, query parsing, matching keys.

Pure module (no Flask). The backends analyse indexed text with their own engines; this
module parses what the user typed, and recognises matches in text rendered from the
database (highlights, matched competencies) with the same Snowball stemmers.
"""

import re
import unicodedata
from functools import lru_cache

from whoosh.lang import stemmer_for_language
from whoosh.lang import stopwords_for_language

from directory.search.types import Term

TOKEN = re.compile(r"\w+", re.UNICODE)
QUERY_PART = re.compile(r'"([^"]*)"|(\S+)')
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "’": "'"})
MAX_TERMS = 12
_stem_fr = stemmer_for_language("fr")
_stem_en = stemmer_for_language("en")


def fold(text: str) -> str:
    """Lower case without accents: 'Compétences Œnologie' → 'competences oenologie'."""
    decomposed = unicodedata.normalize("NFKD", text.translate(LIGATURES).lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


STOP_WORDS = frozenset(fold(word) for language in ("fr", "en") for word in stopwords_for_language(language))


def words(text: str) -> list[str]:
    """The lower-case word tokens of a text, accents kept."""
    return TOKEN.findall(text.lower())


def plain_words(text: str) -> list[str]:
    """Folded, unstemmed tokens: what prefix search and spelling work on."""
    return TOKEN.findall(fold(text))


@lru_cache(maxsize=20000)
def keys(word: str) -> frozenset[str]:
    """Matching keys of one lower-case word: its folded French and English stems."""
    return frozenset((fold(_stem_fr(word)), fold(_stem_en(word)), fold(word)))


@lru_cache(maxsize=20000)
def is_stop_word(word: str) -> bool:
    """Cached: results pages ask it of the same label words thousands of times."""
    return len(word) < 2 or fold(word) in STOP_WORDS


@lru_cache(maxsize=50000)
def word_keys(word: str) -> tuple[str, frozenset[str]]:
    """A lower-case word folded, and its matching keys (none for a stop word).

    Cached: highlighting asks it of every word of every excerpt and headline.
    """
    return fold(word), frozenset() if is_stop_word(word) else keys(word)


@lru_cache(maxsize=20000)
def label_words(label: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The matching keys of a label's non-stop words, and all its words folded.

    Cached by the label string: competency labels, synonyms and broader concepts recur on
    every results page, and re-tokenising them was three quarters of a page's time.
    """
    infos = [word_keys(word) for word in words(label)]
    return frozenset().union(*(found for _, found in infos)), tuple(folded for folded, _ in infos)


def parse_query(text: str) -> tuple[Term, ...]:
    """Words, "quoted phrases" and prefixes (`ges*`); stop words and operators dropped."""
    terms: list[Term] = []
    for match in QUERY_PART.finditer(text or ""):
        phrase, chunk = match.groups()
        terms.extend(_phrase(phrase) if phrase is not None else _chunk(chunk))
    return tuple(dict.fromkeys(terms))[:MAX_TERMS]


def _phrase(text: str) -> list[Term]:
    tokens = words(text)
    if len([token for token in tokens if not is_stop_word(token)]) < 2:
        return [Term("word", token) for token in tokens if not is_stop_word(token)]
    return [Term("phrase", " ".join(tokens))]


def _chunk(chunk: str) -> list[Term]:
    tokens = words(chunk)
    if chunk.endswith("*") and tokens and len(fold(tokens[-1])) >= 2:
        *rest, last = tokens
        return [Term("word", t) for t in rest if not is_stop_word(t)] + [Term("prefix", fold(last))]
    return [Term("word", token) for token in tokens if not is_stop_word(token)]


def query_text(terms: tuple[Term, ...]) -> str:
    """The query written back, as the user could have typed it."""
    return " ".join(_term_text(term) for term in terms)


def _term_text(term: Term) -> str:
    if term.kind == "phrase":
        return f'"{term.text}"'
    return f"{term.text}*" if term.kind == "prefix" else term.text


class Matcher:
    """Tells whether a word of some text matches one of the query's terms."""

    def __init__(self, terms: tuple[Term, ...]):
        self.keys = frozenset().union(*(_term_keys(term) for term in terms if term.kind != "prefix"))
        self.prefixes = tuple(term.text for term in terms if term.kind == "prefix")

    def __bool__(self) -> bool:
        return bool(self.keys or self.prefixes)

    def matches(self, word: str) -> bool:
        """True when the word shares a stem with a query word, or starts with a prefix."""
        folded, found = word_keys(word.lower())
        if self.prefixes and folded.startswith(self.prefixes):
            return True
        return not self.keys.isdisjoint(found)

    def matches_text(self, text: str) -> bool:
        return any(self.matches(word) for word in words(text))

    def matches_label(self, label: str) -> bool:
        """`matches_text` for short texts that recur (labels), on their cached words."""
        found, folded = label_words(label)
        if not self.keys.isdisjoint(found):
            return True
        return bool(self.prefixes) and any(word.startswith(self.prefixes) for word in folded)


def _term_keys(term: Term) -> frozenset[str]:
    return frozenset().union(*(keys(word) for word in words(term.text) if not is_stop_word(word)))
