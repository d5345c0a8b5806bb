#!/usr/bin/env python3
"""The demo identity provider `make run` starts: a real OpenID Connect server on 127.0.0.1 (development only).

It is PyPI `oidc-provider-mock` with the wrapper the tests use (PKCE checked, one-click sign-in by
`login_hint`), knowing every person of the demo: the entrepreneur, each organisation's staff and
the administrator, with the subjects and claims (SIRET or domain) that `flask demo load` recorded.

    .venv/bin/python scripts/demo-idp.py [--port 9400]
"""

import argparse
import signal
import sys
import threading
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from authlib.deprecate import AuthlibDeprecationWarning  # noqa: E402

# The mock imports Authlib modules that Authlib itself deprecates; that is the mock's business.
warnings.filterwarnings("ignore", category=AuthlibDeprecationWarning)
warnings.filterwarnings("ignore", category=DeprecationWarning)

from directory.accounts.demo import demo_users  # noqa: E402
from tests.idp.mock_provider import running_provider  # noqa: E402


def main() -> None:
    """Serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=9400)
    port = parser.parse_args().port
    users = {person.subject: person.claims for person in demo_users()}
    stop = threading.Event()
    for name in (signal.SIGINT, signal.SIGTERM):
        signal.signal(name, lambda *_: stop.set())
    with running_provider("127.0.0.1", port, users=users) as (issuer, _):
        print(f"Demo identity provider on {issuer} ({len(users)} people)", flush=True)
        stop.wait()


if __name__ == "__main__":
    main()
