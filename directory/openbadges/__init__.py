"""Pure Open Badges 2.0 / 3.0 library: builders, keys, proofs, JOSE, schemas.

This package imports no Flask and touches no database or network: every input
(keys, profiles, key resolvers) is passed in by the caller, and JSON-LD
contexts and JSON Schemas are served from the package data in ``contexts/``
and ``schemas/``. Keep it that way so it can be tested and reused on its own.
"""

from directory.openbadges.errors import InvalidCredential
from directory.openbadges.errors import InvalidSignature
from directory.openbadges.errors import KeyDecryptionError
from directory.openbadges.errors import OpenBadgesError
from directory.openbadges.errors import UnknownContextError
from directory.openbadges.errors import UnsafeDocumentError

__all__ = [
    "InvalidCredential",
    "InvalidSignature",
    "KeyDecryptionError",
    "OpenBadgesError",
    "UnknownContextError",
    "UnsafeDocumentError",
]
