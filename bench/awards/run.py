"""Awarding benchmark: awards per second from a CSV, then with every document signed and baked.

Not a test. Run from the project root, for instance:
    .venv/bin/python -m bench.awards.run --count 1000
It builds a throw-away SQLite database (or uses BENCH_DATABASE_URL), awards COUNT badges from a
CSV exactly as `flask badges award-csv` does (whole file checked, one transaction, progress bar),
then produces what verifiers fetch for each award: the OB 2.0 JWS and baked PNG, the OB 3.0
credential (eddsa-rdfc-2022 proof), its VC-JWT and its baked PNG. Results go to RESULTS.md.
"""

import argparse
import os
import platform
import tempfile
import time
from datetime import UTC
from datetime import datetime
from io import BytesIO
from pathlib import Path

import click
from PIL import Image

from directory import create_app
from directory.badges import bulk
from directory.badges import documents_ob2
from directory.badges import documents_ob3
from directory.badges.models import BadgeClass
from directory.core.models import StoredFile
from directory.extensions import db
from directory.organisations.models import Organisation

RESULTS = Path(__file__).with_name("RESULTS.md")
# Everything a verifier or a holder may download for one award.
DOCUMENTS = {
    "ob2_jws": documents_ob2.signed_assertion,
    "ob2_png": documents_ob2.baked_png,
    "ob3_credential": documents_ob3.credential_json,
    "ob3_jwt": documents_ob3.credential_jwt,
    "ob3_png": documents_ob3.baked_png,
}


def make_app(database_url: str, folder: Path):
    """The application on a freshly migrated database."""
    from flask_migrate import upgrade

    app = create_app({
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "bench",
        "KEY_ENCRYPTION_KEY": "bench-key-encryption-key",
        "PUBLIC_BASE_URL": "https://badgeons.test",
        "SEARCH_BACKEND": "whoosh",
        # The bench never touches the development install's index.
        "SEARCH_INDEX_DIR": str(folder / "search"),
    })
    with app.app_context():
        upgrade()
    return app


def setup_class() -> BadgeClass:
    """An issuer and a published class with a 256 px PNG, as issuers upload them."""
    issuer = Organisation(slug="bench-emetteur", name="Élan Bench", kind="issuer", verification_state="verified",
                          contact_email="contact@bench.exemple.fr")
    output = BytesIO()
    Image.new("RGB", (256, 256), (31, 79, 163)).save(output, "PNG")
    badge_class = BadgeClass(
        slug="bench-pitch", issuer=issuer, name_fr="Pitcher son projet", description_fr="Présente son projet.",
        criteria_fr="Devant un jury.", state="published", published_at=datetime.now(UTC),
        image=StoredFile.from_bytes(output.getvalue(), "image/png", "badge.png"),
    )
    db.session.add(badge_class)
    db.session.commit()
    return badge_class


def csv_text(slug: str, count: int) -> str:
    """A CSV of ``count`` awards."""
    lines = [f"personne{i}@exemple.fr,Personne {i},{slug},https://exemple.fr/preuve/{i},2026-03-02" for i in range(count)]
    return "email,nom,badge,preuve,date\n" + "\n".join(lines) + "\n"


def award_phase(text: str) -> tuple[list, float]:
    """Check, award and commit, as the command does; returns the awards and the seconds taken."""
    started = time.perf_counter()
    plan = bulk.plan_bulk_award(text, None)
    assert plan.ok, plan.bad_lines[:3]
    issued = bulk.apply_plan(plan, None, progress=click.progressbar)
    db.session.commit()
    return [item.award for item in issued], time.perf_counter() - started


def document_phase(awards: list) -> tuple[dict[str, float], float]:
    """Sign and bake every document of every award; seconds per kind and in total."""
    per_kind = dict.fromkeys(DOCUMENTS, 0.0)
    started = time.perf_counter()
    with click.progressbar(awards, label="Signatures et images") as bar:
        for award in bar:
            for kind, build in DOCUMENTS.items():
                begin = time.perf_counter()
                build(award)
                per_kind[kind] += time.perf_counter() - begin
    db.session.commit()
    return per_kind, time.perf_counter() - started


def report(count: int, database: str, award_seconds: float, per_kind: dict, document_seconds: float) -> str:
    """A Markdown section for RESULTS.md."""
    total = award_seconds + document_seconds
    rows = "\n".join(f"| {kind} | {count / seconds:,.0f} /s | {seconds / count * 1000:.2f} ms |" for kind, seconds in per_kind.items())
    return f"""
## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — {count} awards, {database}

Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}.

| phase | awards per second | seconds |
| --- | ---: | ---: |
| award from CSV (check whole file, write, one commit) | {count / award_seconds:,.0f} | {award_seconds:.2f} |
| sign and bake every document (5 per award) | {count / document_seconds:,.0f} | {document_seconds:.2f} |
| **both: awards per second including signing and baking** | **{count / total:,.0f}** | {total:.2f} |

| document | per second | per award |
| --- | ---: | ---: |
{rows}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--no-write", action="store_true", help="print the results without adding them to RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(folder) / 'bench.db'}"
        app = make_app(url, Path(folder))
        with app.app_context():
            badge_class = setup_class()
            awards, award_seconds = award_phase(csv_text(badge_class.slug, args.count))
            per_kind, document_seconds = document_phase(awards)
            section = report(args.count, url.split(":", 1)[0], award_seconds, per_kind, document_seconds)
            db.engine.dispose()
    click.echo(section)
    if not args.no_write:
        with RESULTS.open("a", encoding="utf-8") as results:
            results.write(section)


if __name__ == "__main__":
    main()
