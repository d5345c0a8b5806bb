"""Error pages in the visitor's language, and JSON errors for API callers."""

from flask import Flask
from flask import jsonify
from flask import render_template
from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError

from directory.extensions import db

TITLES = {
    400: _l("Demande incorrecte"),
    401: _l("Connexion nécessaire"),
    403: _l("Accès refusé"),
    404: _l("Page introuvable"),
    405: _l("Méthode non autorisée"),
    410: _l("Ce contenu n'existe plus"),
    413: _l("Fichier trop volumineux"),
    429: _l("Trop de demandes"),
    500: _l("Erreur du serveur"),
    503: _l("Service momentanément indisponible"),
}
EXPLANATIONS = {
    400: _l("La demande envoyée n'a pas pu être comprise. Vérifiez les informations saisies."),
    401: _l("Connectez-vous pour accéder à cette page."),
    403: _l("Vous n'avez pas les droits nécessaires pour voir cette page."),
    404: _l("L'adresse demandée ne correspond à aucune page. Elle a peut-être été déplacée."),
    405: _l("Cette action n'est pas possible à cette adresse."),
    410: _l("Ce contenu a été retiré par son auteur ou son émetteur."),
    413: _l("Le fichier envoyé dépasse la taille autorisée."),
    429: _l("Vous avez fait trop de demandes en peu de temps. Réessayez dans un moment."),
    500: _l("Une erreur inattendue s'est produite. L'équipe a été prévenue ; réessayez plus tard."),
    503: _l("Ce service est momentanément indisponible. Réessayez dans quelques minutes."),
}


def wants_json() -> bool:
    """API routes and clients that ask for JSON get JSON errors."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json", "application/ld+json"])
    return best in ("application/json", "application/ld+json")


def handle_http_error(error: HTTPException):
    """Render an HTTP error for a browser or an API caller."""
    code = error.code or 500
    if code >= 500:
        db.session.rollback()
    if wants_json():
        message = error.description if code < 500 else str(EXPLANATIONS[500])
        body = {"error": {"status": code, "code": _slug(error.name), "message": message}}
        return jsonify(body), code, _retry_after(error)
    title = TITLES.get(code, error.name)
    explanation = EXPLANATIONS.get(code, error.description)
    html = render_template("errors/error.html", code=code, title=title, explanation=explanation)
    return html, code, _retry_after(error)


def handle_unexpected(error: Exception):
    """Log an unexpected exception and answer as a 500."""
    from flask import current_app

    current_app.logger.exception("unhandled error on %s", request.path)
    return handle_http_error(InternalServerError())


def _slug(name: str) -> str:
    return name.lower().replace(" ", "_").replace("'", "")


def _retry_after(error: HTTPException) -> dict:
    response = getattr(error, "response", None)
    if response is not None and "Retry-After" in response.headers:
        return {"Retry-After": response.headers["Retry-After"]}
    return {}


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
