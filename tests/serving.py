"""Serving an application over real HTTP on 127.0.0.1 for tests, and a migrated app of its own."""

import threading
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from werkzeug.serving import make_server

from directory import create_app
from directory.extensions import db


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve `app` on a random loopback port in a thread; yield its origin."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def migrated_app(path: Path, public_base_url: str, build: Callable[[], dict]) -> Iterator[tuple[Flask, dict]]:
    """An app on its own migrated SQLite file, filled by `build` (committed); yield (app, what build returned)."""
    from flask_migrate import upgrade

    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
        "SECRET_KEY": "live-secret",
        "KEY_ENCRYPTION_KEY": "live-key-encryption-key",
        "RATELIMIT_ENABLED": False,
        "PUBLIC_BASE_URL": public_base_url,
    })
    with app.app_context():
        upgrade()
        built = build()
        db.session.commit()
    try:
        yield app, built
    finally:
        with app.app_context():
            db.engine.dispose()
