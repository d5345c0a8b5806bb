"""Badgeons: an Open Badges endorsement network and public directory of entrepreneurs."""

from pathlib import Path

from flask import Flask

from directory import cli
from directory.config import from_environment
from directory.core import errors
from directory.core import i18n
from directory.core import labels
from directory.core import markdown
from directory.core import security
from directory.core import templating
from directory.extensions import csrf
from directory.extensions import db
from directory.extensions import limiter
from directory.extensions import login_manager
from directory.extensions import migrate
from directory.models import register_models

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the application: settings, extensions, blueprints, commands."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(from_environment(Path(app.instance_path)))
    app.config.update(config or {})

    register_models()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    labels.init_app(app)
    markdown.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    security.init_app(app)

    register_blueprints(app)
    cli.init_app(app)
    return app


def register_blueprints(app: Flask) -> None:
    """Attach every domain's routes."""
    from directory.accounts.views import bp as accounts
    from directory.badges.views import bp as badges
    from directory.core.views import bp as core
    from directory.organisations.views import bp as organisations
    from directory.profiles.views import bp as profiles

    for blueprint in (core, accounts, badges, organisations, profiles):
        app.register_blueprint(blueprint)
