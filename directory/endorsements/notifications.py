"""E-mails about endorsements, sent after the change is committed (a rollback sends nothing).

Requests go to the partner's approved members, new endorsements and the endorser's decisions
to the issuer's staff, the issuer's decisions to the endorser's members; each in the language
its reader chose (French for an organisation's contact address).
"""

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from directory.accounts.models import User
from directory.badges.notifications import external_url
from directory.badges.services import STAFF_ROLES
from directory.core import mail
from directory.endorsements.models import Endorsement
from directory.endorsements.services import target_of
from directory.extensions import db
from directory.organisations.models import Membership
from directory.organisations.models import Organisation

Recipient = tuple[str, str]


def notify_requested(endorsement: Endorsement) -> None:
    """Tell the partner's members that an issuer asks for their endorsement."""
    issuer, name = target_of(endorsement).owner.name, _target_name(endorsement)
    asks = _l("%(issuer)s demande à %(org)s de reconnaître « %(name)s ».", issuer=issuer, org=endorsement.endorser.name, name=name)
    lines = [_l("Bonjour,"), asks]
    if endorsement.request_message:
        lines.append(endorsement.request_message)
    lines += [_l("Pour accepter ou décliner :"), _space_link(endorsement.endorser)]
    _send(members(endorsement.endorser), _l("Demande de reconnaissance : « %(name)s »", name=name), lines)


def notify_endorsed(endorsement: Endorsement) -> None:
    """Tell the issuer's staff about a new (or changed) endorsement."""
    org, name = endorsement.endorser.name, _target_name(endorsement)
    lines = [_l("Bonjour,"), _l("%(org)s reconnaît « %(name)s » :", org=org, name=name), endorsement.comment]
    lines += [_l("Vous pouvez choisir de ne pas l'afficher :"), _issuer_link(endorsement)]
    _send(staff(endorsement), _l("Nouvelle reconnaissance : %(org)s", org=org), lines)


def notify_declined(endorsement: Endorsement) -> None:
    """Tell whoever asked that the partner declined."""
    org, name = endorsement.endorser.name, _target_name(endorsement)
    lines = [_l("Bonjour,"), _l("%(org)s a décliné votre demande de reconnaissance de « %(name)s ».", org=org, name=name)]
    if endorsement.reason:
        lines.append(endorsement.reason)
    lines.append(_issuer_link(endorsement))
    subject = _l("Demande de reconnaissance déclinée : %(org)s", org=org)
    _send(_requester(endorsement) or staff(endorsement), subject, lines)


def notify_withdrawn(endorsement: Endorsement) -> None:
    """Tell the issuer's staff that an endorsement was withdrawn."""
    org, name = endorsement.endorser.name, _target_name(endorsement)
    lines = [_l("Bonjour,"), _l("%(org)s a retiré sa reconnaissance de « %(name)s ».", org=org, name=name), _issuer_link(endorsement)]
    _send(staff(endorsement), _l("Reconnaissance retirée : %(org)s", org=org), lines)


def notify_display(endorsement: Endorsement) -> None:
    """Tell the endorser's members that the issuer hid, or shows again, their endorsement."""
    issuer, name = target_of(endorsement).owner.name, _target_name(endorsement)
    if endorsement.hidden:
        news = [_l("%(issuer)s a choisi de ne pas afficher votre reconnaissance de « %(name)s » sur ses pages. Elle reste publiée et valide.",
                   issuer=issuer, name=name), endorsement.hidden_reason]
    else:
        news = [_l("%(issuer)s affiche de nouveau votre reconnaissance de « %(name)s ».", issuer=issuer, name=name)]
    lines = [_l("Bonjour,"), *news, _space_link(endorsement.endorser)]
    _send(members(endorsement.endorser), _l("Affichage de votre reconnaissance : %(name)s", name=name), lines)


def members(organisation: Organisation, roles: tuple[str, ...] | None = None) -> list[Recipient]:
    """Approved members' addresses and languages, else the organisation's contact address."""
    query = select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.organisation_id == organisation.id, Membership.state == "approved", User.email.is_not(None)
    )
    if roles:
        query = query.where(Membership.role.in_(roles))
    found = [(user.email, user.locale or "fr") for user in db.session.scalars(query.order_by(User.id))]
    return found or ([(organisation.contact_email, "fr")] if organisation.contact_email else [])


def staff(endorsement: Endorsement) -> list[Recipient]:
    """The endorsed issuer's staff."""
    return members(target_of(endorsement).owner, STAFF_ROLES)


def _requester(endorsement: Endorsement) -> list[Recipient]:
    user = db.session.get(User, endorsement.requested_by_id) if endorsement.requested_by_id else None
    return [(user.email, user.locale or "fr")] if user is not None and user.email else []


def _target_name(endorsement: Endorsement) -> str:
    target = target_of(endorsement)
    return target.badge_class.name_fr if target.badge_class is not None else target.issuer.name


def _space_link(organisation: Organisation) -> str:
    return external_url("endorsements.organisation", slug=organisation.slug)


def _issuer_link(endorsement: Endorsement) -> str:
    return external_url("issuer_endorsements.received", slug=target_of(endorsement).owner.slug)


def _send(recipients: list[Recipient], subject, lines: list) -> None:
    """One message per address, in its reader's language."""
    for address, locale in dict(recipients).items():
        with force_locale(locale):
            mail.send(address, str(subject), "\n\n".join(str(line) for line in [*lines, "Badgeons"]))
