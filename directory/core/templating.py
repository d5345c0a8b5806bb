"""Template helpers that are not about language or labels."""

from flask import Flask
from flask import current_app


def has_endpoint(endpoint: str) -> bool:
    """Whether a route exists, so the navigation can link to features as they land."""
    return endpoint in current_app.view_functions


def init_app(app: Flask) -> None:
    """Expose the helpers to templates."""
    app.jinja_env.globals.update(has_endpoint=has_endpoint)
