"""The rule every issuance obeys, whenever it runs: the certificate must be in force.

Checked when a batch is requested, and again by a background batch in the transaction that
stores its labels: a certificate suspended while a large batch was being signed gets no
labels from it.
"""

from __future__ import annotations

from core import calendar
from labeling.labels.errors import (
    CertificateExpired,
    CertificateNotYetValid,
    CertificateSuspended,
    CertificateWithdrawn,
)
from schemas.certificates import Certificate, CertificateStatus

__all__ = ["check_in_force"]


def check_in_force(certificate: Certificate) -> None:
    """Raise the problem that forbids issuing under ``certificate`` today, if any."""
    today = calendar.registry_today()
    status = certificate.effective_status(today)
    if status is CertificateStatus.SUSPENDED:
        raise CertificateSuspended()
    if status is CertificateStatus.WITHDRAWN:
        raise CertificateWithdrawn()
    if status is CertificateStatus.EXPIRED:
        raise CertificateExpired()
    if today < certificate.valid_from:
        raise CertificateNotYetValid()
