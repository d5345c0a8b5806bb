"""Language choice: ?lang= (remembered in the session), else the browser's preference, else French."""

from flask import Flask
from flask import current_app
from flask import request
from flask import session
from flask_babel import format_date
from flask_babel import format_decimal
from flask_babel import get_locale
from flask_babel import refresh
from markupsafe import Markup
from markupsafe import escape

from directory.extensions import babel


def select_locale() -> str:
    """The locale for this request."""
    languages = current_app.config["LANGUAGES"]
    chosen = request.args.get("lang")
    if chosen in languages:
        session["lang"] = chosen
        return chosen
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def locale_code() -> str:
    """The current locale as a two-letter code, for templates and models."""
    return str(get_locale() or "fr")[:2]


def switch_language_url(lang: str) -> str:
    """The current page's URL in another language."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [lang]
    endpoint = request.endpoint or "core.home"
    from flask import url_for

    return url_for(endpoint, **(request.view_args or {}), **args)


def in_language(text_fr: str | None, text_en: str | None) -> Markup:
    """The text in the page's language, or the other one marked with its ``lang`` (WCAG 3.1.2).

    Badge names and competency labels come in French and often in English; an English page
    showing a French name must say so, or a screen reader pronounces it as English.
    """
    locale = locale_code()
    if locale == "en" and text_en:
        return escape(text_en)
    text, lang = (text_fr, "fr") if text_fr else (text_en or "", "en")
    return escape(text) if lang == locale else Markup('<span lang="{}">{}</span>').format(lang, text)


def badge_name(badge_class) -> Markup:
    """A badge class's name for the page, with ``lang`` where it falls back to French."""
    return in_language(badge_class.name_fr, badge_class.name_en)


def competency_label(competency) -> Markup:
    """A competency's label for the page, with ``lang`` where it falls back to the other language."""
    return in_language(competency.label_fr, competency.label_en)


def init_app(app: Flask) -> None:
    """Wire Flask-Babel and the template helpers."""
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(app.root_path + "/translations"),
    )
    # The locale is cached on `g`, which outlives a request when an app context is already pushed.
    app.before_request(refresh)
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.filters.update(badge_name=badge_name, competency_label=competency_label)
    app.jinja_env.globals.update(
        locale_code=locale_code,
        switch_language_url=switch_language_url,
        format_date=format_date,
        format_decimal=format_decimal,
    )
