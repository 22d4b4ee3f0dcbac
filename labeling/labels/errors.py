"""Label domain errors, each with a stable problem ``type`` slug.

Hierarchy (the base classes are :mod:`core.problems`)::

    NotFound (404)          certificate-not-found, product-line-not-found,
                            label-batch-not-found, label-not-found
    Forbidden (403)         not-authorised-for-scheme
    Conflict (409)          certificate-suspended, certificate-withdrawn,
                            certificate-expired, certificate-not-yet-valid,
                            invalid-label-transition, batch-in-progress
    UnprocessableContent (422)
                            product-line-out-of-scope, batch-too-large,
                            idempotency-key-reused, idempotency-key-invalid,
                            label-size-unprintable, sheet-layout-invalid,
                            sheet-range-empty
    ServiceUnavailable (503) signer-unavailable

A 404 also answers "it exists but belongs to another body".
"""

from __future__ import annotations

from core.problems import Conflict, Forbidden, NotFound, ServiceUnavailable, UnprocessableContent

__all__ = [
    "BatchInProgress",
    "BatchTooLarge",
    "CertificateExpired",
    "CertificateNotFound",
    "CertificateNotYetValid",
    "CertificateSuspended",
    "CertificateWithdrawn",
    "IdempotencyKeyInvalid",
    "IdempotencyKeyReused",
    "InvalidLabelTransition",
    "LabelBatchNotFound",
    "LabelNotFound",
    "LabelSizeUnprintable",
    "NotAuthorisedForScheme",
    "ProductLineOutOfScope",
    "SheetLayoutInvalid",
    "SheetRangeEmpty",
    "SignerUnavailable",
]


class CertificateNotFound(NotFound):
    slug = "certificate-not-found"
    title = "No such certificate in your body"


class LabelBatchNotFound(NotFound):
    slug = "label-batch-not-found"
    title = "No such label batch"


class LabelNotFound(NotFound):
    slug = "label-not-found"
    title = "No such label"


class NotAuthorisedForScheme(Forbidden):
    slug = "not-authorised-for-scheme"
    title = "The inspector is not authorised for this certificate's scheme"


class CertificateSuspended(Conflict):
    slug = "certificate-suspended"
    title = "The certificate is suspended: no labels can be issued under it"


class CertificateWithdrawn(Conflict):
    slug = "certificate-withdrawn"
    title = "The certificate is withdrawn: no labels can be issued under it"


class CertificateExpired(Conflict):
    slug = "certificate-expired"
    title = "The certificate has expired: no labels can be issued under it"


class CertificateNotYetValid(Conflict):
    slug = "certificate-not-yet-valid"
    title = "The certificate's validity has not started"


class InvalidLabelTransition(Conflict):
    slug = "invalid-label-transition"
    title = "This status change is not allowed from the label's current status"


class ProductLineOutOfScope(UnprocessableContent):
    slug = "product-line-out-of-scope"
    title = "The product line is not in the certificate's scope"


class BatchTooLarge(UnprocessableContent):
    slug = "batch-too-large"
    title = "A batch holds at most 100,000 labels"


class IdempotencyKeyReused(UnprocessableContent):
    slug = "idempotency-key-reused"
    title = "This Idempotency-Key was already used with a different request"


class IdempotencyKeyInvalid(UnprocessableContent):
    slug = "idempotency-key-invalid"
    title = "Idempotency-Key must be 1 to 100 printable ASCII characters"


class SignerUnavailable(ServiceUnavailable):
    slug = "signer-unavailable"
    title = "The registry's signer is unavailable; nothing was issued, retry later"


class BatchInProgress(Conflict):
    slug = "batch-in-progress"
    title = "The batch has no labels yet: it is queued, running or failed"


class LabelSizeUnprintable(UnprocessableContent):
    slug = "label-size-unprintable"
    title = "The QR code and text cannot be laid out legibly on a label of this size"


class SheetLayoutInvalid(UnprocessableContent):
    slug = "sheet-layout-invalid"
    title = "This grid of labels does not fit an A4 page"


class SheetRangeEmpty(UnprocessableContent):
    slug = "sheet-range-empty"
    title = "The batch has no label at this offset"
