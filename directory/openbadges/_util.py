"""Small shared helpers for the builders (no Flask)."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import Any


def iso_datetime(value: datetime) -> str:
    """Format an aware datetime as ISO 8601 in UTC with a ``Z`` suffix."""
    # OB 2.0 and 3.0 both demand a time zone; a naive datetime is a caller bug.
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("datetime must be timezone-aware")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def compact(document: dict[str, Any]) -> dict[str, Any]:
    """Drop keys whose value is None or an empty list/tuple (OB 3.0 serialisation rule)."""
    return {k: v for k, v in document.items() if v is not None and v != [] and v != ()}


def as_list(value: Any) -> list[Any]:
    """Return ``value`` as a list: None → [], scalar → [scalar], iterable → list."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]
