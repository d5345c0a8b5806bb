"""`flask keys rekey`: every private key moves to the new KEY_ENCRYPTION_KEY, all or nothing."""

import json

import pytest
from sqlalchemy import select

from directory.badges import documents_ob3
from directory.openbadges import KeyDecryptionError
from directory.openbadges import keys as obkeys
from directory.openbadges.verify import verify_badge
from directory.organisations import keys
from directory.organisations.models import SigningKey
from tests.badges import ob_factories as factories

OLD = "test-key-encryption-key-0123456789"  # the suite's KEY_ENCRYPTION_KEY (tests/conftest.py)
NEW = "the-next-key-encryption-key-9876543210"
PUBLIC = "https://badgeons.test"


@pytest.fixture
def signed(app, db):
    """Two organisations with keys of both algorithms, and a credential signed under the old KEK."""
    award = factories.award(factories.badge_class(factories.organisation()))
    other = factories.organisation()
    for organisation in (award.badge_class.issuer, other):
        for algorithm in keys.ALGORITHMS:
            keys.signing_key(organisation, algorithm)
    credential = documents_ob3.credential_json(award)
    db.session.commit()
    return {"award": award, "credential": credential}


@pytest.fixture
def new_secret(app, monkeypatch):
    """The operator has set the new KEY_ENCRYPTION_KEY."""
    monkeypatch.setitem(app.config, "KEY_ENCRYPTION_KEY", NEW)


def stored(db) -> dict[str, tuple[str, str, bytes]]:
    """Each key id with its algorithm, public key and encrypted private key, as in the database."""
    columns = (SigningKey.key_id, SigningKey.algorithm, SigningKey.public_key, SigningKey.private_key_encrypted)
    return {key_id: (algorithm, public, blob) for key_id, algorithm, public, blob in db.session.execute(select(*columns))}


def rekey(app, old: str | None = OLD, **kwargs):
    """Run `flask keys rekey` with OLD_KEY_ENCRYPTION_KEY set to ``old`` (None: unset)."""
    return app.test_cli_runner().invoke(args=["keys", "rekey"], env={"OLD_KEY_ENCRYPTION_KEY": old}, **kwargs)


def verdict(client, credential: str, email: str = factories.RECIPIENT_EMAIL):
    """The verifier's verdict, fetching the issuer's documents from this app."""

    def fetch(url: str):
        response = client.get(url.removeprefix(PUBLIC), headers={"Accept": "application/ld+json"})
        return response.content_type, response.data

    return verify_badge(credential, fetch=fetch, recipient_email=email)


def test_rekey_re_encrypts_every_key_and_badges_keep_verifying(app, client, db, signed, new_secret):
    before = stored(db)
    result = rekey(app)
    assert result.exit_code == 0, result.output
    assert "4 private keys re-encrypted" in result.output
    after = stored(db)
    assert {k: v[:2] for k, v in after.items()} == {k: v[:2] for k, v in before.items()}
    assert all(after[k][2] != before[k][2] for k in before)
    for key in db.session.scalars(select(SigningKey)):
        keys.private_key(key)  # opens with the new secret
    assert verdict(client, signed["credential"]).result == "valid"
    fresh = factories.award(signed["award"].badge_class, email="lea@exemple.fr")
    credential = documents_ob3.credential_json(fresh)
    db.session.commit()
    assert _method(credential) == _method(signed["credential"])  # same key, same published id
    assert verdict(client, credential, "lea@exemple.fr").result == "valid"


def _method(credential: str) -> str:
    proof = json.loads(credential)["proof"]
    return (proof[0] if isinstance(proof, list) else proof)["verificationMethod"]


def test_the_old_secret_no_longer_opens_the_keys(app, db, signed, new_secret, monkeypatch):
    assert rekey(app).exit_code == 0
    monkeypatch.setitem(app.config, "KEY_ENCRYPTION_KEY", OLD)
    key = db.session.scalars(select(SigningKey)).first()
    with pytest.raises(KeyDecryptionError):
        keys.private_key(key)


def test_a_wrong_old_secret_changes_nothing(app, db, signed, new_secret):
    before = stored(db)
    result = rekey(app, "not-the-old-secret")
    assert result.exit_code == 1
    assert "4 key(s) do not decrypt with the old secret" in result.output
    assert "Nothing was changed." in result.output
    db.session.expire_all()
    assert stored(db) == before


def test_one_key_under_another_secret_stops_everything(app, db, signed, new_secret):
    stray = keys.signing_key(factories.organisation(slug="egaree"), "Ed25519")
    stray.private_key_encrypted = obkeys.encrypt_private_key(obkeys.generate_ed25519(), keys.derive_kek("a-third-secret"))
    db.session.commit()
    before = stored(db)
    result = rekey(app)
    assert result.exit_code == 1
    assert f"1 key(s) do not decrypt with the old secret: {stray.key_id} (egaree)" in result.output
    db.session.expire_all()
    assert stored(db) == before


def test_the_same_secret_is_refused(app, db, signed):
    before = stored(db)
    result = rekey(app, OLD)
    assert result.exit_code == 1
    assert "The old secret is the current KEY_ENCRYPTION_KEY" in result.output
    assert stored(db) == before


def test_running_it_twice_is_refused_and_says_why(app, db, signed, new_secret):
    assert rekey(app).exit_code == 0
    after_first = stored(db)
    again = rekey(app)
    assert again.exit_code == 1
    assert "already decrypt with the current KEY_ENCRYPTION_KEY" in again.output
    db.session.expire_all()
    assert stored(db) == after_first


def test_the_old_secret_can_come_from_a_hidden_prompt_or_another_variable(app, db, signed, new_secret):
    prompted = rekey(app, None, input=OLD + "\n")
    assert prompted.exit_code == 0, prompted.output
    assert "Previous KEY_ENCRYPTION_KEY" in prompted.output and OLD not in prompted.output
    result = app.test_cli_runner().invoke(args=["keys", "rekey", "--old-key-env", "KEK_BEFORE"], env={"KEK_BEFORE": NEW})
    assert result.exit_code == 1  # NEW is now current: same secret, refused
    assert "nothing to re-encrypt" in result.output
