"""Slugs, and SIREN and SIRET numbers that pass their checksums."""

import random
import re
import unicodedata

from stdnum import luhn
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret


def ascii_slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def valid_siren(rng: random.Random, first_digit: str) -> str:
    while True:
        body = f"{first_digit}{rng.randrange(10**7):07d}"
        number = body + luhn.calc_check_digit(body)
        if stdnum_siren.is_valid(number):
            return number


def valid_siret(siren: str, rng: random.Random) -> str:
    body = f"{siren}{rng.randrange(1, 100):04d}"
    number = body + luhn.calc_check_digit(body)
    assert stdnum_siret.is_valid(number), number
    return number
