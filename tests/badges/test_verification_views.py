"""The "Vérifier un badge" page, POST /api/v1/verify and `flask badges verify`."""

import io
import json
import re
from pathlib import Path

import pytest

from directory.badges import verify_views
from tests.fixtures.foreign_issuer import EMAIL
from tests.fixtures.foreign_issuer import running

DCC_SIGNED = Path(__file__).resolve().parents[1] / "fixtures" / "dcc_signed_credential.json"


@pytest.fixture(scope="session")
def foreign_issuer():
    """The other platform (tests/fixtures/foreign_issuer.py), served for the session."""
    with running() as platform:
        yield platform


@pytest.fixture
def loopback(app, monkeypatch):
    """Let the app fetch from the foreign platform on 127.0.0.1 over plain HTTP."""
    monkeypatch.setitem(app.config, "FETCH_ALLOW_PRIVATE", True)
    monkeypatch.setitem(app.config, "FETCH_ALLOW_HTTP", True)


# Uploads over 500 KB make the test client spool to a temporary file it never closes
# (a ResourceWarning, an error here), so the size limit is tested on a smaller limit.
SMALL_LIMIT = 1024


@pytest.fixture
def small_upload_limit(monkeypatch):
    """Lower the upload limit so the oversized-file tests stay in memory."""
    monkeypatch.setattr(verify_views, "MAX_UPLOAD_BYTES", SMALL_LIMIT)


