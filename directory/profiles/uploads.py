"""Small helpers shared by the profile views."""

from werkzeug.datastructures import FileStorage


def upload_of(data, limit: int) -> tuple[bytes, str] | None:
    """The bytes (at most ``limit`` + 1, so "too large" can be told) and name of an uploaded file, if any."""
    if not isinstance(data, FileStorage) or not data.filename:
        return None
    return data.read(limit + 1), data.filename
