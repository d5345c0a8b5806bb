"""Baking and extracting Open Badges data in PNG and SVG images."""

import io
import json
import zlib

import pytest
from lxml import etree
from PIL import Image
from PIL import PngImagePlugin

from directory.openbadges.baking import OB2_KEYWORD
from directory.openbadges.baking import OB2_SVG_NS
from directory.openbadges.baking import OB3_KEYWORD
from directory.openbadges.baking import OB3_SVG_NS
from directory.openbadges.baking import BakingError
from directory.openbadges.baking import Chunk
from directory.openbadges.baking import bake_png
from directory.openbadges.baking import bake_svg
from directory.openbadges.baking import extract_any
from directory.openbadges.baking import itxt_chunk
from directory.openbadges.baking import read_chunks
from directory.openbadges.baking import unbake_png
from directory.openbadges.baking import unbake_svg
from directory.openbadges.baking import write_chunks
from directory.openbadges.errors import OpenBadgesError

ASSERTION = json.dumps(
    {
        "id": "https://badgeons.test/assertions/1",
        "type": "Assertion",
        "name": "Équipe ✓",
    },
    ensure_ascii=False,
)
CREDENTIAL = json.dumps(
    {
        "id": "urn:uuid:2f1d7a2e-3c4b-4d5e-8f90-1a2b3c4d5e6f",
        "type": ["VerifiableCredential"],
    }
)
JWS = "eyJhbGciOiJSUzI1NiJ9.eyJpZCI6Imh0dHBzOi8vYmFkZ2VvbnMudGVzdCJ9.c2lnbmF0dXJl"
SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
    b'<circle cx="32" cy="32" r="30" fill="#2a6"/></svg>'
)


