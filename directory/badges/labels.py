"""Words for the issuing screens: states, review entries, and the sentence for each refused change."""

from flask_babel import lazy_gettext as _l

from directory.badges.services import IssuingError

BADGE_CLASS_STATES = {
    "draft": _l("Brouillon"),
    "in_review": _l("En relecture"),
    "published": _l("Publié"),
    "archived": _l("Archivé"),
}
TRAIL_ENTRIES = {
    "comment": _l("a commenté"),
    "approve": _l("a approuvé"),
    "request_changes": _l("a demandé des modifications"),
    "submit": _l("a envoyé en relecture"),
    "publish": _l("a publié"),
    "archive": _l("a archivé"),
}
APPLICATION_STATES = {
    "draft": _l("Brouillon"),
    "submitted": _l("Envoyée, en attente d'évaluation"),
    "returned": _l("À compléter"),
    "approved": _l("Acceptée"),
    "refused": _l("Refusée"),
}
AWARD_STATUSES = {
    "active": _l("Valide"),
    "unclaimed": _l("Pas encore récupéré"),
    "expired": _l("Expiré"),
    "revoked": _l("Révoqué"),
}
DECISIONS = {"approve": _l("acceptée"), "return": _l("renvoyée pour complément"), "refuse": _l("refusée")}
PARTNER_ROLES = {"co_builder": _l("co-construit et relit"), "assessor": _l("relit et évalue les candidatures")}
ERRORS = {
    "awarded": _l("Ce badge a déjà été attribué : créez une nouvelle version pour le modifier."),
    "not_draft": _l("Seul un brouillon peut être modifié."),
    "not_published": _l("Ce badge n'est pas publié."),
    "not_in_review": _l("Ce badge n'est pas en relecture."),
    "approvals_missing": _l("Il manque des approbations avant de pouvoir publier."),
    "own_class": _l("Vous ne pouvez pas approuver un badge que vous avez rédigé."),
    "comment_required": _l("Écrivez un commentaire."),
    "forbidden": _l("Vous n'avez pas les droits pour cette action."),
    "not_a_partner": _l("Cette organisation ne peut pas être invitée."),
    "bad_role": _l("Rôle inconnu."),
    "already_awarded": _l("Vous avez déjà ce badge."),
    "bad_links": _l("Les liens doivent commencer par https:// (10 au plus)."),
    "bad_email": _l("Cette adresse e-mail n'est pas valide."),
    "bad_file_type": _l("Seuls les fichiers PDF, PNG et JPEG sont acceptés."),
    "file_too_large": _l("Un fichier dépasse 5 Mo."),
    "too_many_files": _l("Cinq fichiers au plus par candidature."),
    "not_editable": _l("Cette candidature ne peut plus être modifiée."),
    "incomplete": _l("Racontez votre expérience et indiquez une adresse e-mail avant d'envoyer."),
    "own_application": _l("Vous ne pouvez pas évaluer votre propre candidature."),
    "not_submitted": _l("Cette candidature n'attend pas de décision."),
    "bad_decision": _l("Choisissez une décision."),
    "reason_required": _l("Indiquez un motif."),
    "no_applicant": _l("Le compte de la personne n'existe plus."),
    "already_revoked": _l("Ce badge est déjà révoqué."),
    "not_claimable": _l("Ce badge ne peut plus être récupéré."),
    "invalid_file": _l("Le fichier contient des erreurs : rien n'a été attribué."),
    "already_applied": _l("Ce fichier a déjà été attribué."),
}


def error_message(error: IssuingError) -> str:
    """The sentence shown for a refused change."""
    return str(ERRORS.get(error.code, _l("Action impossible.")))


def template_labels() -> dict:
    """Label lookups for templates."""
    return {
        "badge_class_state": lambda code: str(BADGE_CLASS_STATES.get(code, code)),
        "trail_entry": lambda code: str(TRAIL_ENTRIES.get(code, code)),
        "application_state": lambda code: str(APPLICATION_STATES.get(code, code)),
        "award_status_label": lambda code: str(AWARD_STATUSES.get(code, code)),
        "partner_role": lambda code: str(PARTNER_ROLES.get(code, code)),
        "decision_label": lambda code: str(DECISIONS.get(code, code)),
    }
