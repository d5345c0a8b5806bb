"""Endorsements where people decide: the issuer's page, and the partner's page with its anonymous reach."""

import html

from directory.badges.models import BadgeClassPartner
from directory.endorsements import public
from directory.endorsements import services
from directory.endorsements.services import Target
from tests.badges import ob_factories as factories
from tests.badges.issuing_helpers import login

COMMENT = "Reconnu pour nos aides."


def holders(badge_class, count: int, code: str, name: str, **profile_fields) -> None:
    """``count`` entrepreneurs of one département showing the badge."""
    for _ in range(count):
        profile = factories.profile(departement_code=code, departement=name, **profile_fields)
        factories.award(badge_class, profile=profile)


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_partner_page_lists_what_it_endorses_and_co_built_and_its_reach(client, db, world):
    services.endorse(Target(badge_class=world.badge), world.partner, world.partner_member, COMMENT)
    co_built = factories.badge_class(world.issuer, name_fr="Gérer sa trésorerie")
    db.session.add(BadgeClassPartner(badge_class=co_built, organisation=world.partner))
    holders(world.badge, 4, "59", "Nord")
    holders(co_built, 1, "59", "Nord")
    holders(world.badge, 4, "62", "Pas-de-Calais")
    holders(world.badge, 3, "80", "Somme", listing_consent=False)
    db.session.commit()
    body = page(client, f"/organisations/{world.partner.slug}")
    assert world.badge.name_fr in body and COMMENT in body
    assert "Badges co-construits" in body and "Gérer sa trésorerie" in body
    assert "Nord (59)</th><td>5</td>" in body
    assert "Pas-de-Calais" not in body and "Somme" not in body
    assert "moins de 5 titulaires ne sont pas affichés" in body


def test_reach_counts_only_public_valid_awards_and_hides_small_groups(db, world):
    holders(world.badge, 5, "59", "Nord")
    holders(world.badge, 5, "62", "Pas-de-Calais", visibility="private")
    revoked = factories.profile(departement_code="59", departement="Nord")
    factories.award(world.badge, profile=revoked, revoked_at=factories.now())
    hidden = factories.profile(departement_code="59", departement="Nord")
    factories.award(world.badge, profile=hidden, visibility="private")
    assert public.holders_by_departement([world.badge.id]) == [public.DepartementCount("59", "Nord", 5)]
    holders(world.badge, 4, "02", "Aisne")
    assert [row.code for row in public.holders_by_departement([world.badge.id])] == ["59"]


def test_issuer_page_shows_endorsements_received_and_offers_to_endorse(client, db, world):
    services.endorse(Target(issuer=world.issuer), world.other, world.other_member, "Un réseau sérieux.")
    services.endorse(Target(badge_class=world.badge), world.partner, world.partner_member, COMMENT)
    db.session.commit()
    login(client, world.partner_member)
    body = page(client, f"/organisations/{world.issuer.slug}")
    assert "Reconnaissances reçues" in body
    assert world.other.name in body and "Un réseau sérieux." in body
    assert world.partner.name in body and COMMENT in body
    assert f"Reconnaître {world.issuer.name} au nom de {world.partner.name}" in body