def make_png(size=(16, 12), comment="made by a test"):
    """A small RGBA PNG with one unrelated tEXt chunk."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", comment)
    buffer = io.BytesIO()
    Image.new("RGBA", size, (200, 40, 90, 255)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def chunks_of_type(png, chunk_type):
    return [chunk for chunk in read_chunks(png) if chunk.type == chunk_type]


def badge_chunks(png, keyword):
    return [
        c for c in read_chunks(png) if c.data.split(b"\0", 1)[0] == keyword.encode()
    ]


# ------------------------------------------------------------------ PNG


@pytest.mark.parametrize(
    ("keyword", "payload"),
    [(OB2_KEYWORD, ASSERTION), (OB3_KEYWORD, CREDENTIAL), (OB2_KEYWORD, JWS)],
)
def test_png_round_trip(keyword, payload):
    baked = bake_png(make_png(), payload, keyword)

    assert unbake_png(baked) == {keyword: payload}


@pytest.mark.parametrize("keyword", [OB2_KEYWORD, OB3_KEYWORD])
def test_png_chunk_is_uncompressed_itxt_right_after_ihdr(keyword):
    chunks = read_chunks(bake_png(make_png(), ASSERTION, keyword))

    assert [c.type for c in chunks[:2]] == [b"IHDR", b"iTXt"]
    assert chunks[1].data == keyword.encode() + b"\0\0\0\0\0" + ASSERTION.encode(
        "utf-8"
    )


def test_pillow_reads_the_baked_png():
    baked = bake_png(make_png(), ASSERTION, OB2_KEYWORD)

    with Image.open(io.BytesIO(baked)) as image:
        image.load()
        assert image.text[OB2_KEYWORD] == ASSERTION
        assert image.size == (16, 12)


def test_rebake_replaces_the_chunk():
    once = bake_png(make_png(), ASSERTION, OB2_KEYWORD)
    twice = bake_png(once, JWS, OB2_KEYWORD)

    assert len(badge_chunks(twice, OB2_KEYWORD)) == 1
    assert unbake_png(twice) == {OB2_KEYWORD: JWS}


def test_both_generations_can_coexist():
    baked = bake_png(
        bake_png(make_png(), ASSERTION, OB2_KEYWORD), CREDENTIAL, OB3_KEYWORD
    )

    assert unbake_png(baked) == {OB2_KEYWORD: ASSERTION, OB3_KEYWORD: CREDENTIAL}


def test_image_data_and_other_chunks_are_untouched():
    original = make_png()
    baked = bake_png(original, ASSERTION, OB3_KEYWORD)

    assert chunks_of_type(baked, b"IDAT") == chunks_of_type(original, b"IDAT")
    assert [c for c in read_chunks(baked) if c.type != b"iTXt"] == read_chunks(original)


def test_unbaked_png_has_no_badge():
    assert unbake_png(make_png()) == {}


@pytest.mark.parametrize("cut", [7, 20, 40, -1, -12, -13])
def test_truncated_png_is_refused(cut):
    baked = bake_png(make_png(), ASSERTION, OB2_KEYWORD)

    with pytest.raises(BakingError):
        unbake_png(baked[:cut])


def test_bad_crc_is_refused():
    baked = bytearray(bake_png(make_png(), ASSERTION, OB2_KEYWORD))
    baked[60] ^= 0xFF  # inside the iTXt text

    with pytest.raises(BakingError, match="CRC"):
        unbake_png(bytes(baked))


def test_two_badge_chunks_are_refused():
    chunks = read_chunks(make_png())
    doubled = write_chunks(
        [
            chunks[0],
            itxt_chunk(OB2_KEYWORD, ASSERTION),
            itxt_chunk(OB2_KEYWORD, JWS),
            *chunks[1:],
        ]
    )

    with pytest.raises(BakingError, match="more than one"):
        unbake_png(doubled)


def test_duplicate_across_chunk_types_is_refused():
    chunks = read_chunks(make_png())
    ztxt = Chunk(b"zTXt", OB2_KEYWORD.encode() + b"\0\0" + zlib.compress(JWS.encode()))
    doubled = write_chunks(
        [chunks[0], itxt_chunk(OB2_KEYWORD, ASSERTION), ztxt, *chunks[1:]]
    )

    with pytest.raises(BakingError):
        unbake_png(doubled)


def test_compressed_itxt_is_read_leniently():
    info = PngImagePlugin.PngInfo()
    info.add_itxt(OB3_KEYWORD, CREDENTIAL, lang="", tkey="", zip=True)
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, "PNG", pnginfo=info)

    assert unbake_png(buffer.getvalue()) == {OB3_KEYWORD: CREDENTIAL}


def test_compressed_chunk_bomb_is_refused():
    chunks = read_chunks(make_png())
    bomb = Chunk(
        b"zTXt", OB2_KEYWORD.encode() + b"\0\0" + zlib.compress(b"x" * 20_000_000)
    )

    with pytest.raises(BakingError, match="too large"):
        unbake_png(write_chunks([chunks[0], bomb, *chunks[1:]]))


@pytest.mark.parametrize("data", [b"", b"GIF89a....", SVG, b"\x89PNG\r\n\x1a\n"])
def test_non_png_is_refused(data):
    with pytest.raises(BakingError):
        unbake_png(data)


def test_unknown_keyword_is_refused():
    with pytest.raises(BakingError):
        bake_png(make_png(), ASSERTION, "openbadge")


def test_baking_error_is_an_open_badges_error():
    assert issubclass(BakingError, OpenBadgesError)


# ------------------------------------------------------------------ SVG


def badge_elements(svg, namespace, name):
    return list(etree.fromstring(svg).iter(f"{{{namespace}}}{name}"))


def test_svg_ob2_hosted():
    baked = bake_svg(SVG, ASSERTION, "2.0")
    root = etree.fromstring(baked)

    assert root[0].tag == f"{{{OB2_SVG_NS}}}assertion"
    assert root[0].get("verify") == "https://badgeons.test/assertions/1"
    assert root.nsmap["openbadges"] == OB2_SVG_NS
    assert b"<![CDATA[" in baked
    assert unbake_svg(baked) == {OB2_KEYWORD: ASSERTION}


def test_svg_ob2_explicit_verify_url():
    baked = bake_svg(SVG, ASSERTION, "2.0", verify_url="https://badgeons.test/a/other")

    assert etree.fromstring(baked)[0].get("verify") == "https://badgeons.test/a/other"


def test_svg_ob2_signed_puts_the_jws_in_verify():
    baked = bake_svg(SVG, JWS, "2.0")
    element = etree.fromstring(baked)[0]

    assert element.get("verify") == JWS
    assert element.text is None
    assert unbake_svg(baked) == {OB2_KEYWORD: JWS}


def test_svg_ob2_hosted_without_url_is_refused():
    with pytest.raises(BakingError, match="verify"):
        bake_svg(SVG, json.dumps({"type": "Assertion"}), "2.0")


def test_svg_ob3_json():
    baked = bake_svg(SVG, CREDENTIAL, "3.0")
    element = etree.fromstring(baked)[0]

    assert element.tag == f"{{{OB3_SVG_NS}}}credential"
    assert element.get("verify") is None
    assert unbake_svg(baked) == {OB3_KEYWORD: CREDENTIAL}


def test_svg_ob3_jwt():
    baked = bake_svg(SVG, JWS, "3.0")

    assert etree.fromstring(baked)[0].get("verify") == JWS
    assert unbake_svg(baked) == {OB3_KEYWORD: JWS}


@pytest.mark.parametrize(
    ("version", "namespace", "name"),
    [("2.0", OB2_SVG_NS, "assertion"), ("3.0", OB3_SVG_NS, "credential")],
)
def test_svg_rebake_replaces(version, namespace, name):
    twice = bake_svg(bake_svg(SVG, JWS, version), JWS[::-1], version)

    assert len(badge_elements(twice, namespace, name)) == 1
    assert etree.fromstring(twice)[0].get("verify") == JWS[::-1]


def test_svg_both_generations_survive_each_other():
    baked = bake_svg(bake_svg(SVG, ASSERTION, "2.0"), CREDENTIAL, "3.0")

    assert unbake_svg(baked) == {OB2_KEYWORD: ASSERTION, OB3_KEYWORD: CREDENTIAL}


def test_svg_cdata_terminator_in_json_is_escaped():
    payload = json.dumps({"id": "https://badgeons.test/a/2", "name": "a]]>b"})

    extracted = unbake_svg(bake_svg(SVG, payload, "2.0"))[OB2_KEYWORD]

    assert json.loads(extracted) == json.loads(payload)


def test_svg_with_two_badge_elements_is_refused():
    element = f'<openbadges:assertion xmlns:openbadges="{OB2_SVG_NS}" verify="{JWS}"/>'
    doubled = SVG.replace(b"<circle", (element * 2).encode() + b"<circle")

    with pytest.raises(BakingError, match="more than one"):
        unbake_svg(doubled)


@pytest.mark.parametrize(
    "svg",
    [
        b'<!DOCTYPE svg [<!ENTITY x "boom">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
        b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
        b"<svg><unclosed></svg>",
        b"<html/>",
    ],
)
def test_unsafe_or_invalid_svg_is_refused(svg):
    with pytest.raises(BakingError):
        bake_svg(svg, JWS, "3.0")


def test_svg_unknown_version_is_refused():
    with pytest.raises(BakingError):
        bake_svg(SVG, JWS, "1.1")


# ------------------------------------------------------------------ any


def test_extract_any_png_and_svg():
    assert extract_any(bake_png(make_png(), ASSERTION, OB2_KEYWORD)) == (
        "png",
        ASSERTION,
    )
    assert extract_any(bake_svg(SVG, JWS, "3.0")) == ("svg", JWS)


def test_extract_any_prefers_the_ob3_credential():
    baked = bake_png(
        bake_png(make_png(), ASSERTION, OB2_KEYWORD), CREDENTIAL, OB3_KEYWORD
    )

    assert extract_any(baked) == ("png", CREDENTIAL)


@pytest.mark.parametrize("data", [make_png(), SVG, b"\xff\xd8\xff\xe0JFIF", b""])
def test_extract_any_without_badge_is_refused(data):
    with pytest.raises(BakingError):
        extract_any(data)
