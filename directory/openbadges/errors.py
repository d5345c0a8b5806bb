"""Exceptions raised by the Open Badges library (no Flask)."""


class OpenBadgesError(Exception):
    """Base class for every error this library raises on purpose."""


class UnknownContextError(OpenBadgesError):
    """A JSON-LD context URL that is not shipped with the package was requested."""


class InvalidSignature(OpenBadgesError):
    """A JWS, JWT or Data Integrity signature did not verify."""


class KeyDecryptionError(OpenBadgesError):
    """An encrypted private key could not be decrypted (wrong KEK or corrupt blob)."""


class UnsafeDocumentError(OpenBadgesError):
    """A JSON-LD document uses terms its contexts do not define (would fail safe mode)."""


class InvalidCredential(OpenBadgesError):
    """A correctly signed token whose claims disagree with its credential, or are out of date."""
