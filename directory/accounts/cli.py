"""`flask accounts …`: operator commands about sign-in."""

import click
from flask import current_app
from flask.cli import AppGroup

from directory.extensions import db

accounts_cli = AppGroup("accounts", help="Accounts and sign-in.")


@accounts_cli.command("link-demo-identities")
def link_demo_identities_command() -> None:
    """Let the demo's people sign in through the demo identity provider (development only)."""
    from directory.accounts.demo import link_demo_identities

    if not current_app.config.get("DEMO_IDENTITY_PROVIDER"):
        raise click.UsageError("DEMO_IDENTITY_PROVIDER is not set: there is no demo provider to link to.")
    # The demo provider names itself by the URL it is reached at, which is this setting.
    issuer = current_app.config["DEMO_IDENTITY_PROVIDER"].rstrip("/")
    created = link_demo_identities(issuer)
    db.session.commit()
    click.echo(f"Demo identities: {created} created for {issuer}.")
