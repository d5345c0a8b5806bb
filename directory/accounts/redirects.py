"""Where to send someone after signing in: only back to a page of this site."""

from urllib.parse import urlsplit


def is_safe_next(target: str | None) -> bool:
    """Accept only a same-site absolute path such as '/profils/x?tab=1'."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, default: str) -> str:
    """The target if it is safe, else the default."""
    return target if is_safe_next(target) else default
