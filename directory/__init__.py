"""Badgeons: an Open Badges endorsement network and public directory of entrepreneurs."""

from pathlib import Path

from flask import Flask

from directory import cli
from directory import search
from directory.accounts import oidc
from directory.config import from_environment
from directory.core import errors
from directory.core import i18n
from directory.core import jobs
from directory.core import labels
from directory.core import mail
from directory.core import markdown
from directory.core import pagecache
from directory.core import ratelimit
from directory.core import redis
from directory.core import security
from directory.core import templating
from directory.extensions import csrf
from directory.extensions import db
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
    redis.init_app(app)
    ratelimit.init_app(app)
    jobs.init_app(app)
    login_manager.init_app(app)
    oidc.init_app(app)
    mail.init_app(app)
    i18n.init_app(app)
    labels.init_app(app)
    markdown.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    search.init_app(app)
    # After search: commit listeners run in order, so the index has followed a commit before the
    # page-cache generation changes and a page can be cached again.
    pagecache.init_app(app)

    register_blueprints(app)
    cli.init_app(app)
    return app


def register_blueprints(app: Flask) -> None:
    """Attach every domain's routes."""
    from directory.accounts.dashboard import bp as dashboard
    from directory.accounts.views import bp as accounts
    from directory.admin.views import bp as admin
    from directory.badges.application_views import bp as applications
    from directory.badges.award_views import bp as staff_awards
    from directory.badges.ob_views import bp as ob
    from directory.badges.staff_views import bp as staff
    from directory.badges.views import bp as badges
    from directory.badges.verify_views import bp as verify
    from directory.core import job_views  # noqa: F401 - attaches /taches/<id> and /api/v1/jobs/<id>
    from directory.core.api import bp as api
    from directory.core.views import bp as core
    from directory.endorsements.issuer_views import bp as issuer_endorsements
    from directory.endorsements.views import bp as endorsements
    from directory.organisations.views import bp as organisations
    from directory.profiles import api as profiles_api  # noqa: F401 - attaches /api/v1/profiles/<slug>
    from directory.profiles.account_views import bp as profile_account
    from directory.profiles.badge_views import bp as profile_badges
    from directory.profiles.views import bp as profiles
    from directory.search.views import bp as search

    # api last: the domains' modules imported above attach their routes to it first.
    issuing = (staff, staff_awards, applications)
    own_profile = (profile_account, profile_badges)
    network = (endorsements, issuer_endorsements)
    for blueprint in (core, accounts, dashboard, admin, badges, ob, verify, *issuing, *network, organisations, profiles, *own_profile, search, api):
        app.register_blueprint(blueprint)
