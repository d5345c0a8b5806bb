"""Contact relayed by e-mail: the entrepreneur's address is never shown; the sender's, only once they reply.

Flush, never commit; the view commits, then sends (a message is stored before it is relayed).
"""

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from directory.core import mail
from directory.core.db import utcnow
from directory.extensions import db
from directory.profiles.models import ContactMessage
from directory.profiles.models import Profile

MAX_BODY = 4000


def can_be_contacted(profile: Profile) -> bool:
    """Whether the contact form is offered: accepted, and someone with an address to relay to."""
    return bool(profile.accepts_contact and profile.user is not None and profile.user.email)


def leave_message(profile: Profile, name: str, email: str, body: str) -> ContactMessage:
    """Store a visitor's message for the entrepreneur."""
    message = ContactMessage(sender_name=name.strip()[:200], sender_email=email.strip()[:320], body=body.strip()[:MAX_BODY])
    profile.messages.append(message)
    db.session.flush()
    return message


def relay(message: ContactMessage) -> None:
    """E-mail the message to the entrepreneur, without the sender's address, with a link to reply."""
    user = message.profile.user
    link = url_for("profile_account.message", message_uuid=message.uuid, _external=True)
    with force_locale(user.locale or "fr"):
        subject = _("Nouveau message de %(name)s sur Badgeons", name=message.sender_name)
        lines = [
            _("%(name)s vous a écrit depuis votre profil Badgeons :", name=message.sender_name),
            message.body,
            _("Son adresse reste masquée ; elle vous sera montrée si vous répondez ici :"),
            link,
        ]
    mail.send(user.email, subject, "\n\n".join(lines))


def reply(message: ContactMessage, body: str) -> None:
    """Send the entrepreneur's reply to the sender; from now on each sees the other's address."""
    user = message.profile.user
    with force_locale("fr"):
        subject = _("Réponse de %(name)s (Badgeons)", name=message.profile.display_name)
        lines = [
            _("%(name)s vous répond :", name=message.profile.display_name),
            body.strip()[:MAX_BODY],
            _("Pour continuer l'échange, écrivez à : %(address)s", address=user.email),
        ]
    mail.send(message.sender_email, subject, "\n\n".join(lines))
    message.replied_at = utcnow()
    db.session.flush()


def mark_read(message: ContactMessage) -> None:
    """The entrepreneur opened the message."""
    if message.read_at is None:
        message.read_at = utcnow()
        db.session.flush()
