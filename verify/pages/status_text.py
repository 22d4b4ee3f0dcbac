"""The registry's statuses in words: a certificate's and a label's status, and why a body
or the registry changed it, in four languages.

The status reason codes come from the registry's records (the body's or the registry's
decision), not from the verifier; an unknown code reads as "other reason".
"""

from __future__ import annotations

from typing import Final

from verify.pages.i18n import Text

__all__ = ["CERTIFICATE_STATUS_WORDS", "LABEL_STATUS_WORDS", "STATUS_REASON_TEXTS"]

CERTIFICATE_STATUS_WORDS: Final[dict[str, Text]] = {
    "active": Text("En vigueur", "Active", "En vigor", "سارية"),
    "suspended": Text("Suspendu", "Suspended", "Suspendido", "موقوفة"),
    "withdrawn": Text("Retiré", "Withdrawn", "Retirado", "مسحوبة"),
    "expired": Text("Expiré", "Expired", "Caducado", "منتهية الصلاحية"),
}

LABEL_STATUS_WORDS: Final[dict[str, Text]] = {
    "active": Text("Active", "Active", "Activa", "نشط"),
    "suspended": Text("Suspendue", "Suspended", "Suspendida", "موقوف"),
    "revoked": Text("Révoquée", "Revoked", "Revocada", "ملغى"),
}

# Why a body suspended or withdrew a certificate, or the registry changed a label's status.
STATUS_REASON_TEXTS: Final[dict[str, Text]] = {
    "surveillance_nonconformity": Text(
        "non-conformité relevée lors d'un contrôle",
        "a non-conformity found during a check",
        "no conformidad detectada en un control",
        "عدم مطابقة رُصد أثناء مراقبة",
    ),
    "artisan_request": Text(
        "à la demande de l'artisan",
        "at the artisan's request",
        "a petición del artesano",
        "بطلب من الحرفي",
    ),
    "corrective_action_closed": Text(
        "action corrective vérifiée",
        "corrective action verified",
        "acción correctiva verificada",
        "تم التحقق من الإجراء التصحيحي",
    ),
    "label_misuse": Text(
        "étiquettes utilisées hors du champ certifié",
        "labels used outside the certified scope",
        "etiquetas usadas fuera del alcance certificado",
        "استُعملت ملصقات خارج النطاق المعتمد",
    ),
    "fraud": Text("fraude", "fraud", "fraude", "احتيال"),
    "administrative_error": Text(
        "erreur administrative", "administrative error", "error administrativo", "خطأ إداري"
    ),
    "other": Text("autre motif", "other reason", "otro motivo", "سبب آخر"),
    "lost_or_stolen": Text(
        "étiquette perdue ou volée",
        "label lost or stolen",
        "etiqueta perdida o robada",
        "ملصق مفقود أو مسروق",
    ),
    "damaged": Text("étiquette abîmée", "label damaged", "etiqueta dañada", "ملصق تالف"),
    "misprinted": Text("erreur d'impression", "misprinted", "error de impresión", "خطأ في الطباعة"),
    "counterfeit_suspected": Text(
        "copies suspectées sur le marché",
        "copies suspected in the market",
        "se sospechan copias en el mercado",
        "يُشتبه في وجود نسخ مقلدة في السوق",
    ),
    "not_applied": Text(
        "étiquette jamais apposée sur un objet",
        "label never applied to an item",
        "etiqueta nunca colocada en un objeto",
        "لم يُلصق الملصق على أي قطعة",
    ),
    "inspection_hold": Text(
        "en attente d'une inspection",
        "on hold pending an inspection",
        "retenida en espera de una inspección",
        "معلّق في انتظار تفتيش",
    ),
    "inspection_cleared": Text(
        "inspection sans suite",
        "inspection found nothing",
        "inspección sin hallazgos",
        "لم يكشف التفتيش عن شيء",
    ),
}
