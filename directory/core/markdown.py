"""Markdown written by users, rendered to sanitised HTML."""

import nh3
from flask import Flask
from markdown_it import MarkdownIt
from markupsafe import Markup

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")
ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre", "h3", "h4"}


def render_markdown(text: str | None) -> Markup:
    """Markdown to HTML that can hold no script, style or foreign image."""
    html = _renderer.render(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(clean)


def init_app(app: Flask) -> None:
    """Register the `markdown` template filter."""
    app.jinja_env.filters["markdown"] = render_markdown
