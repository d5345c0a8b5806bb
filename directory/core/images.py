"""Check uploaded badge images (PNG or SVG only) and make SVGs safe to serve.

No Flask here: views call ``validate_image`` and show ``ImageError.message_fr``
or ``message_en``. PNGs are decoded fully with Pillow inside size limits; SVGs
are parsed with a hardened lxml parser and stripped of anything that could run
script or fetch a remote resource when the image is displayed.
"""

from __future__ import annotations

import colorsys
import hashlib
import re
import struct
import zlib
from dataclasses import dataclass
from dataclasses import field
from io import BytesIO
from xml.sax.saxutils import escape

from lxml import etree
from PIL import Image
from PIL import UnidentifiedImageError

PNG_MIME = "image/png"
SVG_MIME = "image/svg+xml"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DEFAULT_MAX_BYTES = 2_000_000
DEFAULT_MAX_PIXELS = 4096 * 4096
DEFAULT_MAX_SIDE = 4096

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
# Elements in other namespaces (XHTML, editor metadata, RDF) are dropped;
# the Open Badges ones are kept so a baked SVG survives sanitising.
ALLOWED_ELEMENT_NS = {
    SVG_NS,
    "http://openbadges.org",
    "https://purl.imsglobal.org/ob/v3p0",
}
ALLOWED_ATTRIBUTE_NS = {None, XLINK_NS, XML_NS}
FORBIDDEN_ELEMENTS = {
    "script",
    "foreignobject",
    "iframe",
    "embed",
    "object",
    "handler",
    "listener",
}
ANIMATION_ELEMENTS = {
    "set",
    "animate",
    "animatemotion",
    "animatetransform",
    "animatecolor",
}
SAFE_HREF_PREFIXES = ("#", "data:image/png;base64,", "data:image/jpeg;base64,")
CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)
CSS_FORBIDDEN = ("@import", "expression(", "javascript:", "image-set(", "\\")

MESSAGES = {
    "empty": ("The file is empty.", "Le fichier est vide."),
    "too_large": (
        "The image is too large (maximum {limit}).",
        "L'image est trop lourde (maximum {limit}).",
    ),
    "unsupported_format": (
        "Only PNG and SVG images are accepted.",
        "Seules les images PNG et SVG sont acceptées.",
    ),
    "too_many_pixels": (
        "The image dimensions ({width} × {height} pixels) are too large.",
        "Les dimensions de l'image ({width} × {height} pixels) sont trop grandes.",
    ),
    "corrupt": (
        "The image is damaged or is not really a PNG.",
        "L'image est endommagée ou n'est pas vraiment un PNG.",
    ),
    "svg_invalid": (
        "The SVG file is not valid XML.",
        "Le fichier SVG n'est pas un XML valide.",
    ),
    "svg_doctype": (
        "SVG files with a DOCTYPE or entities are not accepted.",
        "Les fichiers SVG contenant un DOCTYPE ou des entités ne sont pas acceptés.",
    ),
    "svg_not_svg": (
        "The file is not an SVG image.",
        "Le fichier n'est pas une image SVG.",
    ),
}


class ImageError(Exception):
    """An uploaded image was refused; carries an English and a French message."""

    def __init__(self, code: str, **params: object) -> None:
        english, french = MESSAGES[code]
        self.code = code
        self.message_en = english.format(**params)
        self.message_fr = french.format(**params)
        super().__init__(self.message_en)

    def message(self, language: str) -> str:
        """The message in ``language`` ("fr" or anything else for English)."""
        return self.message_fr if language.startswith("fr") else self.message_en


@dataclass(frozen=True)
class ImageInfo:
    """A validated image: its MIME type, pixel size and the bytes safe to store."""

    mime: str
    width: int
    height: int
    # For SVG these are the sanitised bytes, which are what must be stored.
    data: bytes = field(default=b"", repr=False)


def validate_image(
    data: bytes,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_side: int = DEFAULT_MAX_SIDE,
) -> ImageInfo:
    """Accept a PNG or SVG within limits, or raise ImageError."""
    if not data:
        raise ImageError("empty")
    if len(data) > max_bytes:
        raise ImageError("too_large", limit=_human_size(max_bytes))
    if data.startswith(PNG_SIGNATURE):
        return _validate_png(data, max_pixels, max_side)
    if _looks_like_xml(data):
        return _validate_svg(data, max_bytes)
    raise ImageError("unsupported_format")


