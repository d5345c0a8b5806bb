"""The JSON API blueprint, ``/api/v1``: each domain attaches its routes to ``bp``.

API callers send JSON or multipart bodies from scripts and other sites, not
forms from our pages, so the blueprint is exempt from CSRF; errors under
/api/ are answered as JSON by core/errors.py.
"""

from flask import Blueprint

from directory.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
