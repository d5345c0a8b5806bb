"""Health of the database and the search index, for /healthz and start-up."""

from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from directory.extensions import db


class DatabaseUnavailable(RuntimeError):
    """The database named by the settings cannot be reached."""


def database_state() -> dict:
    """Ask the database one trivial question."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        db.session.rollback()
        return {"ok": False, "error": _first_line(error)}
    return {"ok": True, "backend": db.engine.dialect.name}


def require_database(app: Flask) -> None:
    """Raise DatabaseUnavailable with a one-line reason if the database cannot be reached."""
    with app.app_context():
        try:
            with db.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError as error:
            url = db.engine.url.render_as_string(hide_password=True)
            raise DatabaseUnavailable(f"cannot reach the database {url}: {_first_line(error)}") from None


def _first_line(error: Exception) -> str:
    message = str(getattr(error, "orig", None) or error).strip()
    return message.splitlines()[0] if message else type(error).__name__
