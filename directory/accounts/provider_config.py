"""OpenID Connect providers from configuration: a TOML file, environment variables, the demo provider.

Pure settings code, no Flask: it turns text into `ProviderSpec`s and refuses anything
unusable with a one-line `ConfigError`.

TOML (path in `OIDC_PROVIDERS_FILE`)::

    [providers.proconnect]
    profile = "proconnect"
    label = "ProConnect"
    discovery_url = "https://auth.agentconnect.gouv.fr/api/v2/.well-known/openid-configuration"
    client_id = "…"
    client_secret_env = "PROCONNECT_CLIENT_SECRET"   # or client_secret = "…"
    required_acr = ["eidas1"]

Environment: `OIDC_PROVIDERS=proconnect,google` then `OIDC_PROVIDER_<NAME>_<FIELD>` for each field
(`DISCOVERY_URL`, `CLIENT_ID`, `CLIENT_SECRET`, `PROFILE`, `SCOPE`, `TOKEN_AUTH_METHOD`, `ISSUERS`,
`BINDING_CLAIM`, `REQUIRED_ACR`, `LABEL`; lists are comma-separated).
"""

import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from dataclasses import fields
from pathlib import Path

from directory.config import ConfigError

NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
AUTH_METHODS = ("client_secret_basic", "client_secret_post")
BINDING_CLAIMS = ("siret", "siren", "hd", "tid")
PROTOCOL_CLAIMS = frozenset(
    ("iss", "aud", "exp", "iat", "nbf", "nonce", "at_hash", "c_hash", "azp", "auth_time", "sid", "jti")
)

# What each kind of provider needs unless the configuration says otherwise.
PROFILES: dict[str, dict] = {
    "proconnect": {
        "label": "ProConnect",
        "scope": "openid given_name usual_name email uid siret idp_id organization_label",
        "token_auth_method": "client_secret_post",
        "binding_claims": ("siret",),
        "required_acr": ("eidas1", "eidas2", "eidas3"),
        "signed_userinfo": True,
        "logout": True,
    },
    "generic": {
        "scope": "openid email profile",
        "token_auth_method": "client_secret_basic",
        "binding_claims": (),
        "required_acr": (),
        "signed_userinfo": False,
        "logout": True,
    },
}


@dataclass(frozen=True)
class ProviderSpec:
    """One OpenID Connect provider the site accepts sign-ins from."""

    name: str
    discovery_url: str
    client_id: str
    client_secret: str | None = None
    label: str = ""
    profile: str = "generic"
    scope: str = "openid email profile"
    token_auth_method: str = "client_secret_basic"
    # Accepted `iss` values; empty means "the discovery document's issuer". "{tenantid}" is Entra's template.
    issuers: tuple[str, ...] = ()
    binding_claims: tuple[str, ...] = ()
    required_acr: tuple[str, ...] = ()
    signed_userinfo: bool = False
    logout: bool = True
    demo: bool = False
    authorize_params: dict = field(default_factory=dict)

    @property
    def display_label(self) -> str:
        return self.label or self.name


def build_spec(name: str, raw: Mapping, environ: Mapping[str, str] | None = None) -> ProviderSpec:
    """Check one provider's settings and fill in its profile's defaults."""
    if not NAME.match(name):
        raise ConfigError(f"OIDC provider name {name!r} must be lowercase letters, digits or '_'")
    profile = _profile(name, raw)
    values = {"profile": profile, **PROFILES[profile]}
    values.update({key: value for key, value in raw.items() if value not in (None, "")})
    values["binding_claims"] = _as_tuple(values.pop("binding_claim", None) or values.get("binding_claims"))
    values["required_acr"] = _as_tuple(values.get("required_acr"))
    values["issuers"] = _as_tuple(values.get("issuers"))
    values["client_secret"] = _secret(name, values, environ or {})
    _require(name, values)
    if values["profile"] == "proconnect" and "claims" not in values.get("authorize_params", {}):
        values["authorize_params"] = {**values.get("authorize_params", {}), "claims": acr_claims(values)}
    known = {f.name for f in fields(ProviderSpec)}
    if unknown := set(values) - known - {"client_secret_env"}:
        raise ConfigError(f"OIDC provider {name!r}: unknown settings {sorted(unknown)}")
    values.pop("client_secret_env", None)
    return ProviderSpec(name=name, **{k: v for k, v in values.items() if k != "name"})


