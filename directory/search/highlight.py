"""Marks the words of a text that match the query, as escaped HTML (pure module, no Flask)."""

import html
import re

from directory.search.analysis import TOKEN
from directory.search.analysis import Matcher

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def highlight(text: str, matcher: Matcher) -> str:
    """The text, HTML-escaped, with matching words inside <mark>."""
    parts, last = [], 0
    for match in TOKEN.finditer(text):
        if matcher.matches(match.group()):
            parts += [html.escape(text[last : match.start()]), f"<mark>{html.escape(match.group())}</mark>"]
            last = match.end()
    parts.append(html.escape(text[last:]))
    return "".join(parts)


def excerpt(text: str, matcher: Matcher, length: int = 240) -> str:
    """The first sentence that matches (or the start), cut to about `length` characters."""
    sentences = SENTENCE_END.split(text.strip())
    chosen = next(
        (s for s in sentences if matcher and matcher.matches_text(s)), sentences[0] if sentences else ""
    )
    if len(chosen) > length:
        chosen = chosen[:length].rsplit(" ", 1)[0] + " …"
    return chosen
