"""What a flush hands to the indexer: column changes, not collection bookkeeping."""

from directory.organisations.keys import signing_key
from directory.search.hooks import PENDING
from tests.search import factories


def test_a_new_signing_key_does_not_reindex_the_organisations_holders(db):
    issuer = factories.organisation()
    factories.award(factories.profile(), factories.badge_class("Négociation", issuer=issuer))
    db.session.commit()

    signing_key(issuer, "Ed25519")
    db.session.flush()

    assert ("organisation", issuer.id) not in db.session.info.get(PENDING, set())
    db.session.rollback()


def test_renaming_the_organisation_does(db):
    issuer = factories.organisation()
    db.session.commit()

    issuer.name = "Réseau renommé"
    db.session.flush()

    assert ("organisation", issuer.id) in db.session.info[PENDING]
    db.session.rollback()
