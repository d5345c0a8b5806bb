"""Real Chromium (Debian's) driven by Playwright; screenshots go to test-artifacts/screenshots."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium, or a skip (a failure when REQUIRE_BROWSER=1) where there is none."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but no Chromium at {CHROMIUM} (apt-get install chromium)")
        pytest.skip(f"no Chromium at {CHROMIUM}: browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page in French, 1280 px wide."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshot_dir():
    """Where screenshots are written for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def demo_site(app, database_url, db):
    """The demo data, the demo provider knowing its people, and a site trusting it, over HTTP."""
    import threading

    from werkzeug.serving import make_server

    from directory.accounts.demo import demo_users
    from directory.accounts.demo import link_demo_identities
    from directory.accounts.provider_config import demo_spec
    from directory.demo.loader import load_demo
    from tests.idp.fixtures import dispose
    from tests.idp.fixtures import make_app
    from tests.idp.mock_provider import running_provider

    load_demo(profile_count=4)
    with running_provider(users={p.subject: p.claims for p in demo_users()}) as (issuer, _):
        link_demo_identities(issuer)
        db.session.commit()
        site = make_app(database_url, {"demo": demo_spec(issuer)}, DEMO_IDENTITY_PROVIDER=issuer)
        server = make_server("127.0.0.1", 0, site, threaded=True)
        site.config["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield site.config["PUBLIC_BASE_URL"]
        server.shutdown()
        server.server_close()
        dispose(site)


def pytest_terminal_summary(terminalreporter):
    if SCREENSHOTS.exists() and any(SCREENSHOTS.iterdir()):
        terminalreporter.write_line(f"Screenshots of the pages: {SCREENSHOTS}")
