"""What the database enforces when two members of one organisation act at the same moment.

The concurrent version (50 partners through gunicorn on PostgreSQL) is
tests/scaleout/test_concurrent_endorsements.py; here each race is replayed step by step:
the second member's check has already passed (or their page still shows the old state)
when the first member's change is committed.
"""

import pytest
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from directory.endorsements import services
from directory.endorsements.models import Endorsement
from directory.endorsements.services import EndorsementError
from directory.endorsements.services import Target
from directory.extensions import db

COMMENT = "Nous reconnaissons ce badge."


def open_count(w) -> int:
    query = select(func.count()).select_from(Endorsement).where(
        Endorsement.endorser_id == w.partner.id, Endorsement.state.in_(services.OPEN_STATES)
    )
    return db.session.scalar(query)


def test_the_database_refuses_a_second_open_endorsement_of_one_class(world):
    services.endorse(Target(badge_class=world.badge), world.partner, world.partner_member, COMMENT)
    db.session.commit()
    db.session.add(Endorsement(endorser=world.partner, target_type="badge_class", badge_class=world.badge,
                               state="requested", comment=""))  # fmt: skip
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert open_count(world) == 1


def test_a_colleague_who_inserts_second_is_told_it_is_already_endorsed(world):
    services.endorse(Target(badge_class=world.badge), world.partner, world.partner_member, COMMENT)
    db.session.commit()
    # The colleague's check ran before the first commit: only the insert is left to do.
    with pytest.raises(EndorsementError) as refused:
        services._new(Target(badge_class=world.badge), world.partner, world.partner_member, state="active")
    assert refused.value.code == "already_endorsed"
    db.session.rollback()
    assert open_count(world) == 1


def test_an_endorsement_of_the_issuer_itself_is_unique_too(world):
    services.endorse(Target(issuer=world.issuer), world.partner, world.partner_member, COMMENT)
    db.session.commit()
    with pytest.raises(EndorsementError):
        services._new(Target(issuer=world.issuer), world.partner, world.partner_member, state="active")
    db.session.rollback()
    assert open_count(world) == 1


def test_a_withdrawn_endorsement_does_not_block_a_new_one(world):
    first = services.endorse(Target(badge_class=world.badge), world.partner, world.partner_member, COMMENT)
    services.withdraw(first, world.partner_member, "Le dispositif a pris fin")
    again = services.endorse(Target(badge_class=world.badge), world.partner, world.partner_member, COMMENT)
    db.session.commit()
    assert again.id != first.id and open_count(world) == 1


def test_withdrawing_what_a_colleague_just_withdrew_is_refused(world):
    endorsement = services.endorse(Target(badge_class=world.badge), world.partner, world.partner_member, COMMENT)
    db.session.commit()
    # The colleague's withdrawal is committed; our page (and our copy of the row) still says active.
    db.session.execute(update(Endorsement).where(Endorsement.id == endorsement.id)
                       .values(state="withdrawn", reason="Premier retrait")
                       .execution_options(synchronize_session=False))  # fmt: skip
    db.session.commit()
    set_committed_value(endorsement, "state", "active")  # what the second member's request loaded
    with pytest.raises(EndorsementError) as refused:
        services.withdraw(endorsement, world.partner_member, "Le dispositif a pris fin")
    assert refused.value.code == "not_active"
    db.session.rollback()
    assert db.session.get(Endorsement, endorsement.id).reason == "Premier retrait"


@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_answering_a_request_a_colleague_already_answered_is_refused(world, answer):
    asked = services.request_endorsement(Target(badge_class=world.badge), world.partner, world.editor, "")
    db.session.commit()
    db.session.execute(update(Endorsement).where(Endorsement.id == asked.id).values(state="declined")
                       .execution_options(synchronize_session=False))  # fmt: skip
    db.session.commit()
    set_committed_value(asked, "state", "requested")
    with pytest.raises(EndorsementError) as refused:
        if answer == "accept":
            services.accept(asked, world.partner_member, COMMENT)
        else:
            services.decline(asked, world.partner_member, "Pas cette année")
    assert refused.value.code == "not_requested"
    db.session.rollback()
    assert db.session.get(Endorsement, asked.id).state == "declined"
