"""Words for the endorsement screens: states, and the sentence for each refused change."""

from flask_babel import lazy_gettext as _l

from directory.endorsements.services import EndorsementError

STATES = {
    "requested": _l("Demandée"),
    "declined": _l("Déclinée"),
    "active": _l("Publiée"),
    "withdrawn": _l("Retirée"),
}
ERRORS = {
    "forbidden": _l("Vous n'avez pas les droits pour cette action."),
    "not_published": _l("Seul un badge publié peut être reconnu."),
    "not_an_issuer": _l("Seul un réseau émetteur vérifié peut être reconnu."),
    "own_badge": _l("Une organisation ne peut pas reconnaître ses propres badges."),
    "already_endorsed": _l("Cette organisation reconnaît déjà ce badge, ou une demande est en cours."),
    "not_requested": _l("Cette demande a déjà reçu une réponse."),
    "not_active": _l("Une reconnaissance retirée ne peut plus être modifiée : créez-en une nouvelle."),
    "reason_required": _l("Indiquez un motif."),
    "comment_required": _l("Écrivez un commentaire (2000 caractères au plus)."),
    "bad_validity": _l("La date de fin de validité doit être dans le futur."),
}


def error_message(error: EndorsementError) -> str:
    """The sentence shown for a refused change."""
    return str(ERRORS.get(error.code, _l("Action impossible.")))


def state_label(code: str) -> str:
    """The label of an endorsement state."""
    return str(STATES.get(code, code))
