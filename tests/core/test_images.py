"""Uploaded image validation, SVG sanitising and the placeholder badge."""

import io
import struct
import zlib

import pytest
from lxml import etree
from PIL import Image

from directory.core.images import ImageError
from directory.core.images import ImageInfo
from directory.core.images import badge_initials
from directory.core.images import placeholder_badge_svg
from directory.core.images import sanitise_svg
from directory.core.images import validate_image

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"


def make_image(fmt="PNG", size=(40, 30), mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, "teal").save(buffer, fmt)
    return buffer.getvalue()


def png_chunk(chunk_type, data):
    return (
        struct.pack(">I", len(data))
        + chunk_type
        + data
        + struct.pack(">I", zlib.crc32(chunk_type + data))
    )


def bomb_png(side=20_000):
    """A 1-bit side×side all-black PNG of a few tens of KB, written by hand."""
    # Pillow would need side² bytes of memory to create it, so stream zlib instead.
    row = b"\0" * (1 + side // 8)  # filter byte + packed pixels
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def svg(body, root_attrs=""):
    return (
        f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}" width="100" height="80" {root_attrs}>{body}</svg>'
    ).encode()


def sanitised_tree(data):
    return etree.fromstring(sanitise_svg(data))


# ------------------------------------------------------------------ PNG


def test_valid_png():
    data = make_image()

    info = validate_image(data)

    assert info == ImageInfo("image/png", 40, 30, data)
    assert info.data == data


@pytest.mark.parametrize("fmt", ["JPEG", "GIF", "BMP", "WEBP"])
def test_other_formats_are_refused(fmt):
    # A JPEG renamed photo.png is still a JPEG: the bytes decide, not the name.
    with pytest.raises(ImageError) as caught:
        validate_image(make_image(fmt))

    assert caught.value.code == "unsupported_format"
    assert caught.value.message_en == "Only PNG and SVG images are accepted."
    assert caught.value.message_fr == "Seules les images PNG et SVG sont acceptées."
    assert caught.value.message("fr_FR") == caught.value.message_fr


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + b"garbage" * 10,
        make_image()[:-30],  # truncated inside IDAT
        make_image()[:40],
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 0, 5, 8, 2, 0, 0, 0)),
    ],
)
def test_broken_png_is_refused(data):
    with pytest.raises(ImageError) as caught:
        validate_image(data)

    assert caught.value.code == "corrupt"


def test_png_with_a_jpeg_inside_is_refused():
    ihdr = make_image()[:33]

    with pytest.raises(ImageError):
        validate_image(ihdr + make_image("JPEG"))


def test_decompression_bomb_is_refused_by_our_limits():
    bomb = bomb_png()
    assert len(bomb) < 200_000

    with pytest.raises(ImageError) as caught:
        validate_image(bomb)

    assert caught.value.code == "too_many_pixels"
    assert (
        caught.value.message_fr
        == "Les dimensions de l'image (20000 × 20000 pixels) sont trop grandes."
    )


def test_decompression_bomb_is_refused_by_pillow_when_our_limits_are_off():
    # With our limits lifted, Image.MAX_IMAGE_PIXELS still stops it: as ImageError, not MemoryError.
    with pytest.raises(ImageError) as caught:
        validate_image(bomb_png(), max_pixels=10**12, max_side=10**6)

    assert caught.value.code == "too_many_pixels"


@pytest.mark.parametrize(
    ("limits", "code"),
    [
        ({"max_bytes": 50}, "too_large"),
        ({"max_side": 35}, "too_many_pixels"),
        ({"max_pixels": 1000}, "too_many_pixels"),
    ],
)
def test_png_limits(limits, code):
    with pytest.raises(ImageError) as caught:
        validate_image(make_image(), **limits)

    assert caught.value.code == code


def test_size_message_is_readable_in_both_languages():
    with pytest.raises(ImageError) as caught:
        validate_image(b"x" * 2_000_001)

    assert caught.value.message_en == "The image is too large (maximum 2 MB)."
    assert caught.value.message_fr == "L'image est trop lourde (maximum 2 MB)."


def test_empty_file_is_refused():
    with pytest.raises(ImageError, match="empty"):
        validate_image(b"")


# ------------------------------------------------------------------ SVG


def test_clean_svg_is_accepted_with_its_size():
    data = svg(
        '<defs><linearGradient id="g"/></defs><circle r="5" fill="url(#g)"/><use href="#g"/>'
    )

    info = validate_image(data)

    assert (info.mime, info.width, info.height) == ("image/svg+xml", 100, 80)
    tree = etree.fromstring(info.data)
    assert tree.find(f"{{{SVG_NS}}}circle").get("fill") == "url(#g)"
    assert tree.find(f"{{{SVG_NS}}}use").get("href") == "#g"


def test_svg_size_from_viewbox():
    data = f'<svg xmlns="{SVG_NS}" viewBox="0 0 256 128" width="100%"/>'.encode()

    assert validate_image(data).width == 256


