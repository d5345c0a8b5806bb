"""Slugs from names, and SIREN/SIRET numbers that pass the Luhn check."""

import random
import re
import unicodedata


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens: "Château-Thierry" → "chateau-thierry"."""
    folded = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "Oe"))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


class UniqueSlugs:
    """Hands out slugs, adding "-2", "-3"… to a name already given."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def __call__(self, text: str) -> str:
        base = slugify(text)
        slug, number = base, 1
        while slug in self._taken:
            number += 1
            slug = f"{base}-{number}"
        self._taken.add(slug)
        return slug


def luhn_valid(digits: str) -> bool:
    """Whether a string of digits passes the Luhn check (SIREN and SIRET do)."""
    if not digits.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def luhn_complete(digits: str) -> str:
    """These digits followed by the check digit that makes them pass the Luhn check."""
    return next(digits + str(check) for check in range(10) if luhn_valid(digits + str(check)))


def random_siren(rng: random.Random) -> str:
    """A plausible, Luhn-valid SIREN (9 digits, not starting with 0)."""
    return luhn_complete(str(rng.randint(10_000_000, 99_999_999)))


def siret_for(siren: str, establishment: int) -> str:
    """A Luhn-valid SIRET for this SIREN: the 4-digit establishment number and a check digit."""
    return luhn_complete(f"{siren}{establishment:04d}")
