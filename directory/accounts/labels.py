"""Labels, in both languages, for the codes of accounts and memberships."""

from flask_babel import lazy_gettext as _l

MEMBERSHIP_STATE_LABELS = {
    "pending": _l("en attente de validation"),
    "approved": _l("approuvé"),
    "refused": _l("refusé"),
    "suspended": _l("suspendu"),
}
MEMBER_ROLE_LABELS = {
    "member": _l("membre"),
    "admin": _l("administrateur de l'organisation"),
    "reviewer": _l("évaluateur"),
    "editor": _l("éditeur"),
}
DEMO_ROLE_LABELS = {
    "entrepreneur": _l("entrepreneuse"),
    "administrator": _l("administrateur de la plateforme"),
    **MEMBER_ROLE_LABELS,
}


def template_labels() -> dict:
    """Label functions for templates."""
    return {
        "membership_state": lambda code: str(MEMBERSHIP_STATE_LABELS.get(code, code)),
        "member_role": lambda code: str(MEMBER_ROLE_LABELS.get(code, code)),
        "demo_role": lambda code: str(DEMO_ROLE_LABELS.get(code, code)),
    }