@pytest.mark.parametrize(
    ("body", "gone"),
    [
        ("<script>alert(1)</script>", "script"),
        (
            '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>',
            "foreignObject",
        ),
        ("<style>@import url(https://evil.test/x.css);</style>", "style"),
        ("<style>circle { fill: url(https://evil.test/p.svg#p) }</style>", "style"),
        ("<style>circle { background: u\\72l(https://evil.test/) }</style>", "style"),
        (
            '<a href="#x"><animate attributeName="href" to="javascript:alert(1)"/></a>',
            "animate",
        ),
        ('<set attributeName="onclick" to="alert(1)"/>', "set"),
    ],
)
def test_dangerous_elements_are_removed(body, gone):
    tree = sanitised_tree(svg(body))

    assert list(tree.iter(f"{{{SVG_NS}}}{gone}")) == []
    assert b"alert" not in sanitise_svg(svg(body))


@pytest.mark.parametrize(
    ("element", "attribute"),
    [
        ('<circle r="5" onclick="alert(1)"/>', "onclick"),
        ('<circle r="5" ONMOUSEOVER="alert(1)"/>', "ONMOUSEOVER"),
        ('<use xlink:href="https://evil.test/sprite.svg#a"/>', f"{{{XLINK_NS}}}href"),
        ('<a href="javascript:alert(1)"><circle r="1"/></a>', "href"),
        ('<image href="data:image/svg+xml;base64,PHN2Zz4="/>', "href"),
        ('<image href="//evil.test/pixel.png"/>', "href"),
        ('<rect fill="url(https://evil.test/p.svg#g)"/>', "fill"),
        ('<rect style="fill: url(http://evil.test/x)"/>', "style"),
        (
            '<g xml:base="https://evil.test/"><use href="#a"/></g>',
            "{http://www.w3.org/XML/1998/namespace}base",
        ),
    ],
)
def test_dangerous_attributes_are_removed(element, attribute):
    tree = sanitised_tree(svg(element))

    assert all(attribute not in node.attrib for node in tree.iter())


def test_onload_on_the_root_and_stylesheet_pi_are_removed():
    data = b'<?xml-stylesheet href="https://evil.test/a.css"?>' + svg(
        "", root_attrs='onload="alert(1)"'
    )

    cleaned = sanitise_svg(data)

    assert b"onload" not in cleaned
    assert b"xml-stylesheet" not in cleaned


def test_safe_references_are_kept():
    png = "data:image/png;base64,iVBORw0KGgo="
    tree = sanitised_tree(
        svg(f'<image href="{png}"/><a xlink:href="#top"><circle r="1"/></a>')
    )

    assert tree.find(f"{{{SVG_NS}}}image").get("href") == png
    assert tree.find(f"{{{SVG_NS}}}a").get(f"{{{XLINK_NS}}}href") == "#top"


def test_baked_badge_element_survives_sanitising():
    baked = svg(
        '<openbadges:assertion xmlns:openbadges="http://openbadges.org" verify="https://b.test/a/1"/>'
    )

    assert b"openbadges:assertion" in sanitise_svg(baked)


@pytest.mark.parametrize(
    "data",
    [
        b'<!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg">&b;</svg>',
        b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
        b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'
        b'<svg xmlns="http://www.w3.org/2000/svg"/>',
    ],
)
def test_doctype_and_entities_are_refused(data):
    with pytest.raises(ImageError) as caught:
        validate_image(data)

    assert caught.value.code == "svg_doctype"
    assert "entités" in caught.value.message_fr


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"<svg><g></svg>", "svg_invalid"),
        (b'<html xmlns="http://www.w3.org/1999/xhtml"/>', "svg_not_svg"),
        (b"<svg/>", "svg_not_svg"),  # no SVG namespace: browsers would not render it
    ],
)
def test_invalid_svg_is_refused(data, code):
    with pytest.raises(ImageError) as caught:
        validate_image(data)

    assert caught.value.code == code


# ------------------------------------------------------------------ placeholder


def test_placeholder_is_a_valid_clean_svg():
    data = placeholder_badge_svg("Prise de parole en public", "org-42")

    info = validate_image(data)

    assert (info.mime, info.width, info.height) == ("image/svg+xml", 256, 256)
    assert etree.fromstring(data).findtext(f"{{{SVG_NS}}}text") == "PP"
    assert sanitise_svg(data) == info.data


def test_placeholder_colour_follows_the_seed():
    assert placeholder_badge_svg("A", "seed-1") == placeholder_badge_svg("A", "seed-1")
    assert placeholder_badge_svg("A", "seed-1") != placeholder_badge_svg("A", "seed-2")


def test_placeholder_escapes_the_title():
    data = placeholder_badge_svg('<script>"&\x00', "s")

    assert etree.fromstring(data).findtext(f"{{{SVG_NS}}}title") == '<script>"&'


@pytest.mark.parametrize(
    ("title", "initials"),
    [
        ("Maîtrise de la comptabilité", "MC"),
        ("leadership", "L"),
        ("Écoute active", "ÉA"),
        ("The art of pitching", "AP"),
        ("de la", "DL"),
        ("", "★"),
        ("!!!", "★"),
    ],
)
def test_badge_initials(title, initials):
    assert badge_initials(title) == initials
