"""The generated PNG placeholder draws French initials, never a missing-glyph box."""

from io import BytesIO

import pytest
from PIL import Image
from PIL import ImageFont

from directory.badges import documents

MISSING = "\ue000"  # a private-use character: no font has it, so it shows the missing-glyph box


def test_the_initials_font_draws_an_accented_capital():
    font = documents.initials_font()
    accented = documents.glyph_pixels(font, documents.drawable_text("É", font))
    assert accented != documents.glyph_pixels(font, "E")
    assert accented != documents.glyph_pixels(font, MISSING)


@pytest.mark.parametrize("text", ["É", "ÉÈ", "Ê"])
def test_a_font_without_accents_falls_back_to_the_plain_letter(text):
    builtin = ImageFont.load_default(size=documents.INITIALS_FONT_SIZE)
    drawn = documents.drawable_text(text, builtin)
    assert documents.glyph_pixels(builtin, drawn[0]) != documents.glyph_pixels(builtin, MISSING)


def test_placeholder_png_is_a_deterministic_png():
    first = documents.placeholder_png("Écologie et éthique", "seed")
    assert first == documents.placeholder_png("Écologie et éthique", "seed")
    assert Image.open(BytesIO(first)).size == (documents.PLACEHOLDER_PNG_SIZE, documents.PLACEHOLDER_PNG_SIZE)
    assert first != documents.placeholder_png("Economie et ethique", "seed")
