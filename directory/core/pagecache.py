"""Whole public pages kept for anonymous visitors, keyed by URL, language and the data generation.

Why: a public page (profile, badge class, organisation) is read far more often than its data
changes, and rendering it costs ten to forty times a health check.

Why it never serves stale data: the generation is a random token in one database row
(``PageCacheGeneration``), which every worker process and every host shares. After each commit
that wrote anything, the token is replaced (``after_commit``, the way search/hooks.py follows
commits), before the writing request answers. A request reads the token once, before the page's
data and in the same transaction, so a page is only ever served under the generation it was
rendered from; when the token changes, each process drops what it kept. Changes that no commit
makes (an award or an endorsement reaching its expiry date) are bounded by
``PAGE_CACHE_SECONDS``, the longest an entry lives.

Never cached: signed-in visitors, requests with flashed messages waiting, anything but a GET,
answers other than 200, pages that carry a CSRF token, responses that set a cookie themselves.
The pages themselves stay in each process's memory (no shared disk, nothing to invalidate
across hosts): only the small generation row is shared.
"""

import functools
import logging
import os
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask
from flask import Response
from flask import current_app
from flask import g
from flask import has_app_context
from flask import make_response
from flask import request
from flask import session
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

from directory.core.db import utcnow
from directory.core.i18n import locale_code
from directory.core.models import PageCacheGeneration
from directory.extensions import db

EXTENSION = "badgeons.pagecache"
WROTE = "pagecache_wrote"
ROW_ID = 1
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CachedPage:
    """A rendered page: what a later visitor gets, with when it was kept."""

    body: bytes
    content_type: str
    stored_at: float


class PageStore:
    """The pages of one generation kept by this process, oldest dropped first past ``capacity``."""

    def __init__(self, capacity: int, lifetime: float) -> None:
        self.capacity = capacity
        self.lifetime = lifetime
        self.token: str | None = None
        self.pages: OrderedDict[tuple[str, str], CachedPage] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, token: str, key: tuple[str, str]) -> CachedPage | None:
        """The page kept for ``key`` under this generation, if still fresh."""
        with self.lock:
            self._follow(token)
            page = self.pages.get(key)
            if page is None or time.monotonic() - page.stored_at > self.lifetime:
                return None
            return page

    def put(self, token: str, key: tuple[str, str], page: CachedPage) -> None:
        """Keep a page rendered under generation ``token``."""
        with self.lock:
            self._follow(token)
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > self.capacity:
                self.pages.popitem(last=False)

    def _follow(self, token: str) -> None:
        # A new generation makes every kept page unusable: drop them all at once.
        if token != self.token:
            self.pages.clear()
            self.token = token


# ---------------------------------------------------------------------------- the generation


def current_generation() -> str | None:
    """The shared generation token (one indexed read), or None when there is no row yet."""
    return db.session.scalar(select(PageCacheGeneration.token).where(PageCacheGeneration.id == ROW_ID))


def new_generation(engine: Engine | None = None) -> None:
    """Replace the shared token, on a connection of its own (the committing session has none)."""
    values = {"token": uuid.uuid4().hex, "changed_at": utcnow()}
    change = update(PageCacheGeneration).where(PageCacheGeneration.id == ROW_ID).values(**values)
    with (engine or db.engine).begin() as connection:
        if connection.execute(change).rowcount:
            return
        try:  # no row (a test emptied the tables): create it; another process may race us to it
            with connection.begin_nested():
                connection.execute(insert(PageCacheGeneration).values(id=ROW_ID, **values))
        except IntegrityError:
            connection.execute(change)


def _after_flush(session: Session, flush_context) -> None:
    if session.new or session.dirty or session.deleted:
        session.info[WROTE] = True


def _after_execute(state: ORMExecuteState) -> None:
    # Bulk UPDATE/DELETE/INSERT statements bypass the flush; a textual statement may write too.
    statement = state.statement
    if state.is_select or (isinstance(statement, TextClause) and statement.text.lstrip()[:6].lower() == "select"):
        return
    state.session.info[WROTE] = True


def _after_commit(session: Session) -> None:
    # Also outside any app context (a job worker's own session): the session knows its engine.
    if not session.info.pop(WROTE, False):
        return
    try:
        new_generation(session.get_bind())
    except Exception:  # the data is committed: never fail the request; other processes may lag by PAGE_CACHE_SECONDS
        log.exception("page cache generation not renewed after a commit")
    store = current_app.extensions.get(EXTENSION) if has_app_context() else None
    if store is not None:
        store.token = None  # at least this process stops serving what it kept


def _after_soft_rollback(session: Session, previous_transaction) -> None:
    # Only the outermost rollback discards what was written; a savepoint keeps the rest.
    if previous_transaction.parent is None:
        session.info.pop(WROTE, None)


def register_listeners() -> None:
    """Follow every session's writes and commits (repeated calls are harmless)."""
    for name, listener in (
        ("after_flush", _after_flush),
        ("do_orm_execute", _after_execute),
        ("after_commit", _after_commit),
        ("after_soft_rollback", _after_soft_rollback),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


# ---------------------------------------------------------------------------- the views


def cached_page(view: Callable) -> Callable:
    """Serve this public view from the page cache to anonymous visitors, and keep what it renders."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        store: PageStore | None = current_app.extensions.get(EXTENSION)
        token = _usable_generation(store)
        if token is None:
            return view(*args, **kwargs)
        key = (request.full_path, locale_code())
        page = store.get(token, key)
        if page is not None:
            return _answer(page)
        response = make_response(view(*args, **kwargs))
        if _keepable(response):
            store.put(token, key, CachedPage(response.get_data(), response.content_type, time.monotonic()))
            response.headers["X-Page-Cache"] = "miss"
        return response

    return wrapper


def _usable_generation(store: PageStore | None) -> str | None:
    """The generation to cache under, or None when this request must be rendered for its visitor."""
    if store is None or request.method != "GET" or session.get("_flashes"):
        return None
    if current_user.is_authenticated:
        return None
    return current_generation()


def _keepable(response: Response) -> bool:
    """Whether the same bytes suit every anonymous visitor: a plain 200 with nobody's token or cookie."""
    # Flask-WTF puts the token it rendered on `g`: the page then holds one visitor's token.
    return (
        response.status_code == 200
        and not response.is_streamed
        and "csrf_token" not in g
        and "Set-Cookie" not in response.headers
    )


def _answer(page: CachedPage) -> Response:
    response = Response(page.body, status=200, content_type=page.content_type)
    response.headers["X-Page-Cache"] = "hit"
    return response


def init_app(app: Flask) -> None:
    """Give the app its page store (none when PAGE_CACHE_SECONDS is 0) and follow the commits."""
    app.config.setdefault("PAGE_CACHE_SECONDS", float(os.environ.get("PAGE_CACHE_SECONDS", 60)))
    app.config.setdefault("PAGE_CACHE_ENTRIES", int(os.environ.get("PAGE_CACHE_ENTRIES", 1000)))
    lifetime = float(app.config["PAGE_CACHE_SECONDS"])
    app.extensions[EXTENSION] = PageStore(app.config["PAGE_CACHE_ENTRIES"], lifetime) if lifetime > 0 else None
    register_listeners()
