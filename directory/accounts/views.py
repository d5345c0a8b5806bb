"""Sign-in and sign-out: OpenID Connect providers (one callback each) and one-time e-mail links."""

import hashlib

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_login import login_user
from flask_login import logout_user

from directory.accounts import email_links
from directory.accounts import oidc
from directory.accounts import services
from directory.accounts.demo import demo_users
from directory.accounts.forms import EmailLinkForm
from directory.accounts.labels import template_labels
from directory.accounts.models import OidcIdentity
from directory.accounts.redirects import safe_next
from directory.core import mail
from directory.extensions import db
from directory.extensions import limiter
from directory.extensions import login_manager
from directory.organisations import services as organisations

bp = Blueprint("accounts", __name__)

# code → (HTTP status, title, explanation) of the page shown when a sign-in is refused.
ERRORS = {
    "access_denied": (
        403,
        _l("Connexion annulée"),
        _l("Vous avez refusé la connexion chez le fournisseur d'identité, ou il l'a refusée. Vous pouvez réessayer quand vous voulez."),
    ),
    "login_required": (
        400,
        _l("Connexion nécessaire chez le fournisseur"),
        _l("Le fournisseur d'identité demande que vous vous connectiez d'abord chez lui. Réessayez et suivez ses étapes."),
    ),
    "state_error": (
        400,
        _l("Session de connexion expirée"),
        _l("Cette connexion n'a pas été commencée dans ce navigateur, ou elle a déjà servi. Recommencez depuis la page de connexion."),
    ),
    "token_error": (
        400,
        _l("Réponse du fournisseur refusée"),
        _l("La réponse du fournisseur d'identité n'a pas passé nos vérifications de sécurité. Réessayez ; si le problème continue, prévenez-nous."),
    ),
    "userinfo_mismatch": (
        400,
        _l("Réponse du fournisseur refusée"),
        _l("Les informations reçues du fournisseur d'identité ne concernent pas la personne connectée. La connexion a été arrêtée par sécurité."),
    ),
    "insufficient_acr": (
        403,
        _l("Niveau de sécurité insuffisant"),
        _l("Ce site demande une connexion plus sûre que celle utilisée (par exemple avec une double authentification). Réessayez avec un autre moyen de connexion."),
    ),
    "provider_unavailable": (
        503,
        _l("Fournisseur d'identité injoignable"),
        _l("Le fournisseur d'identité ne répond pas pour le moment. Réessayez dans quelques minutes."),
    ),
    "account_disabled": (
        403,
        _l("Compte désactivé"),
        _l("Ce compte a été désactivé. Contactez l'équipe de Badgeons si vous pensez que c'est une erreur."),
    ),
}


# Globals, not a context processor: imported macros (admin/_decisions.html) see only globals.
bp.record_once(lambda state: state.app.jinja_env.globals.update(template_labels()))


# Starting a sign-in, coming back from the provider, redeeming a link: per client address.
SIGN_IN_LIMIT = "20 per minute"


@login_manager.user_loader
def load_user(user_id: str):
    from directory.accounts.models import User

    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


@bp.get("/connexion")
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next"), url_for("dashboard.home")))
    return render_template(
        "accounts/login.html",
        providers=[p for p in oidc.providers().values() if not p.demo],
        demo=_demo_offer(),
        form=EmailLinkForm(),
        next=safe_next(request.args.get("next"), ""),
    )


@bp.get("/connexion/<provider>")
@limiter.limit(SIGN_IN_LIMIT)
def start(provider: str):
    spec = _provider_or_404(provider)
    session["next"] = safe_next(request.args.get("next"), url_for("dashboard.home"))
    # A login hint is passed on only to the demo provider, whose buttons name a demo person.
    hint = request.args.get("login_hint") if spec.demo else None
    try:
        return oidc.authorization_redirect(provider, _external("accounts.callback", provider=provider), hint)
    except oidc.SignInError as error:
        return sign_in_error(error.code)


@bp.get("/connexion/<provider>/retour")
@limiter.limit(SIGN_IN_LIMIT)
def callback(provider: str):
    _provider_or_404(provider)
    try:
        result = oidc.complete_sign_in(provider)
    except oidc.SignInError as error:
        current_app.logger.warning("sign-in with %s refused: %s", provider, error)
        return sign_in_error(error.code)
    identity = services.sign_in_with_provider(result)
    if not identity.user.is_active:
        db.session.commit()
        return sign_in_error("account_disabled")
    binding = organisations.binding_from_claims(result.provider.binding_claims, result.claims)
    changes = organisations.bind_sign_in(identity.user, provider, result.subject, binding, result.acr)
    db.session.commit()
    target = session.get("next") or url_for("dashboard.home")
    start_session(identity, result.id_token)
    _announce(changes)
    return redirect(target)


