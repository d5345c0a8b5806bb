"""What the embedded backends (Whoosh, tantivy) share: an index directory with a version stamp.

Pure module (no Flask). A stamp written next to the index records the schema version and
the engine's version: when either changes, the index reports itself stale and is rebuilt.
"""

import shutil
import time
from collections.abc import Callable
from pathlib import Path

STAMP = "BADGEONS-SEARCH-VERSION"


class IndexDirectory:
    """A directory holding one index and its version stamp."""

    def __init__(self, path: Path, version: str):
        self.path = Path(path)
        self.version = version

    @property
    def stamped(self) -> bool:
        """True when the index was built by this schema and engine version."""
        stamp = self.path / STAMP
        return stamp.exists() and stamp.read_text().strip() == self.version

    def stamp(self) -> None:
        (self.path / STAMP).write_text(self.version)

    def reset(self) -> None:
        """Remove whatever is there and start an empty directory."""
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True, exist_ok=True)


def retry(action: Callable, errors: tuple[type[BaseException], ...], timeout: float, delay: float = 0.02):
    """Call `action` until it stops raising `errors` or `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return action()
        except errors:
            if time.monotonic() >= deadline:
                raise
            time.sleep(delay)