def _human_size(size: int) -> str:
    """Format a byte count as "2 MB" / "500 KB" (same in both languages)."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:g} MB"
    return f"{size / 1000:g} KB"


def _looks_like_xml(data: bytes) -> bool:
    """True when the bytes start like an XML document (after a BOM/whitespace)."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


# --------------------------------------------------------------------- PNG


def _validate_png(data: bytes, max_pixels: int, max_side: int) -> ImageInfo:
    """Check IHDR limits, then let Pillow verify and fully decode the PNG."""
    width, height = _png_header_size(data)
    _check_dimensions(width, height, max_pixels, max_side)
    try:
        _decode_png(data)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageError("too_many_pixels", width=width, height=height) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, IndexError) as exc:
        # Pillow reports broken files through all of these, depending on where it fails
        # (IndexError: a PNG with a header and no image data).
        raise ImageError("corrupt") from exc
    return ImageInfo(PNG_MIME, width, height, data)


def _png_header_size(data: bytes) -> tuple[int, int]:
    """Width and height read from IHDR, before Pillow allocates anything."""
    # Reading the 13-byte IHDR ourselves rejects a decompression bomb without
    # relying on Image.MAX_IMAGE_PIXELS, which only warns below twice its value.
    if len(data) < 33 or data[12:16] != b"IHDR":
        raise ImageError("corrupt")
    if zlib.crc32(data[12:29]) & 0xFFFFFFFF != struct.unpack(">I", data[29:33])[0]:
        raise ImageError("corrupt")
    return struct.unpack(">II", data[16:24])


def _check_dimensions(width: int, height: int, max_pixels: int, max_side: int) -> None:
    """Refuse empty images and images beyond the pixel or side limits."""
    if width == 0 or height == 0:
        raise ImageError("corrupt")
    if width > max_side or height > max_side or width * height > max_pixels:
        raise ImageError("too_many_pixels", width=width, height=height)


def _decode_png(data: bytes) -> None:
    """Run Pillow's structural check, then a full decode (verify() alone skips pixels)."""
    with Image.open(BytesIO(data), formats=["PNG"]) as image:
        image.verify()
    with Image.open(BytesIO(data), formats=["PNG"]) as image:
        image.load()


# --------------------------------------------------------------------- SVG


def _validate_svg(data: bytes, max_bytes: int) -> ImageInfo:
    """Sanitise an SVG and read its nominal size."""
    root = _sanitised_root(data, max_bytes)
    width, height = svg_size(root)
    return ImageInfo(SVG_MIME, width, height, _serialise(root))


