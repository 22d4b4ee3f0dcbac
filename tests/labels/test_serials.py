"""The batch serial draw: the serial form the codec defines, distinct, every character used."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from labeling.labels.issuance import random_serials
from verify.label_codec import NEW_SERIAL_LENGTH, SERIAL_ALPHABET, encode_label_uri


def test_batch_serials_have_the_codec_form_and_cover_the_alphabet() -> None:
    serials = random_serials(10_000)
    assert len(serials) == 10_000 and len(set(serials)) == 10_000
    assert {len(serial) for serial in serials} == {NEW_SERIAL_LENGTH}
    counts = Counter("".join(serials))
    assert set(counts) == set(SERIAL_ALPHABET)
    # 100,000 characters over 32 symbols: about 3,125 each; a mapping that favoured some
    # symbols (a modulo bias, a lost bit) would be far outside this band.
    assert all(2_800 < count < 3_450 for count in counts.values()), counts
    for serial in serials[:50]:  # each one is a serial the label codec accepts
        encode_label_uri(
            host="KHATEM.MA",
            gtin="06111234000019",
            serial=serial,
            kid="1a2b3c4d",
            issued_at=datetime(2026, 1, 1, tzinfo=UTC),
            certificate_code=1,
            signature=bytes(64),
        )
    assert random_serials(0) == [] and len(random_serials(3)) == 3
