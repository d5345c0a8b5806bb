"""Entry point for `flask --app wsgi` and WSGI servers."""

import sys

from directory import create_app
from directory.config import ConfigError
from directory.core.health import DatabaseUnavailable
from directory.core.health import require_database

try:
    app = create_app()
    require_database(app)
except (ConfigError, DatabaseUnavailable) as error:
    # An operator gets one line, not a traceback.
    sys.exit(f"badgeons: {error}")
