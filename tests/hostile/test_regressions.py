"""Bugs the property tests (test_properties.py) found, kept as regression tests once fixed."""

import pytest

from directory.core.fetch import FetchError
from directory.core.fetch import FetchPolicy
from directory.core.fetch import parse_target
from directory.core.images import ImageError
from directory.core.images import validate_image
from directory.openbadges.verify import verify_badge

# A valid signature and IHDR (4×4 RGB, right CRC), then IEND: no image data at all.
PNG_WITHOUT_IDAT = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x04\x00\x00\x00\x04\x08\x02\x00\x00\x00&\x93\t)"
    b"\x00\x00\x00\x00IEND"
)


def test_png_without_image_data_is_refused_cleanly():
    with pytest.raises(ImageError):
        validate_image(PNG_WITHOUT_IDAT)


@pytest.mark.parametrize("url", ["https:// 0/", "https://exa mple.org/"])
def test_a_host_with_spaces_is_a_bad_url(url):
    with pytest.raises(FetchError) as caught:
        parse_target(url, FetchPolicy())
    assert caught.value.code == "bad_url"


@pytest.mark.parametrize("url", ["https://[", "https://[::1", "https://]x/"])
def test_unbalanced_brackets_are_a_bad_url(url):
    with pytest.raises(FetchError) as caught:
        parse_target(url, FetchPolicy())
    assert caught.value.code == "bad_url"


def test_verifying_a_malformed_url_is_unusable_not_a_crash():
    """Found by the properties; fixed in verify_common (split_http_url): kept as a regression test."""
    verdict = verify_badge("https://[", fetch=lambda url: ("application/json", b"{}"))

    assert verdict.result == "unusable"
