"""Bulk awards from CSV: every line checked first, all or nothing, on the web and on the command line."""

import io
import time

import pytest
from sqlalchemy import func
from sqlalchemy import select

from directory.badges import bulk
from directory.badges.models import Award
from directory.badges.models import BulkAwardJob
from directory.badges.services import IssuingError
from directory.core import mail
from directory.extensions import db as _db
from tests.badges import ob_factories as factories
from tests.badges.issuing_helpers import login
from tests.badges.issuing_helpers import published
from tests.badges.issuing_helpers import team

HEADER = "email,nom,badge,preuve,date\n"


@pytest.fixture
def scene(db):
    people = team()
    people["badge_class"] = published(people["issuer"], people["editor"], people["reviewer"])
    _db.session.commit()
    return people


def _csv(slug: str, count: int, bad_line: str | None = None, at: int = 0) -> str:
    lines = [f"personne{i}@exemple.fr,Personne {i},{slug},https://exemple.fr/p/{i},2026-03-0{1 + i % 9}" for i in range(count)]
    if bad_line is not None:
        lines.insert(at, bad_line)
    return HEADER + "\n".join(lines) + "\n"


def _awards() -> int:
    return _db.session.scalar(select(func.count(Award.id)))


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("pas-une-adresse,X,{slug},,", "adresse e-mail invalide"),
        ("x@exemple.fr,X,badge-inconnu,,", "badge inconnu"),
        ("x@exemple.fr,X,{slug},ftp://exemple.fr,", "https://"),
        ("x@exemple.fr,X,{slug},,31/02/2026", "date illisible"),
        ("x@exemple.fr,X,{slug},,2999-01-01", "dans le futur"),
        ("personne1@exemple.fr,Doublon,{slug},,", "ligne en double"),
    ],
)
def test_one_bad_line_among_valid_ones_writes_nothing(scene, bad, message):
    slug = scene["badge_class"].slug
    plan = bulk.plan_bulk_award(_csv(slug, 5, bad.format(slug=slug), at=3), scene["issuer"])
    assert not plan.ok
    assert [(line.number, message in " ".join(line.errors)) for line in plan.bad_lines][-1] == (5, True)
    with pytest.raises(IssuingError):
        bulk.apply_plan(plan, scene["reviewer"])
    assert _awards() == 0


def test_other_issuers_classes_and_already_held_badges_are_refused(scene):
    foreign = factories.badge_class(factories.organisation())
    factories.award(scene["badge_class"], email="deja@exemple.fr")
    text = HEADER + f"a@exemple.fr,A,{foreign.slug},,\ndeja@exemple.fr,B,{scene['badge_class'].slug},,\n"
    plan = bulk.plan_bulk_award(text, scene["issuer"])
    assert [line.errors for line in plan.lines] == [["badge inconnu : " + foreign.slug], ["cette personne a déjà ce badge"]]


def test_french_spreadsheet_with_semicolons_and_windows_encoding(scene):
    text = f"Courriel;Nom;Badge;Date\nlea@exemple.fr;Léa Roussel;{scene['badge_class'].uuid};14/03/2026\n"
    plan = bulk.plan_bulk_award(bulk.decode(text.encode("cp1252")), scene["issuer"])
    assert plan.ok and plan.lines[0].name == "Léa Roussel" and plan.lines[0].issued_on.day == 14


def test_a_thousand_lines_award_a_thousand_badges_fast(scene, tmp_path):
    from directory.cli import badges_award_csv

    path = tmp_path / "awards.csv"
    path.write_text(_csv(scene["badge_class"].slug, 1000), encoding="utf-8")
    started = time.perf_counter()
    result = _run(badges_award_csv, [str(path), "--issuer", scene["issuer"].slug, "--no-notify"])
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    assert "1000 badges awarded." in result.output
    assert _awards() == 1000
    # Awarding signs nothing (documents are signed when served), so it stays cheap.
    assert scene["issuer"].keys == [] and elapsed < 15


def test_the_command_reports_the_bad_line_and_writes_nothing(scene, tmp_path):
    from directory.cli import badges_award_csv

    path = tmp_path / "awards.csv"
    path.write_text(_csv(scene["badge_class"].slug, 20, "oops,X,nope,,", at=10), encoding="utf-8")
    result = _run(badges_award_csv, [str(path)])
    assert result.exit_code == 1
    assert "line 12: adresse e-mail invalide; badge inconnu : nope" in result.output
    assert "Nothing was awarded." in result.output
    assert _awards() == 0


def test_upload_preview_confirm_on_the_web(client, scene):
    login(client, scene["reviewer"])
    base = f"/emetteur/{scene['issuer'].slug}/attributions/import"
    bad = _csv(scene["badge_class"].slug, 3, "x@exemple.fr,X,inconnu,,", at=1)
    response = client.post(base, data={"file": (io.BytesIO(bad.encode()), "promo.csv")}, content_type="multipart/form-data")
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ligne 3 : badge inconnu : inconnu" in preview and "Confirmer" not in preview
    good = _csv(scene["badge_class"].slug, 3)
    response = client.post(base, data={"file": (io.BytesIO(good.encode()), "promo.csv")}, content_type="multipart/form-data")
    url = response.headers["Location"]
    assert "Confirmer et attribuer 3 badges" in client.get(url).get_data(as_text=True)
    assert _awards() == 0
    followed = client.post(url)
    assert _awards() == 3
    job_page = client.get(followed.headers["Location"]).get_data(as_text=True)
    assert followed.headers["Location"].startswith("/taches/") and "3 badges attribués." in job_page
    assert "Terminé" in job_page and f"/emetteur/{scene['issuer'].slug}/attributions" in job_page
    assert {m.to for m in mail.outbox()[:3]} == {f"personne{i}@exemple.fr" for i in range(3)}
    job = _db.session.scalar(select(BulkAwardJob).where(BulkAwardJob.state == "applied"))
    assert job.award_count == 3 and job.content == ""
    again = client.post(url)  # a second confirmation awards nothing more
    assert _awards() == 3
    if again.status_code == 302 and again.headers["Location"].startswith("/taches/"):
        assert "Ce fichier a déjà été attribué." in client.get(again.headers["Location"]).get_data(as_text=True)


def _run(command, args):
    from flask import current_app

    return current_app.test_cli_runner().invoke(command, args)
