"""Optional progress bars for long operations run from the command line."""

from collections.abc import Callable
from collections.abc import Iterable
from contextlib import contextmanager


@contextmanager
def progress_bar(progress: Callable | None, iterable: Iterable, label: str):
    """Wrap an iterable in `progress` (click.progressbar-like) when one is given."""
    if progress is None:
        yield iterable
        return
    with progress(iterable, label=label) as bar:
        yield bar
