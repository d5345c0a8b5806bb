"""Marks the words of a text that match the query, as escaped HTML (pure module, no Flask)."""

import html
import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from directory.search.analysis import TOKEN
from directory.search.analysis import Matcher

# A sentence ends at . ! or ?, and a Markdown block (paragraph, list item, heading) at its end.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\s*\n\s*")
# Same parser settings as `core.markdown` (raw HTML stays text), images kept for their alt text.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})
INLINE_TEXT = ("text", "code_inline", "image")  # an image's content is its alt text
BREAKS = ("softbreak", "hardbreak")
BLOCK_TEXT = ("fence", "code_block")


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


@lru_cache(maxsize=2048)
def markdown_text(source: str) -> str:
    """What a reader sees of Markdown, as plain text: one line per block, no markup, links as their text.

    Excerpts are cut from bios written in Markdown; without this they showed `**gras**` or
    `[lien](url)`. Cached because the same bios come back page after page.
    """
    blocks = []
    for token in _markdown.parse(source):
        if token.type == "inline":
            blocks.append("".join(_inline_text(child) for child in token.children or ()))
        elif token.type in BLOCK_TEXT:
            blocks.append(token.content.strip())
    return "\n".join(block for block in blocks if block.strip())


def _inline_text(token: Token) -> str:
    # Emphasis and link marks carry no text of their own: only their children's text is kept.
    if token.type in BREAKS:
        return " "
    return token.content if token.type in INLINE_TEXT else ""
