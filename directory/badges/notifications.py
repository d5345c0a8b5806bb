"""E-mails to recipients and applicants, sent after the change is committed (a rollback sends nothing)."""

from flask import current_app
from flask import has_request_context
from flask import url_for
from flask_babel import lazy_gettext as _l

from directory.badges.awarding import Issued
from directory.badges.models import Application
from directory.badges.services import command_language
from directory.core import mail


def external_url(endpoint: str, **values) -> str:
    """An absolute link on the public origin, from a request or from a command."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    with current_app.test_request_context():
        return base + url_for(endpoint, **values)


def notify_awarded(issued: Issued) -> None:
    """Tell the recipient, with the claim link when they still have to claim the badge."""
    with command_language():
        _send_awarded(issued)


def _send_awarded(issued: Issued) -> None:
    award = issued.award
    name = award.badge_class.name_fr
    issuer = award.badge_class.issuer.name
    lines = [_l("Bonjour,"), _l("%(issuer)s vous a décerné le badge « %(name)s ».", issuer=issuer, name=name)]
    if issued.claim_token:
        lines += [
            _l("Pour le récupérer et l'ajouter à votre profil, ouvrez ce lien (il n'est valable que pour vous) :"),
            external_url("applications.claim", token=issued.claim_token),
        ]
    else:
        lines += [_l("Il est déjà dans votre profil :"), external_url("applications.index")]
    lines.append("Badgeons")
    mail.send(award.recipient_email, str(_l("Vous avez reçu un badge : %(name)s", name=name)), _body(lines))


def notify_all(issued: list[Issued]) -> None:
    """One message per new award."""
    for item in issued:
        notify_awarded(item)


def notify_decision(application: Application) -> None:
    """Tell the applicant that their application was returned or refused, and where to read why."""
    name = application.badge_class.name_fr
    subjects = {
        "returned": _l("Votre candidature au badge « %(name)s » est à compléter", name=name),
        "refused": _l("Votre candidature au badge « %(name)s » n'a pas été retenue", name=name),
    }
    if application.state not in subjects or not application.email:
        return
    lines = [_l("Bonjour,"), _l("Vous trouverez le message de l'évaluateur sur votre candidature :")]
    lines += [external_url("applications.edit", application_uuid=application.uuid), "Badgeons"]
    mail.send(application.email, str(subjects[application.state]), _body(lines))


def _body(lines: list) -> str:
    return "\n\n".join(str(line) for line in lines)
