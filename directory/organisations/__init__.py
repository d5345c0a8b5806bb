"""Issuers and partner organisations, their members, verification and signing keys."""
