"""`flask` commands: demo data, competencies, and the operator tools of each domain."""

import click
from flask import Flask
from flask.cli import AppGroup

from directory.extensions import db

demo_cli = AppGroup("demo", help="Demo data.")
competencies_cli = AppGroup("competencies", help="Competency frameworks (ESCO and others).")
keys_cli = AppGroup("keys", help="Organisations' signing keys.")
badges_cli = AppGroup("badges", help="Badges: verify badges issued here or elsewhere, award from a CSV.")
search_cli = AppGroup("search", help="The search index.")


@demo_cli.command("load")
@click.option("--profiles", default=96, show_default=True, help="How many entrepreneurs to create.")
def demo_load(profiles: int) -> None:
    """Load realistic French demo data (idempotent)."""
    from directory.demo.loader import load_demo

    summary = load_demo(profile_count=profiles, progress=click.progressbar)
    db.session.commit()
    click.echo(summary)


@competencies_cli.command("import-esco")
def import_esco_command() -> None:
    """Load the ESCO skills shipped with Badgeons (French and English labels, synonyms, hierarchy)."""
    from directory.badges.esco import import_esco

    summary = import_esco(progress=click.progressbar)
    db.session.commit()
    click.echo(summary)


def _organisation_or_fail(slug: str):
    """The organisation with this slug, or a usage error."""
    from sqlalchemy import select

    from directory.organisations.models import Organisation

    organisation = db.session.scalar(select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        raise click.BadParameter(f"no organisation with slug {slug!r}", param_hint="ORG_SLUG")
    return organisation


@keys_cli.command("rotate")
@click.argument("org_slug")
def keys_rotate(org_slug: str) -> None:
    """Retire the organisation's active keys and create new ones (old badges keep verifying)."""
    from directory.organisations.keys import rotate_keys

    new_keys = rotate_keys(_organisation_or_fail(org_slug))
    db.session.commit()
    for key in new_keys:
        click.echo(f"{key.key_id}\t{key.algorithm}")


@keys_cli.command("list")
@click.argument("org_slug")
def keys_list(org_slug: str) -> None:
    """List the organisation's published keys, active and retired."""
    from directory.organisations.keys import published_keys

    for key in published_keys(_organisation_or_fail(org_slug)):
        state = f"retired {key.retired_at:%Y-%m-%d %H:%M}" if key.retired_at else "active"
        click.echo(f"{key.key_id}\t{key.algorithm}\t{key.created_at:%Y-%m-%d %H:%M}\t{state}")


@keys_cli.command("rekey")
@click.option(
    "--old-key-env",
    default="OLD_KEY_ENCRYPTION_KEY",
    show_default=True,
    metavar="NAME",
    help="Environment variable holding the previous KEY_ENCRYPTION_KEY; asked for (hidden) when unset.",
)
def keys_rekey(old_key_env: str) -> None:
    """Re-encrypt every private signing key from the previous KEY_ENCRYPTION_KEY to the current one.

    All or nothing: every key must first decrypt with the old secret, else nothing is written
    (exit 1). Key ids and public keys do not change. The old secret is never a command-line
    argument (shell history, `ps`): it comes from the environment variable or a hidden prompt.
    """
    import os

    from directory.organisations.keys import RekeyRefused
    from directory.organisations.keys import rekey_private_keys

    old_secret = os.environ.get(old_key_env) or click.prompt(
        f"Previous KEY_ENCRYPTION_KEY (${old_key_env} is not set)", hide_input=True
    )
    try:
        count = rekey_private_keys(old_secret, progress=click.progressbar)
    except RekeyRefused as refused:
        db.session.rollback()
        click.echo(f"{refused} Nothing was changed.", err=True)
        raise SystemExit(1) from refused
    db.session.commit()
    click.echo(f"{count} private keys re-encrypted with the current KEY_ENCRYPTION_KEY.")


@badges_cli.command("verify")
@click.argument("source", metavar="PATH-OR-URL")
@click.option("--recipient", metavar="EMAIL", help="Also check that the badge was awarded to this e-mail.")
def badges_verify(source: str, recipient: str | None) -> None:
    """Verify a baked PNG/SVG, a JSON or JWT file, or a URL; print the verdict as JSON.

    Exit status: 0 valid, 1 invalid, 2 unusable input (missing file, not a badge).
    """
    import json

    from directory.badges.verification import EXIT_CODES
    from directory.badges.verification import verify_path_or_url

    verdict = verify_path_or_url(source, recipient)
    click.echo(json.dumps(verdict.to_json(), ensure_ascii=False, indent=2))
    click.get_current_context().exit(EXIT_CODES[verdict.result])


@competencies_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--framework", required=True, help="Framework name: ROME, RNCP, or the issuer's own.")
def import_framework_command(file: str, framework: str) -> None:
    """Import a competency framework from CSV (code or uri, label_fr, label_en, synonyms, description, parent).

    Every line is checked first; a file with an error writes nothing (exit 1).
    """
    from pathlib import Path

    from directory.badges.bulk import decode
    from directory.badges.competencies import import_framework
    from directory.badges.services import IssuingError

    try:
        summary = import_framework(decode(Path(file).read_bytes()), framework, progress=click.progressbar)
    except IssuingError as error:
        db.session.rollback()
        for line in error.details.get("errors", []):
            click.echo(line, err=True)
        raise SystemExit(1) from error
    db.session.commit()
    click.echo(summary)


@badges_cli.command("award-csv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--issuer", "issuer_slug", metavar="ORG_SLUG", help="Only accept this issuer's badge classes.")
@click.option("--notify/--no-notify", default=True, show_default=True, help="E-mail each recipient a claim link.")
def badges_award_csv(file: str, issuer_slug: str | None, notify: bool) -> None:
    """Award badges from a CSV (email, name, badge, evidence URL, date), all or nothing.

    The whole file is checked first: any bad line is reported and nothing is written (exit 1).
    """
    from pathlib import Path

    from directory.badges import bulk
    from directory.badges.notifications import notify_all

    issuer = _organisation_or_fail(issuer_slug) if issuer_slug else None
    plan = bulk.plan_bulk_award(bulk.decode(Path(file).read_bytes()), issuer)
    if not plan.ok:
        for error in plan.file_errors:
            click.echo(error, err=True)
        for line in plan.bad_lines:
            click.echo(f"line {line.number}: {'; '.join(line.errors)}", err=True)
        click.echo("Nothing was awarded.", err=True)
        raise SystemExit(1)
    issued = bulk.apply_plan(plan, None, progress=click.progressbar)
    db.session.commit()
    if notify:
        notify_all(issued)
    click.echo(f"{len(issued)} badges awarded.")


@search_cli.command("reindex")
def search_reindex() -> None:
    """Rebuild the search index (and the suggestions) from the database."""
    from flask import current_app

    service = current_app.extensions["search"]
    count = service.reindex(progress=click.progressbar)
    click.echo(f"{count} profiles indexed ({service.name}).")


def init_app(app: Flask) -> None:
    """Register the command groups."""
    from directory.accounts.cli import accounts_cli

    for group in (demo_cli, competencies_cli, keys_cli, badges_cli, search_cli, accounts_cli):
        app.cli.add_command(group)
