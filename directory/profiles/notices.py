"""E-mails to issuers whose badges were revoked because their holder erased the account (no personal data)."""

from directory.badges import documents
from directory.core import mail
from directory.profiles.erasure import Notice

SUBJECT = "Badges révoqués : un titulaire a supprimé son compte Badgeons"


def send_notices(notices: list[Notice]) -> None:
    """Tell each issuer which of its badges were revoked, by name and public id only."""
    for notice in notices:
        mail.send(notice.to, SUBJECT, _body(notice))


def _body(notice: Notice) -> str:
    lines = [
        f"Bonjour {notice.organisation},",
        "Le titulaire des badges suivants a supprimé son compte Badgeons. Ils ont été révoqués "
        "avec le motif « compte supprimé » ; leurs documents publiés ne contiennent plus aucune "
        "donnée personnelle.",
        *(f"- {name} : {documents.base_url()}/ob/v2/assertions/{uuid}" for name, uuid in notice.badges),
        "Aucune action n'est attendue de votre part.",
        "Badgeons",
    ]
    return "\n\n".join(lines)