@bp.post("/deconnexion")
def logout():
    auth, id_token = session.get("auth") or {}, session.get("id_token")
    end_session(keep=())
    logout_user()
    provider = auth.get("provider")
    url = None
    if provider in oidc.providers():
        url = oidc.logout_url(provider, id_token, _external("accounts.logged_out", provider=provider))
    if url is None:
        flash(_l("Vous êtes déconnecté."), "success")
        return redirect(url_for("core.home"))
    # A page, not a redirect: the site's CSP (form-action 'self') would stop a form's redirect elsewhere.
    return render_template("accounts/logging_out.html", url=url)


@bp.get("/deconnexion/<provider>/retour")
def logged_out(provider: str):
    _provider_or_404(provider)
    if oidc.check_logout_return(provider):
        flash(_l("Vous êtes déconnecté, ici et chez votre fournisseur d'identité."), "success")
    return redirect(url_for("core.home"))


@bp.post("/connexion/lien")
@limiter.limit("10 per hour", key_func=lambda: f"email-link:{request.remote_addr}")
@limiter.limit("3 per hour", key_func=lambda: f"email-link-to:{_address_key()}")
def request_email_link():
    form = EmailLinkForm()
    if not form.validate_on_submit():
        flash(_l("Indiquez une adresse e-mail valide."), "error")
        return redirect(url_for("accounts.login"))
    address = form.email.data
    # Same answer whether or not the address is known: the page reveals no one's presence.
    if email_links.is_known_address(address):
        _send_link(address, email_links.issue(address))
        db.session.commit()
    return render_template("accounts/email_link_sent.html", address=address)


@bp.get("/connexion/lien/<token>")
def email_link(token: str):
    # Showing a button rather than signing in: mail scanners open links, only people press buttons.
    usable = email_links.peek(token) is not None
    return render_template("accounts/email_link_confirm.html", token=token, usable=usable), 200 if usable else 410


@bp.post("/connexion/lien/<token>")
@limiter.limit(SIGN_IN_LIMIT)
def redeem_email_link(token: str):
    address = email_links.redeem(token)
    if address is None:
        db.session.rollback()
        return render_template("accounts/email_link_confirm.html", token=token, usable=False), 410
    identity = services.sign_in_with_email(address)
    db.session.commit()
    start_session(identity, None)
    return redirect(url_for("dashboard.home"))


def start_session(identity: OidcIdentity, id_token: str | None) -> None:
    """A fresh session for a user who just proved who they are (nothing from before survives)."""
    end_session(keep=("lang",))
    login_user(identity.user)
    session["auth"] = {"provider": identity.provider, "identity": identity.id}
    if id_token:
        session["id_token"] = id_token


def end_session(keep: tuple[str, ...]) -> None:
    """Clear the session but for these harmless keys (the chosen language)."""
    kept = {key: session[key] for key in keep if key in session}
    session.clear()
    session.update(kept)


def sign_in_error(code: str):
    """The friendly page for a refused sign-in."""
    status, title, explanation = ERRORS.get(code, ERRORS["token_error"])
    page = render_template("accounts/sign_in_error.html", code=code, title=title, explanation=explanation)
    return page, status


def _provider_or_404(name: str):
    spec = oidc.providers().get(name)
    if spec is None:
        abort(404)
    return spec


def _external(endpoint: str, **values) -> str:
    # Redirect URIs are registered with each provider, so they come from the configured origin.
    return current_app.config["PUBLIC_BASE_URL"] + url_for(endpoint, **values)


def _demo_offer() -> list | None:
    if "demo" not in oidc.providers() or not current_app.config.get("DEMO_IDENTITY_PROVIDER"):
        return None
    return demo_users()


def _address_key() -> str:
    """The rate-limit key of the requested address: a hash, so the limiter's store holds no address."""
    address = services.normalise_email(request.form.get("email", ""))
    return hashlib.sha256(address.encode()).hexdigest()[:32]


def _send_link(address: str, token: str) -> None:
    link = _external("accounts.email_link", token=token)
    minutes = current_app.config.get("EMAIL_LINK_MAX_AGE_MINUTES", 30)
    lines = [
        _l("Bonjour,"),
        _l("Pour vous connecter à Badgeons, ouvrez ce lien (valable %(minutes)s minutes, une seule fois) :", minutes=minutes),
        link,
        _l("Si vous n'avez rien demandé, ignorez ce message : personne ne peut se connecter sans ce lien."),
        "Badgeons",
    ]
    mail.send(address, str(_l("Votre lien de connexion à Badgeons")), "\n\n".join(str(line) for line in lines))


def _announce(changes: list) -> None:
    for membership in changes:
        if membership.state == "suspended":
            flash(_l("Votre rattachement à %(name)s est suspendu : votre fournisseur d'identité ne le confirme plus. Un administrateur doit le valider à nouveau.", name=membership.organisation.name), "error")
        elif membership.state == "pending":
            flash(_l("Votre demande de rattachement à %(name)s attend la validation d'un administrateur.", name=membership.organisation.name), "info")
