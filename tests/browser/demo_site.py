"""The demo directory served over HTTP for a whole test module, and helpers the page tests share.

One demo load per module: the `db` fixture empties the tables after each test, so these tests do
not use it; `demo_directory` loads the demo on the suite's app, indexes it in a private Whoosh
index, points the app's public URLs at the live server, and empties everything afterwards.
"""

import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import g

from directory.extensions import db

AXE = Path(__file__).resolve().parent / "node" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (390, 1280)


@contextmanager
def demo_directory(app, live_server: str, index_path: Path, profile_count: int = 24):
    """The demo data on the suite's database and a fresh index; public URLs on the live server."""
    from directory.demo.loader import load_demo

    service = app.extensions["search"]
    previous_path = service.path
    overrides = {"PUBLIC_BASE_URL": live_server, "FETCH_ALLOW_PRIVATE": True, "FETCH_ALLOW_HTTP": True}
    saved = {key: app.config.get(key) for key in overrides}
    app.config.update(overrides)
    with app.app_context():
        service.path = index_path
        service.use("whoosh")
        service.reindex()
        service.checked = True
        load_demo(profile_count=profile_count)
        db.session.commit()
        service.reindex()
    try:
        yield
    finally:
        with app.app_context():
            db.session.remove()
            with db.engine.begin() as connection:
                for table in reversed(db.metadata.sorted_tables):
                    connection.execute(table.delete())
            service.backend.close()
            service.path = previous_path
            service.use(app.config["SEARCH_BACKEND"])
        app.config.update(saved)


def session_cookie(app, user_id: int) -> dict:
    """A session cookie of someone signed in, as a completed sign-in leaves it (for a browser context)."""
    client = app.test_client()
    with app.app_context():
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = str(user_id), True
        g.pop("_login_user", None)
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    return {"name": cookie.key, "value": cookie.value, "domain": "127.0.0.1", "path": "/"}


def require_axe() -> Path:
    if not AXE.exists():
        import os

        message = f"axe-core is not installed ({AXE}): run `make browser-tests`"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return AXE


def with_axe(context) -> None:
    """Load axe-core into every page of this context (which must bypass the CSP: axe is an inline script to it)."""
    context.add_init_script(path=str(require_axe()))


def axe_violations(page, minimum=("serious", "critical")) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules and best practices) on the page; the serious and critical findings."""
    results = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations'],
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\\n').slice(1, 2).join(''))}));
        }"""
    )
    return [v for v in results if v["impact"] in minimum]


def describe(violations: list[dict]) -> str:
    return "\n".join(f"  {v['impact']}: {v['id']} ({v['help']})\n      " + "\n      ".join(v["nodes"]) for v in violations)


def shot_name(name: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")
