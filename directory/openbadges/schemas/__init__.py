"""1EdTech OB 3.0 JSON Schema validation (no Flask).

The schema files beside this module are package data (provenance:
shared/spec/README.md). Validation uses Draft 2019-09 with a FormatChecker that
really checks ``date-time`` (rfc3339-validator must be installed, or jsonschema
silently skips that format).
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

import rfc3339_validator  # noqa: F401  imported so a missing install fails loudly, not silently
from jsonschema import Draft201909Validator
from jsonschema import FormatChecker

ACHIEVEMENT_CREDENTIAL = "ob_v3p0_achievementcredential_schema.json"
ENDORSEMENT_CREDENTIAL = "ob_v3p0_endorsementcredential_schema.json"
PROFILE = "ob_v3p0_profile_schema.json"


@functools.cache
def load_schema(filename: str) -> dict[str, Any]:
    """Read one packaged schema file, once per process."""
    return json.loads(resources.files(__name__).joinpath(filename).read_text("utf-8"))


@functools.cache
def _validator(filename: str) -> Draft201909Validator:
    """Build (once) a Draft 2019-09 validator with real format checks."""
    return Draft201909Validator(load_schema(filename), format_checker=FormatChecker())


def _errors(filename: str, document: Any) -> list[str]:
    """Return readable ``path: message`` strings for every schema violation."""
    found = sorted(
        _validator(filename).iter_errors(document), key=lambda e: list(e.absolute_path)
    )
    return [f"{e.json_path}: {e.message}" for e in found]


def validate_achievement_credential(doc: dict[str, Any]) -> list[str]:
    """Validate an OpenBadgeCredential / AchievementCredential; ``[]`` means valid."""
    return _errors(ACHIEVEMENT_CREDENTIAL, doc)


def validate_endorsement_credential(doc: dict[str, Any]) -> list[str]:
    """Validate an EndorsementCredential; ``[]`` means valid."""
    return _errors(ENDORSEMENT_CREDENTIAL, doc)


def validate_profile(doc: dict[str, Any]) -> list[str]:
    """Validate a standalone Profile document; ``[]`` means valid."""
    return _errors(PROFILE, doc)
