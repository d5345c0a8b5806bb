"""Profile photos: decoded and checked by Pillow, turned upright, resized, re-encoded without metadata.

Re-encoding from pixels is what strips EXIF (GPS position, camera serial…): nothing of the
uploaded file but its pixels survives. No Flask here.
"""

from io import BytesIO

from PIL import Image
from PIL import ImageOps
from PIL import UnidentifiedImageError

MAX_BYTES = 5_000_000
MAX_PIXELS = 40_000_000
SIDE = 400
FORMATS = ["JPEG", "PNG", "WEBP"]


class PhotoError(ValueError):
    """The upload is not a usable photo; ``code`` names why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def process_photo(data: bytes) -> bytes:
    """A square JPEG of at most SIDE pixels, from a JPEG, PNG or WebP upload; raise PhotoError."""
    if not data:
        raise PhotoError("empty")
    if len(data) > MAX_BYTES:
        raise PhotoError("too_large")
    image = _decode(data)
    return _encode(ImageOps.fit(_upright(image), (min(SIDE, *image.size),) * 2))


def _decode(data: bytes) -> Image.Image:
    try:
        with Image.open(BytesIO(data), formats=FORMATS) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise PhotoError("too_many_pixels")
            probe.verify()
        image = Image.open(BytesIO(data), formats=FORMATS)
        image.load()
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise PhotoError("unreadable") from exc
    return image


def _upright(image: Image.Image) -> Image.Image:
    # Phones store portrait photos sideways with an EXIF orientation flag: apply it before dropping EXIF.
    upright = ImageOps.exif_transpose(image)
    if upright.mode in ("RGBA", "LA", "P"):
        background = Image.new("RGB", upright.size, "white")
        background.paste(upright.convert("RGBA"), mask=upright.convert("RGBA").getchannel("A"))
        return background
    return upright.convert("RGB")


def _encode(image: Image.Image) -> bytes:
    output = BytesIO()
    image.save(output, "JPEG", quality=85, optimize=True)
    return output.getvalue()