def sanitise_svg(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Return the SVG without scripts, event handlers or external references."""
    return _serialise(_sanitised_root(data, max_bytes))


def _sanitised_root(data: bytes, max_bytes: int) -> etree._Element:
    """Parse safely and strip the dangerous parts in place."""
    root = _parse_svg(data, max_bytes)
    for node in list(root.iter()):
        if _is_dangerous(node):
            _remove(node)
        else:
            _clean_attributes(node)
    etree.cleanup_namespaces(root)
    return root


def _parse_svg(data: bytes, max_bytes: int) -> etree._Element:
    """Parse with no DTD, entities or network access; refuse any DOCTYPE."""
    if len(data) > max_bytes:
        raise ImageError("too_large", limit=_human_size(max_bytes))
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ImageError("svg_invalid") from exc
    if root.getroottree().docinfo.doctype:
        # Entities (billion laughs, XXE) can only be declared in a DOCTYPE.
        raise ImageError("svg_doctype")
    if root.tag != f"{{{SVG_NS}}}svg":
        raise ImageError("svg_not_svg")
    return root


def _serialise(root: etree._Element) -> bytes:
    """Serialise the cleaned tree as UTF-8 with an XML declaration."""
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _remove(node: etree._Element) -> None:
    """Detach a node (its tail text goes too; SVG ignores stray text)."""
    parent = node.getparent()
    if parent is None:
        return  # already inside a removed subtree
    parent.remove(node)


def _is_dangerous(node: etree._Element) -> bool:
    """True for nodes that must go: PIs, comments, foreign or scripting elements."""
    if not isinstance(node.tag, str):
        # Comments and PIs: <?xml-stylesheet?> can load remote CSS.
        return True
    qname = etree.QName(node)
    name = qname.localname.lower()
    if qname.namespace not in ALLOWED_ELEMENT_NS or name in FORBIDDEN_ELEMENTS:
        return True
    if name == "style":
        return not _css_is_safe(node.text or "")
    return name in ANIMATION_ELEMENTS and _animates_link_or_handler(node)


def _animates_link_or_handler(node: etree._Element) -> bool:
    """True when <set>/<animate> would rewrite an href or an on* handler."""
    # <animate attributeName="href" to="javascript:..."> is a known SVG XSS.
    target = node.get("attributeName", "").split(":")[-1].strip().lower()
    return target == "href" or target.startswith("on")


def _clean_attributes(node: etree._Element) -> None:
    """Drop event handlers, xml:base, foreign attributes and unsafe references."""
    for name, value in list(node.attrib.items()):
        if not _attribute_is_safe(etree.QName(name), value):
            del node.attrib[name]


def _attribute_is_safe(qname: etree.QName, value: str) -> bool:
    """Decide whether one attribute may stay."""
    local = qname.localname.lower()
    if qname.namespace not in ALLOWED_ATTRIBUTE_NS or local.startswith("on"):
        return False
    if qname.namespace == XML_NS and local == "base":
        return False  # xml:base would turn "#id" into a remote URL
    if local == "href":
        return value.strip().lower().startswith(SAFE_HREF_PREFIXES)
    return _css_is_safe(value)


def _css_is_safe(text: str) -> bool:
    """True when CSS (or an attribute value) loads nothing external and runs nothing."""
    lowered = text.lower()
    if any(token in lowered for token in CSS_FORBIDDEN):
        return False  # backslash: CSS escapes could hide "url(" or "@import"
    return all(target.startswith("#") for target in CSS_URL.findall(lowered))


def svg_size(root: etree._Element) -> tuple[int, int]:
    """Nominal pixel size from width/height, else from viewBox, else (0, 0)."""
    width, height = _length(root.get("width")), _length(root.get("height"))
    if width and height:
        return width, height
    parts = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        return round(float(parts[2])), round(float(parts[3]))
    except (IndexError, ValueError):
        return 0, 0


def _length(value: str | None) -> int:
    """Pixels from an SVG length like "120", "120px" or "12.5"; 0 for % or other units."""
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*(px)?\s*", value or "")
    return round(float(match.group(1))) if match else 0


# ---------------------------------------------------------------- placeholder

PLACEHOLDER_TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256" \
role="img" aria-label="{label}">
<title>{label}</title>
<circle cx="128" cy="128" r="124" fill="{dark}"/>
<circle cx="128" cy="128" r="108" fill="none" stroke="#ffffff" stroke-opacity="0.55" \
stroke-width="4" stroke-dasharray="2 8" stroke-linecap="round"/>
<circle cx="128" cy="128" r="94" fill="{light}"/>
<text x="128" y="128" dy="0.35em" text-anchor="middle" fill="#ffffff" \
font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" \
font-size="{font_size}" font-weight="700">{initials}</text>
</svg>
"""
STOP_WORDS = {
    "a", "à", "an", "and", "au", "aux", "d", "de", "des", "du", "en", "et",
    "for", "in", "l", "la", "le", "les", "of", "the", "to", "un", "une",
}  # fmt: skip


def placeholder_badge_svg(title: str, colour_seed: str) -> bytes:
    """A round badge with the title's initials, coloured deterministically from the seed."""
    initials = badge_initials(title)
    svg = PLACEHOLDER_TEMPLATE.format(
        label=escape(_xml_text(title) or initials, {'"': "&quot;"}),
        dark=_seed_colour(colour_seed, lightness=0.30),
        light=_seed_colour(colour_seed, lightness=0.42),
        font_size=96 if len(initials) > 1 else 120,
        initials=escape(initials),
    )
    return svg.encode("utf-8")


def _seed_colour(seed: str, lightness: float) -> str:
    """A hex colour whose hue is derived from ``seed`` (hex, not hsl(), for old renderers)."""
    hue = int(hashlib.sha256(seed.encode("utf-8")).hexdigest()[:4], 16) % 360
    red, green, blue = colorsys.hls_to_rgb(hue / 360, lightness, 0.58)
    return f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"


def badge_initials(title: str) -> str:
    """Up to two upper-case initials from the title's significant words."""
    words = re.findall(r"[^\W_]+", title)
    significant = [w for w in words if w.lower() not in STOP_WORDS] or words
    return "".join(w[0] for w in significant[:2]).upper() or "★"


def _xml_text(text: str) -> str:
    """Drop characters XML 1.0 cannot carry (control characters, lone surrogates)."""
    return "".join(
        ch
        for ch in text
        if (ch >= " " or ch in "\t\n\r") and not "\ud800" <= ch <= "\udfff"
    ).strip()
