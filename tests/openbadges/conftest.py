"""Key fixtures for the pure Open Badges library tests (documents come from factories.py)."""

import pytest

from directory.openbadges import keys


@pytest.fixture(scope="session")
def ed_key():
    """An Ed25519 signing key shared by the run."""
    return keys.generate_ed25519()


@pytest.fixture(scope="session")
def other_ed_key():
    """A second Ed25519 key, to prove that the wrong key fails."""
    return keys.generate_ed25519()


@pytest.fixture(scope="session")
def rsa_key():
    """An RSA-2048 key; session-scoped because RSA generation is slow."""
    return keys.generate_rsa()


@pytest.fixture(scope="session")
def other_rsa_key():
    """A second RSA key, to prove that the wrong key fails."""
    return keys.generate_rsa()