def acr_claims(values: Mapping) -> str:
    """The `claims` request parameter asking ProConnect for an acr among the accepted ones."""
    acr = {"essential": True, "values": list(values.get("required_acr") or ())}
    return json.dumps({"id_token": {"acr": acr, "amr": {"essential": True}}}, separators=(",", ":"))


def from_toml(path: str | Path, environ: Mapping[str, str]) -> dict[str, ProviderSpec]:
    """Providers described in a TOML file's `[providers.<name>]` tables."""
    try:
        document = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"OIDC_PROVIDERS_FILE {str(path)!r} is unreadable: {error}") from None
    tables = document.get("providers", {})
    return {name: build_spec(name, table, environ) for name, table in tables.items()}


def from_environment(environ: Mapping[str, str]) -> dict[str, ProviderSpec]:
    """Providers listed in OIDC_PROVIDERS, each described by OIDC_PROVIDER_<NAME>_<FIELD> variables."""
    names = [n.strip() for n in environ.get("OIDC_PROVIDERS", "").split(",") if n.strip()]
    return {name: build_spec(name, _env_table(name, environ), environ) for name in names}


def demo_spec(base_url: str) -> ProviderSpec:
    """The local demo provider that `make run` starts (development only)."""
    return build_spec(
        "demo",
        {
            "label": "Badgeons démo",
            "discovery_url": f"{base_url.rstrip('/')}/.well-known/openid-configuration",
            "client_id": "badgeons-demo",
            "client_secret": "demo-secret",
            "scope": "openid email profile",
            "binding_claims": ["siret", "hd"],
            "demo": True,
        },
    )


def load_providers(environ: Mapping[str, str]) -> dict[str, ProviderSpec]:
    """Every configured provider: the TOML file, then the environment list, then the demo provider."""
    providers: dict[str, ProviderSpec] = {}
    if path := environ.get("OIDC_PROVIDERS_FILE"):
        providers.update(from_toml(path, environ))
    providers.update(from_environment(environ))
    if demo := environ.get("DEMO_IDENTITY_PROVIDER"):
        providers["demo"] = demo_spec(demo)
    return providers


def _profile(name: str, raw: Mapping) -> str:
    profile = raw.get("profile") or "generic"
    if profile not in PROFILES:
        raise ConfigError(f"OIDC provider {name!r}: profile must be one of {sorted(PROFILES)}")
    return profile


def _secret(name: str, values: dict, environ: Mapping[str, str]) -> str | None:
    # Secrets may stay out of the TOML file: name the variable that holds them.
    if variable := values.get("client_secret_env"):
        if not environ.get(variable):
            raise ConfigError(f"OIDC provider {name!r}: environment variable {variable} is empty")
        return environ[variable]
    return values.get("client_secret")


def _require(name: str, values: dict) -> None:
    for key in ("discovery_url", "client_id"):
        if not values.get(key):
            raise ConfigError(f"OIDC provider {name!r}: {key} is missing")
    if values["token_auth_method"] not in AUTH_METHODS:
        raise ConfigError(f"OIDC provider {name!r}: token_auth_method must be one of {AUTH_METHODS}")
    if bad := set(values["binding_claims"]) - set(BINDING_CLAIMS):
        raise ConfigError(f"OIDC provider {name!r}: binding claims must be among {BINDING_CLAIMS}, not {sorted(bad)}")
    if "openid" not in values["scope"].split():
        raise ConfigError(f"OIDC provider {name!r}: scope must contain 'openid'")


def _as_tuple(value) -> tuple[str, ...]:
    if not value:
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return tuple(value)


def _env_table(name: str, environ: Mapping[str, str]) -> dict:
    prefix = f"OIDC_PROVIDER_{name.upper()}_"
    table = {key[len(prefix):].lower(): value for key, value in environ.items() if key.startswith(prefix)}
    for flag in ("signed_userinfo", "logout"):
        if flag in table:
            table[flag] = table[flag].lower() in ("1", "true", "yes")
    return table
