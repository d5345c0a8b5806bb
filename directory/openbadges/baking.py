"""Bake Open Badges 2.0 / 3.0 data into PNG and SVG images, and extract it again.

Pure module: bytes in, bytes out; no Flask, no I/O. PNGs are edited chunk by
chunk so the image data stays byte-identical (re-encoding with Pillow would
change IDAT and lose other metadata). SVGs are parsed with a hardened lxml
parser (no DTD, no entities, no network).
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from lxml import etree

from directory.openbadges.errors import OpenBadgesError

OB2_KEYWORD = "openbadges"
OB3_KEYWORD = "openbadgecredential"
BADGE_KEYWORDS = (OB2_KEYWORD, OB3_KEYWORD)

OB2_SVG_NS = "http://openbadges.org"
OB3_SVG_NS = "https://purl.imsglobal.org/ob/v3p0"
SVG_NS = "http://www.w3.org/2000/svg"
# keyword -> (namespace, element local name) of the SVG baking element
SVG_ELEMENTS = {
    OB2_KEYWORD: (OB2_SVG_NS, "assertion"),
    OB3_KEYWORD: (OB3_SVG_NS, "credential"),
}
VERSION_KEYWORDS = {"2.0": OB2_KEYWORD, "3.0": OB3_KEYWORD}

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TEXT_CHUNK_TYPES = (b"iTXt", b"zTXt", b"tEXt")
# A signed credential with embedded endorsements stays far below this; the cap
# stops a zTXt / compressed iTXt from inflating into a memory bomb.
MAX_PAYLOAD_BYTES = 5_000_000
MAX_SVG_BYTES = 10_000_000


class BakingError(OpenBadgesError):
    """An image could not be baked or its badge data could not be extracted."""


@dataclass(frozen=True)
class Chunk:
    """One PNG chunk: its 4-byte type and its data."""

    type: bytes
    data: bytes

    def to_bytes(self) -> bytes:
        """Serialise with length prefix and CRC."""
        crc = zlib.crc32(self.type + self.data) & 0xFFFFFFFF
        return (
            struct.pack(">I", len(self.data))
            + self.type
            + self.data
            + struct.pack(">I", crc)
        )


# --------------------------------------------------------------------- PNG


def read_chunks(png_bytes: bytes) -> list[Chunk]:
    """Split a PNG into chunks up to IEND, checking signature, lengths and CRCs."""
    if not png_bytes.startswith(PNG_SIGNATURE):
        raise BakingError("Not a PNG image.")
    chunks = list(_iter_chunks(png_bytes, len(PNG_SIGNATURE)))
    if not chunks or chunks[0].type != b"IHDR":
        raise BakingError("PNG does not start with an IHDR chunk.")
    if chunks[-1].type != b"IEND":
        raise BakingError("PNG is truncated (no IEND chunk).")
    return chunks


def _iter_chunks(data: bytes, pos: int) -> Iterator[Chunk]:
    """Yield chunks from ``pos`` until IEND or the end of the data."""
    while pos < len(data):
        if pos + 12 > len(data):
            raise BakingError("PNG is truncated inside a chunk header.")
        length, chunk_type = struct.unpack(">I4s", data[pos : pos + 8])
        end = pos + 8 + length
        if end + 4 > len(data):
            raise BakingError("PNG is truncated inside a chunk.")
        chunk = Chunk(chunk_type, data[pos + 8 : end])
        (crc,) = struct.unpack(">I", data[end : end + 4])
        if crc != zlib.crc32(chunk_type + chunk.data) & 0xFFFFFFFF:
            raise BakingError(f"PNG chunk {chunk_type!r} has a bad CRC.")
        yield chunk
        if chunk_type == b"IEND":
            return  # trailing bytes after IEND are ignored, like every decoder does
        pos = end + 4


def write_chunks(chunks: list[Chunk]) -> bytes:
    """Join chunks back into PNG bytes."""
    return PNG_SIGNATURE + b"".join(chunk.to_bytes() for chunk in chunks)


def itxt_chunk(keyword: str, text: str) -> Chunk:
    """Build an uncompressed iTXt chunk with empty language tag and translated keyword."""
    # keyword \0, compression flag 0, method 0, language "" \0, translated "" \0, text
    data = keyword.encode("latin-1") + b"\0\0\0\0\0" + text.encode("utf-8")
    return Chunk(b"iTXt", data)


def bake_png(png_bytes: bytes, payload: str, keyword: str) -> bytes:
    """Return the PNG with one iTXt ``keyword`` chunk holding ``payload``, right after IHDR."""
    _check_keyword(keyword)
    chunks = read_chunks(png_bytes)
    kept = [c for c in chunks[1:] if _text_keyword(c) != keyword]
    return write_chunks([chunks[0], itxt_chunk(keyword, payload), *kept])


def unbake_png(png_bytes: bytes) -> dict[str, str]:
    """Return ``{keyword: text}`` for the badge chunks of a PNG (empty if none)."""
    found: dict[str, str] = {}
    for chunk in read_chunks(png_bytes):
        keyword = _text_keyword(chunk)
        if keyword not in BADGE_KEYWORDS:
            continue
        if keyword in found:
            raise BakingError(f"PNG holds more than one {keyword!r} chunk.")
        found[keyword] = _chunk_text(chunk)
    return found


def _check_keyword(keyword: str) -> None:
    """Refuse keywords that are not an Open Badges baking keyword."""
    if keyword not in BADGE_KEYWORDS:
        raise BakingError(f"Unknown baking keyword {keyword!r}.")


def _text_keyword(chunk: Chunk) -> str | None:
    """Keyword of a tEXt/zTXt/iTXt chunk, None for other chunks."""
    if chunk.type not in TEXT_CHUNK_TYPES or b"\0" not in chunk.data:
        return None
    return chunk.data.split(b"\0", 1)[0].decode("latin-1")


def _chunk_text(chunk: Chunk) -> str:
    """Decode the text of a badge chunk, decompressing leniently when needed."""
    body = chunk.data.split(b"\0", 1)[1]
    try:
        if chunk.type == b"tEXt":
            return body.decode("latin-1")  # legacy 1.x badges: just the assertion URL
        if chunk.type == b"zTXt":
            return _inflate(body[1:]).decode("latin-1")
        return _itxt_text(body)
    except (ValueError, IndexError, zlib.error) as exc:
        raise BakingError(f"Badge chunk {chunk.type!r} is malformed.") from exc


def _itxt_text(body: bytes) -> str:
    """Text of an iTXt body (after the keyword), inflating it if flagged compressed."""
    compressed = body[0] == 1
    _language, _translated, text = body[2:].split(b"\0", 2)
    return (_inflate(text) if compressed else text).decode("utf-8")


def _inflate(data: bytes) -> bytes:
    """zlib-decompress with a hard output cap."""
    inflater = zlib.decompressobj()
    out = inflater.decompress(data, MAX_PAYLOAD_BYTES)
    if inflater.unconsumed_tail:
        raise BakingError("Compressed badge chunk is too large.")
    return out


# --------------------------------------------------------------------- SVG


def parse_svg(svg_bytes: bytes) -> etree._Element:
    """Parse SVG bytes safely (no DTD, entities or network) and return the root ``<svg>``."""
    if len(svg_bytes) > MAX_SVG_BYTES:
        raise BakingError("SVG is too large.")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        strip_cdata=False,  # keep CDATA so an existing badge element round-trips intact
    )
    try:
        root = etree.fromstring(svg_bytes, parser)
    except etree.XMLSyntaxError as exc:
        raise BakingError("SVG is not well-formed XML.") from exc
    if root.getroottree().docinfo.doctype:
        # A DOCTYPE is the only way to declare entities; SVG never needs one.
        raise BakingError("SVG with a DOCTYPE or entities is refused.")
    if root.tag != f"{{{SVG_NS}}}svg":
        raise BakingError("Not an SVG image.")
    return root


def bake_svg(
    svg_bytes: bytes,
    payload: str,
    version: Literal["2.0", "3.0"],
    verify_url: str | None = None,
) -> bytes:
    """Return the SVG with one badge element (first child of ``<svg>``) holding ``payload``."""
    keyword = VERSION_KEYWORDS.get(version)
    if keyword is None:
        raise BakingError(f"Unknown Open Badges version {version!r}.")
    root = parse_svg(svg_bytes)
    _remove_badge_elements(root, keyword)
    root.insert(0, _badge_element(keyword, payload, verify_url))
    _declare_prefix_on_root(root, SVG_ELEMENTS[keyword][0])
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _badge_element(
    keyword: str, payload: str, verify_url: str | None
) -> etree._Element:
    """Build ``<openbadges:assertion>`` / ``<openbadges:credential>`` for ``payload``."""
    namespace, name = SVG_ELEMENTS[keyword]
    element = etree.Element(f"{{{namespace}}}{name}", nsmap={"openbadges": namespace})
    if _is_json(payload):
        element.text = etree.CDATA(_cdata_safe(payload))
    verify = _verify_value(keyword, payload, verify_url)
    if verify:
        element.set("verify", verify)
    element.tail = "\n"
    return element


def _verify_value(keyword: str, payload: str, verify_url: str | None) -> str | None:
    """Value of the ``verify`` attribute: the token, the hosted URL, or none (3.0 JSON)."""
    if not _is_json(payload):
        return payload.strip()  # compact JWS / JWT lives in ``verify``, element empty
    if keyword == OB3_KEYWORD:
        return None  # 3.0: embedded-proof JSON has no ``verify`` attribute
    verify = verify_url or _hosted_id(payload)
    if not verify:
        raise BakingError("A hosted OB 2.0 badge needs its assertion URL in 'verify'.")
    return verify


def _declare_prefix_on_root(root: etree._Element, namespace: str) -> None:
    """Move ``xmlns:openbadges`` onto ``<svg>`` as the spec shows, when the prefix is free."""
    # Both versions use the prefix "openbadges" with different namespaces; if
    # <svg> already binds it to the other one, the element keeps a local declaration.
    if root.nsmap.get("openbadges", namespace) == namespace:
        etree.cleanup_namespaces(root, top_nsmap={"openbadges": namespace})


def _is_json(payload: str) -> bool:
    """True when the payload is a JSON document rather than a compact JWS/JWT."""
    return payload.lstrip().startswith("{")


def _cdata_safe(payload: str) -> str:
    """Make JSON storable in CDATA by escaping the ``]]>`` terminator."""
    # "]]>" can only occur inside a JSON string, where ">" may be written \u003e
    # without changing the document (nor an RDF-canonicalised proof over it).
    return payload.replace("]]>", "]]\\u003e")


def _hosted_id(payload: str) -> str | None:
    """The ``id`` URL of a hosted OB 2.0 assertion, used as the default ``verify``."""
    try:
        value = json.loads(payload).get("id")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) and value.startswith("http") else None


def _remove_badge_elements(root: etree._Element, keyword: str) -> None:
    """Delete every existing badge element for ``keyword`` (re-bake replaces)."""
    namespace, name = SVG_ELEMENTS[keyword]
    for element in list(root.iter(f"{{{namespace}}}{name}")):
        element.getparent().remove(element)


def unbake_svg(svg_bytes: bytes) -> dict[str, str]:
    """Return ``{keyword: text}`` for the badge elements of an SVG (empty if none)."""
    root = parse_svg(svg_bytes)
    found: dict[str, str] = {}
    for keyword, (namespace, name) in SVG_ELEMENTS.items():
        elements = list(root.iter(f"{{{namespace}}}{name}"))
        if len(elements) > 1:
            raise BakingError(f"SVG holds more than one {name!r} element.")
        if elements:
            found[keyword] = _element_payload(elements[0])
    return found


def _element_payload(element: etree._Element) -> str:
    """JSON body of a badge element, or else its ``verify`` token."""
    # Lenient: some bakers put a JWT in the body instead of ``verify``.
    text = (element.text or "").strip()
    payload = text or element.get("verify", "").strip()
    if not payload:
        raise BakingError("SVG badge element is empty.")
    return payload


# --------------------------------------------------------------------- both


def extract_any(data: bytes) -> tuple[str, str]:
    """Return ``(kind, payload)`` from a baked PNG or SVG; ``kind`` is "png" or "svg"."""
    kind = detect_kind(data)
    found = unbake_png(data) if kind == "png" else unbake_svg(data)
    # Prefer the 3.0 credential when an image carries both generations.
    for keyword in (OB3_KEYWORD, OB2_KEYWORD):
        if keyword in found:
            return kind, found[keyword]
    raise BakingError("The image does not contain an Open Badge.")


def detect_kind(data: bytes) -> str:
    """Return "png" or "svg" from the leading bytes, or raise BakingError."""
    if data.startswith(PNG_SIGNATURE):
        return "png"
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return "svg"
    raise BakingError("Only PNG and SVG images can hold an Open Badge.")
