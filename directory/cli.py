"""`flask` commands: demo data, competencies, and the operator tools of each domain."""

import click
from flask import Flask
from flask.cli import AppGroup

from directory.extensions import db

demo_cli = AppGroup("demo", help="Demo data.")
competencies_cli = AppGroup("competencies", help="Competency frameworks (ESCO and others).")


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


def init_app(app: Flask) -> None:
    """Register the command groups."""
    for group in (demo_cli, competencies_cli):
        app.cli.add_command(group)
