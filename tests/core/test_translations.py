"""Every French string in the code and templates has an English translation."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "directory/translations/en/LC_MESSAGES/messages.po"


def test_every_string_has_an_english_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as source:
        extracted = {_key(m.id) for m in read_po(source) if m.id}
    with PO.open("rb") as source:
        catalogue = {_key(m.id): m for m in read_po(source) if m.id}
    missing = sorted(extracted - catalogue.keys())
    untranslated = sorted(k for k in extracted & catalogue.keys() if not _translated(catalogue[k]))
    assert missing == [], "run `make translations` and translate these"
    assert untranslated == [], "translate these in messages.po"


def _key(message_id) -> str:
    return message_id[0] if isinstance(message_id, tuple) else message_id


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings) and "fuzzy" not in message.flags
