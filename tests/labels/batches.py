"""Asking the API for a label batch, as the label tests do over and over."""

from __future__ import annotations

from fastapi.testclient import TestClient
from httpx import Response

from tests.fixtures.actors import Actor
from tests.labels.fixtures import CertificateRef

__all__ = ["URL", "post_batch"]

URL = "/api/v1/label-batches"


def post_batch(
    client: TestClient, actor: Actor, cert: CertificateRef, quantity: int, **headers: str
) -> Response:
    """POST a batch of ``quantity`` labels under ``cert`` for its product line, as ``actor``
    (``headers`` add to the actor's, e.g. ``**{"Idempotency-Key": "k1"}``)."""
    body = {
        "certificate_id": cert.id,
        "product_line_id": cert.product_line_id,
        "quantity": quantity,
    }
    return client.post(URL, json=body, headers={**actor.headers, **headers})
