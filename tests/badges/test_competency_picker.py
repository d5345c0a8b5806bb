"""Competencies: search over French/English labels and synonyms, the JSON endpoint, framework imports."""

import pytest
from sqlalchemy import select

from directory.badges.competencies import import_framework
from directory.badges.competencies import search_competencies
from directory.badges.documents_ob2 import alignments
from directory.badges.models import Competency
from directory.badges.services import IssuingError
from directory.extensions import db as _db
from tests.badges import ob_factories as factories
from tests.badges.issuing_helpers import draft
from tests.badges.issuing_helpers import login
from tests.badges.issuing_helpers import member
from tests.badges.issuing_helpers import team

ROME = """code;label_fr;label_en;synonyms_fr;description_fr;parent
M16;Secrétariat et assistance;Secretarial work;;Famille de métiers;
M1607;Secrétariat;Secretary;assistanat|secrétaire;Assure la gestion administrative;M16
"""


@pytest.fixture
def skills(db):
    return {
        "budget": factories.competency(label_fr="gérer un budget", label_en="manage budgets",
                                       synonyms_fr="administrer un budget\nsuivre un budget"),
        "pitch": factories.competency(label_fr="présenter un projet", label_en="pitch a project",
                                      synonyms_en="give a sales pitch"),
        "budget_plan": factories.competency(label_fr="établir un budget prévisionnel", label_en="draft a budget"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("gerer budget", ["budget"]),  # accents folded
        ("GÉRER", ["budget"]),
        ("budget", ["budget", "budget_plan"]),  # label prefix first
        ("sales pitch", ["pitch"]),  # English synonym
        ("administrer", ["budget"]),  # French synonym
        ("manage", ["budget"]),
        ("%", []),
        ("z", []),
    ],
)
def test_search(skills, query, expected):
    ids = {competency.id: name for name, competency in skills.items()}
    assert [ids[c.id] for c in search_competencies(query)] == expected


def test_json_endpoint_is_for_staff(client, skills):
    people = team()
    outsider = member(factories.organisation(kind="insurer"), "member")
    _db.session.commit()
    assert client.get("/emetteur/competences?q=budget", headers={"Accept": "application/json"}).status_code == 401
    login(client, outsider)
    assert client.get("/emetteur/competences?q=budget", headers={"Accept": "application/json"}).status_code == 403
    login(client, people["editor"])
    body = client.get("/emetteur/competences?q=budget&lang=en").get_json()
    assert body["results"][0] == {
        "id": skills["budget"].id, "label": "manage budgets", "framework": "ESCO",
        "code": skills["budget"].code, "uri": skills["budget"].uri,
    }


def test_framework_import_becomes_alignments(db):
    summary = import_framework(ROME, "ROME")
    assert summary == "ROME: 2 competencies, 2 created, 0 updated."
    secretary = db.session.scalar(select(Competency).where(Competency.code == "M1607"))
    assert secretary.uri == "urn:badgeons:rome:M1607" and secretary.synonyms_fr == "assistanat\nsecrétaire"
    assert secretary.parent.code == "M16"
    assert search_competencies("secretaire", framework="ROME") == [secretary]
    people = team()
    badge_class = draft(people["issuer"], people["editor"])
    badge_class.competencies = [secretary]
    assert alignments(badge_class)[0] == {
        "targetName": "Secrétariat", "targetUrl": "urn:badgeons:rome:M1607", "targetFramework": "ROME",
        "targetCode": "M1607", "targetDescription": "Assure la gestion administrative",
    }
    assert import_framework(ROME.replace("Secrétariat;", "Secrétariat de direction;"), "ROME").endswith("0 created, 2 updated.")


@pytest.mark.parametrize(
    ("text", "framework"),
    [
        ("code,label_fr\nA1,Un\nA2,\n", "MON-REFERENTIEL"),  # line 3 has no label
        ("code,label_fr,uri\nA1,Un,ftp://x\n", "MON-REFERENTIEL"),
        ("label_en\nOne\n", "MON-REFERENTIEL"),
        ("code,label_fr\nA1,Un\n", "ESCO"),  # ESCO comes from its own import
    ],
)
def test_a_bad_framework_file_writes_nothing(db, text, framework):
    with pytest.raises(IssuingError) as raised:
        import_framework(text, framework)
    assert raised.value.details["errors"]
    assert db.session.scalar(select(Competency).where(Competency.code == "A1")) is None


def test_import_command(app, db, tmp_path):
    from directory.cli import import_framework_command

    path = tmp_path / "rome.csv"
    path.write_text(ROME, encoding="utf-8")
    result = app.test_cli_runner().invoke(import_framework_command, [str(path), "--framework", "ROME"])
    assert result.exit_code == 0 and "2 created" in result.output
    path.write_text("code,label_fr\nA1,\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(import_framework_command, [str(path), "--framework", "ROME"])
    assert result.exit_code == 1 and "line 2" in result.output
