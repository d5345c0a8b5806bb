"""Run in a separate process by the consistency tests: an application that writes and commits."""

import os


def write_profiles(database_url: str, index_dir: str, backend: str, tag: str, count: int) -> None:
    """Create `count` listed profiles one commit at a time, rewriting the shared profile each time."""
    os.environ.update(SECRET_KEY="test-secret", KEY_ENCRYPTION_KEY="test-key-encryption-key-0123456789")
    from directory import create_app
    from directory.extensions import db

    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SEARCH_INDEX_DIR": index_dir,
            "SEARCH_BACKEND": backend,
            "SEARCH_LOCK_TIMEOUT": 30.0,
        }
    )
    with app.app_context():
        for number in range(count):
            _commit_with_retries(lambda: _write(tag, number))
        db.engine.dispose()


def _write(tag: str, number: int) -> None:
    from sqlalchemy import select

    from directory.extensions import db
    from directory.profiles.models import Profile

    db.session.add(
        Profile(
            slug=f"{tag}-{number}",
            display_name=f"{tag} {number}",
            bio="concurrence",
            visibility="public",
            listing_consent=True,
        )
    )
    shared = db.session.scalar(select(Profile).where(Profile.slug == "partage"))
    shared.bio = f"dernier {tag}{number}"
    db.session.commit()


def _commit_with_retries(write, attempts: int = 10) -> None:
    """SQLite answers "database is locked" past its busy timeout on a loaded machine: try again."""
    from sqlalchemy.exc import OperationalError

    from directory.extensions import db

    for attempt in range(attempts):
        try:
            return write()
        except OperationalError:
            db.session.rollback()
            if attempt == attempts - 1:
                raise
