"""Offline JSON-LD context loader."""

import pytest

from directory.openbadges import OpenBadgesError
from directory.openbadges import UnknownContextError
from directory.openbadges import proofs
from directory.openbadges.loader import CONTEXT_URLS
from directory.openbadges.loader import document_loader
from directory.openbadges.loader import load_context


@pytest.mark.parametrize("url", sorted(CONTEXT_URLS))
def test_every_known_context_loads(url):
    assert "@context" in load_context(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://w3id.org/openbadges/v2",
        "https://openbadgespec.org/v2/context.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
        "https://www.w3.org/ns/credentials/v2",
        "https://w3id.org/security/multikey/v1",
    ],
)
def test_required_urls_are_mapped(url):
    assert url in CONTEXT_URLS


def test_document_loader_has_pyld_shape():
    loaded = document_loader("https://www.w3.org/ns/credentials/v2")
    assert loaded["documentUrl"] == "https://www.w3.org/ns/credentials/v2"
    assert loaded["contextUrl"] is None
    assert "VerifiableCredential" in loaded["document"]["@context"]


@pytest.mark.parametrize(
    "url", ["https://evil.example/context.json", "http://w3id.org/openbadges/v2", ""]
)
def test_unknown_context_is_refused(url):
    with pytest.raises(UnknownContextError):
        document_loader(url)


def test_unknown_context_error_is_a_library_error():
    assert issubclass(UnknownContextError, OpenBadgesError)


def test_load_context_returns_a_private_copy():
    load_context("https://w3id.org/openbadges/v2")["@context"]["poisoned"] = "yes"
    assert "poisoned" not in load_context("https://w3id.org/openbadges/v2")["@context"]


def test_canonicalising_with_unknown_context_is_refused():
    with pytest.raises(UnknownContextError):
        proofs.canonicalize({"@context": "https://evil.example/ctx", "name": "x"})
