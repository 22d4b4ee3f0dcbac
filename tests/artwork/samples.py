"""Realistic label artworks for the artwork tests: varied hosts, GTINs, serials, levels."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from labeling.artwork import ErrorLevel, LabelArtwork
from verify.gtin import gtin_check_digit, registry_gtin
from verify.label_codec import SERIAL_ALPHABET, encode_label_uri, format_certificate_code

#: Hosts of 1 to 16 characters: the 1-character one gives the smallest symbols (6-M, 8-Q),
#: the 16-character one fills 7-M exactly; 13 and 16 characters (with 10-character
#: serials) are the lengths whose bit stream ends on a codeword boundary.
HOSTS = [
    "KHATEM.MA",
    "VERIFY.KHATEM.MA",
    "QR.KHT.MA",
    "LABELS.KHATEM.MA",
    "V.KHATEM.MA",
    "KHATEM-QR.MA",
    "WWW.KHATEM.MA",
    "A",
]
ARTISANS = [
    ("Coopérative Tifaout", "تعاونية تيفاوت"),
    ("Maâlem Abdellah Benjelloun", "المعلم عبد الله بنجلون"),
    ("Fatima Zahra El Alaoui", "فاطمة الزهراء العلوي"),
    ("Entreprise Poterie de Safi", "مقاولة فخار آسفي"),
    ("Lalla Aïcha Tazi", "لالة عائشة التازي"),
]
SCHEMES = [
    "Maroc Fait Main — niveau 1",
    "Maroc Fait Main — niveau 2",
    "Maroc Fait Main — niveau 3",
    "Madmoun — poterie culinaire",
    "Estampille tapis — grade A",
]


def sample_artwork(
    rng: random.Random,
    *,
    host: str | None = None,
    error: ErrorLevel | None = None,
    serial_length: int = 10,
) -> LabelArtwork:
    """One label as the registry would issue it, with random claim and signature bytes."""
    if rng.random() < 0.5:
        body = "611" + "".join(rng.choices("0123456789", k=9))  # GS1 Morocco GTIN-13
        gtin = body + str(gtin_check_digit(body))
    else:
        gtin = registry_gtin(rng.randrange(10**9))
    serial = "".join(rng.choices(SERIAL_ALPHABET, k=serial_length))
    certificate_code = rng.randrange(2**32)
    chosen_host = host if host is not None else rng.choice(HOSTS[:-1])
    uri = encode_label_uri(
        host=chosen_host,
        gtin=gtin,
        serial=serial,
        kid=rng.randbytes(4).hex(),
        issued_at=datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(10**7)),
        certificate_code=certificate_code,
        signature=rng.randbytes(64),
    )
    latin, arabic = rng.choice(ARTISANS)
    return LabelArtwork(
        uri=uri,
        serial=serial,
        gtin=gtin,
        scheme_and_level=rng.choice(SCHEMES),
        certificate_code=format_certificate_code(certificate_code),
        artisan_name_latin=latin,
        artisan_name_arabic=arabic,
        verification_url=f"khatem.ma/v/{serial}",
        error=error if error is not None else rng.choice(("m", "q")),
    )


def sample_artworks(count: int, seed: int) -> list[LabelArtwork]:
    rng = random.Random(seed)
    return [sample_artwork(rng) for _ in range(count)]