def text_of(response) -> str:
    """The page's text with tags removed and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).replace(
        "&#39;", "'"
    )


def upload(data: bytes, name: str = "badge.png") -> dict:
    return {"file": (io.BytesIO(data), name)}


# ------------------------------------------------------------------ page


def test_page_offers_three_ways_and_an_optional_email(client):
    response = client.get("/verify")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Vérifier un badge</h1>" in html
    assert 'enctype="multipart/form-data"' in html
    for name in ("file", "url", "credential", "recipient"):
        assert f'name="{name}"' in html
    assert 'for="recipient"' in html


def test_page_shows_a_valid_badge_check_by_check(client, loopback, foreign_issuer):
    data = {**upload(foreign_issuer.badges["png_ob3"]), "recipient": EMAIL}
    response = client.post("/verify", data=data, content_type="multipart/form-data")
    html, text = response.get_data(as_text=True), text_of(response)
    assert response.status_code == 200
    assert 'role="status"' in html
    assert "Ce badge est authentique et valide" in text
    assert "Signature (Réussi)" in text
    assert "La signature correspond à la clé publiée par l'émetteur" in text
    assert "Titulaire (Réussi) Ce badge a bien été attribué à cette adresse e-mail." in text
    assert "Gestion de trésorerie" in text and "Réseau Autre Plateforme" in text
    assert 'src="data:image/png;base64,' in html  # the uploaded image is shown back


def test_page_explains_a_revoked_badge(client, loopback, foreign_issuer):
    response = client.post("/verify", data={"url": foreign_issuer.url("/ob2/assertions/revoked")})
    text = text_of(response)
    assert response.status_code == 200
    assert "Ce badge n'est pas valide" in text
    assert (
        "Révocation (Échec) Ce badge a été révoqué par son émetteur : Attribué par erreur" in text
    )


def test_page_explains_a_tampered_credential(client, loopback, foreign_issuer):
    tampered = json.loads(DCC_SIGNED.read_text())
    tampered["name"] = "Badge modifié"
    response = client.post("/verify", data={"credential": json.dumps(tampered)})
    assert "Signature (Échec) La signature ne correspond pas" in text_of(response)


def test_page_explains_input_that_is_not_a_badge(client, foreign_issuer):
    response = client.post(
        "/verify",
        data=upload(foreign_issuer.badges["png_truncated"]),
        content_type="multipart/form-data",
    )
    text = text_of(response)
    assert response.status_code == 200
    assert "Aucun badge n'a pu être lu" in text
    assert "L'image PNG est incomplète : le fichier a été tronqué." in text


def test_page_speaks_english_on_request(client, loopback, foreign_issuer):
    response = client.post(
        "/verify?lang=en", data={"url": foreign_issuer.url("/ob2/assertions/valid")}
    )
    text = text_of(response)
    assert "This badge is authentic and valid" in text
    assert "The signature" not in text  # hosted badge: no signature step
    assert "The badge is published by its issuer on its website" in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choisissez une image, indiquez une adresse web ou collez le contenu du badge."),
        (
            {"url": "   "},
            "Choisissez une image, indiquez une adresse web ou collez le contenu du badge.",
        ),
        ({"url": "https://a.example/1", "credential": "{}"}, "Vérifiez un seul badge à la fois"),
        ({**upload(b""), "url": ""}, "Le fichier est vide."),
        (upload(b"x" * (SMALL_LIMIT + 1)), "Le fichier dépasse la taille maximale de 5 Mo."),
        (
            {"url": "https://a.example/1", "recipient": "pas-une-adresse"},
            "Cette adresse e-mail n'est pas valide.",
        ),
    ],
)
def test_page_refuses_bad_submissions_in_french(client, small_upload_limit, data, message):
    response = client.post("/verify", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert 'role="alert"' in response.get_data(as_text=True)
    assert message in text_of(response)


def test_page_needs_a_csrf_token_but_the_api_does_not(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post("/verify", data={"url": "https://a.example/1"}).status_code == 400
    response = client.post("/api/v1/verify", json={"credential": DCC_SIGNED.read_text()})
    assert response.status_code == 200


# ------------------------------------------------------------------ API


def test_api_verifies_an_uploaded_file(client, loopback, foreign_issuer):
    data = {**upload(foreign_issuer.badges["png_ob2_signed"]), "recipient": EMAIL}
    response = client.post("/api/v1/verify", data=data, content_type="multipart/form-data")
    body = response.get_json()
    assert response.status_code == 200
    assert (body["result"], body["valid"], body["version"], body["format"]) == (
        "valid",
        True,
        "2.0",
        "png",
    )
    assert {c["id"]: c["outcome"] for c in body["checks"]}["recipient"] == "pass"
    assert body["badge"]["name"] == "Gestion de trésorerie"


@pytest.mark.parametrize(
    ("payload", "result", "failing"),
    [
        ({"url": "/ob2/assertions/valid"}, "valid", []),
        ({"url": "/ob2/assertions/gone"}, "invalid", ["revocation"]),
        ({"credential": "ob3_didkey_valid"}, "valid", []),
        ({"credential": "ob3_jwt_valid"}, "valid", []),
        ({"credential": "ob3_didkey_revoked"}, "invalid", ["revocation"]),
        ({"credential": "ob3_jwt_wrong_key"}, "invalid", ["signature"]),
        (
            {"credential": "ob3_didkey_valid", "recipient": "autre@example.fr"},
            "invalid",
            ["recipient"],
        ),
    ],
)
def test_api_answers_200_with_the_verdict(
    client, loopback, foreign_issuer, payload, result, failing
):
    body = {k: _resolve(foreign_issuer, k, v) for k, v in payload.items()}
    response = client.post("/api/v1/verify", json=body)
    data = response.get_json()
    assert response.status_code == 200
    assert data["result"] == result
    assert [c["id"] for c in data["checks"] if c["outcome"] == "fail"] == failing


def _resolve(platform, key, value):
    """Turn fixture names into the real URL or credential (dicts stay JSON objects)."""
    if key == "url":
        return platform.url(value)
    if key == "credential":
        return platform.badges[value]
    return value


@pytest.mark.parametrize("name", ["png_truncated", "png_two_badges", "svg_script", "png_plain"])
def test_api_answers_400_for_input_that_is_not_a_badge(client, foreign_issuer, name):
    filename = "badge.svg" if name.startswith("svg") else "badge.png"
    response = client.post(
        "/api/v1/verify",
        data=upload(foreign_issuer.badges[name], filename),
        content_type="multipart/form-data",
    )
    body = response.get_json()
    assert response.status_code == 400
    assert body["result"] == "unusable"
    assert body["error"]["code"] == "unusable_input"
    assert body["checks"][0]["id"] == "input" and body["checks"][0]["outcome"] == "fail"


def test_api_refuses_a_private_address_with_the_default_policy(
    client, app, monkeypatch, foreign_issuer
):
    monkeypatch.setitem(
        app.config, "FETCH_ALLOW_HTTP", True
    )  # only so the address check is reached
    monkeypatch.setitem(app.config, "FETCH_ALLOW_PRIVATE", False)
    response = client.post(
        "/api/v1/verify", json={"url": foreign_issuer.url("/ob2/assertions/valid")}
    )
    body = response.get_json()
    assert response.status_code == 400
    assert body["checks"][0]["id"] == "input"
    assert "réseau privé" in body["error"]["message"]


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"json": {}}, 400),
        ({"json": {"url": 42}}, 400),
        ({"json": {"credential": ["a"]}}, 400),
        ({"json": {"url": "https://a.example/1", "recipient": {"email": "x"}}}, 400),
        ({"json": [1, 2]}, 400),
        ({"data": "not json", "content_type": "text/plain"}, 400),
        (
            {
                "data": {"file": (io.BytesIO(b""), "empty.png")},
                "content_type": "multipart/form-data",
            },
            400,
        ),
        (
            {
                "data": {"file": (io.BytesIO(b"x" * (SMALL_LIMIT + 1)), "big.png")},
                "content_type": "multipart/form-data",
            },
            413,
        ),
    ],
)
def test_api_bad_requests_get_json_errors(client, small_upload_limit, kwargs, status):
    response = client.post("/api/v1/verify", **kwargs)
    assert response.status_code == status
    assert response.is_json
    assert response.get_json()["error"]["message"]


def test_api_never_answers_500_on_garbage(client):
    for value in ("", "bonjour", "{", "a.b.c", "[" * 50_000, "\x00"):
        response = client.post("/api/v1/verify", json={"credential": value or " "})
        assert response.status_code in (200, 400), value


# ------------------------------------------------------------------ CLI


def test_cli_prints_the_verdict_and_exits_0_when_valid(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["badges", "verify", str(DCC_SIGNED)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["result"] == "valid"


def test_cli_checks_the_recipient(app, foreign_issuer, loopback, tmp_path):
    path = tmp_path / "badge.png"
    path.write_bytes(foreign_issuer.badges["png_ob3"])
    runner = app.test_cli_runner()
    assert runner.invoke(args=["badges", "verify", str(path), "--recipient", EMAIL]).exit_code == 0
    wrong = runner.invoke(args=["badges", "verify", str(path), "--recipient", "autre@example.fr"])
    assert wrong.exit_code == 1
    assert [c["id"] for c in json.loads(wrong.output)["checks"] if c["outcome"] == "fail"] == [
        "recipient"
    ]


def test_cli_verifies_a_url(app, foreign_issuer, loopback):
    result = app.test_cli_runner().invoke(
        args=["badges", "verify", foreign_issuer.url("/ob2/assertions/gone")]
    )
    assert result.exit_code == 1
    assert json.loads(result.output)["result"] == "invalid"


@pytest.mark.parametrize("content", [None, b"ceci n'est pas un badge", b"\x89PNG\r\n\x1a\n"])
def test_cli_exits_2_for_unusable_input(app, tmp_path, content):
    path = tmp_path / "input.bin"
    if content is not None:
        path.write_bytes(content)
    result = app.test_cli_runner().invoke(args=["badges", "verify", str(path)])
    assert result.exit_code == 2
    verdict = json.loads(result.output)
    assert verdict["result"] == "unusable"
    assert verdict["checks"][0]["id"] == "input"
