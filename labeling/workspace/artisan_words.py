"""The artisan's pages in words (French, Arabic, English)."""

from __future__ import annotations

from typing import Final

from labeling.workspace.i18n import Text
from labeling.workspace.inspector_words import WORDS as INSPECTOR_WORDS

__all__ = ["NAV_PRODUCTS", "NAV_PROFILE", "WORDS"]

NAV_PROFILE: Final = Text("Mon profil", "ملفي", "My profile")
NAV_PRODUCTS: Final = Text("Produits et étiquettes", "المنتجات والملصقات", "Products and labels")

_OWN: Final[dict[str, Text]] = {
    "my_certificates": Text("Mes certificats", "شهاداتي", "My certificates"),
    "no_certificate": Text(
        "Vous n'avez pas encore de certificat. Il est délivré après un audit réussi par "
        "un inspecteur de votre chambre.",
        "ليست لديك شهادة بعد. تُمنح الشهادة بعد تدقيق ناجح يجريه مفتش غرفتكم.",
        "You have no certificate yet. One is issued after a passing audit by an inspector "
        "of your chamber.",
    ),
    "certificate_code": Text("Code du certificat", "رمز الشهادة", "Certificate code"),
    "open_certificate": Text(
        "Imprimer, badge et QR code", "الطباعة والشارة ورمز QR", "Print, badge and QR code"
    ),
    "valid_from_until": Text(
        "du {start} au {end}", "من {start} إلى {end}", "from {start} to {end}"
    ),
    "validity": Text("Validité", "الصلاحية", "Validity"),
    "status": Text("État", "الحالة", "Status"),
    "label_scheme": Text("Label", "العلامة", "Label"),
    "public_page": Text("Ma page publique", "صفحتي العامة", "My public page"),
    "public_page_hint": Text(
        "Ce que voit un acheteur qui scanne votre QR code : l'état du certificat aujourd'hui.",
        "ما يراه المشتري الذي يمسح رمز QR الخاص بكم: حالة الشهادة اليوم.",
        "What a buyer who scans your QR code sees: the certificate's status today.",
    ),
    "print_certificate": Text(
        "Certificat à imprimer (PDF A4, français et arabe)",
        "الشهادة للطباعة (PDF بحجم A4، بالفرنسية والعربية)",
        "Printable certificate (A4 PDF, French and Arabic)",
    ),
    "print_hint": Text(
        "Le QR code du certificat ouvre sa page publique.",
        "رمز QR في الشهادة يفتح صفحتها العامة.",
        "The certificate's QR code opens its public page.",
    ),
    "download_pdf": Text("Télécharger le PDF", "تنزيل ملف PDF", "Download the PDF"),
    "badge": Text("Mon badge", "شارتي", "My badge"),
    "badge_hint": Text(
        "À mettre sur votre site ou votre boutique en ligne : il montre l'état du "
        "certificat. Le SVG se met à jour tout seul ; le PNG montre l'état du jour du "
        "téléchargement.",
        "ضعوها على موقعكم أو متجركم الإلكتروني: تبيّن حالة الشهادة. صيغة SVG تتحدّث "
        "تلقائيا، وصيغة PNG تبيّن الحالة يوم التنزيل.",
        "For your website or online shop: it shows the certificate's status. The SVG "
        "updates itself; the PNG shows the status of the day you download it.",
    ),
    "badge_alt": Text(
        "Badge Khatem du certificat {code}",
        "شارة خاتم للشهادة {code}",
        "Khatem badge of certificate {code}",
    ),
    "badge_svg": Text(
        "Badge SVG (adresse à intégrer)", "شارة SVG (رابط للتضمين)", "SVG badge (address to embed)"
    ),
    "badge_png": Text(
        "Badge PNG en {language}", "شارة PNG بـ{language}", "PNG badge in {language}"
    ),
    "card_qr": Text(
        "QR code pour ma carte professionnelle",
        "رمز QR لبطاقتي المهنية",
        "QR code for my business card",
    ),
    "card_qr_hint": Text(
        "Imprimé sur votre carte, il ouvre la page publique de ce certificat.",
        "عند طباعته على بطاقتكم، يفتح الصفحة العامة لهذه الشهادة.",
        "Printed on your card, it opens this certificate's public page.",
    ),
    "card_qr_png": Text(
        "QR code PNG (600 dpi)", "رمز QR بصيغة PNG (600 نقطة)", "QR code PNG (600 dpi)"
    ),
    "card_qr_svg": Text(
        "QR code SVG (vectoriel)", "رمز QR بصيغة SVG (متّجه)", "QR code SVG (vector)"
    ),
    "profile_title": Text("Mon profil", "ملفي", "My profile"),
    "profile_private": Text(
        "Ces informations personnelles ne sont visibles que par vous et l'administrateur "
        "de votre chambre ; elles n'apparaissent sur aucune page publique ni étiquette.",
        "هذه المعلومات الشخصية لا يراها إلا أنتم ومسؤول غرفتكم؛ ولا تظهر في أي صفحة عامة أو ملصق.",
        "These personal details are seen only by you and your chamber's administrator; "
        "they appear on no public page and no label.",
    ),
    "profile_fix": Text(
        "Une erreur ? Demandez à votre chambre de la corriger.",
        "هل هناك خطأ؟ اطلبوا من غرفتكم تصحيحه.",
        "A mistake? Ask your chamber to correct it.",
    ),
    "national_id": Text("CIN", "رقم البطاقة الوطنية", "National ID"),
    "phone": Text("Téléphone", "الهاتف", "Phone"),
    "address": Text("Adresse", "العنوان", "Address"),
    "not_given": Text("non renseigné", "غير مُدخل", "not given"),
    "products_title": Text("Produits et étiquettes", "المنتجات والملصقات", "Products and labels"),
    "batches": Text("Lots d'étiquettes", "دفعات الملصقات", "Label batches"),
    "batch_line": Text(
        "Lot n° {id} · {quantity} étiquettes · certificat {code}",
        "الدفعة رقم {id} · {quantity} ملصقا · الشهادة {code}",
        "Batch {id} · {quantity} labels · certificate {code}",
    ),
    "batch_issued": Text("émis le {day}", "صدرت في {day}", "issued {day}"),
    "batch_status_completed": Text("émis", "صادرة", "issued"),
    "batch_status_queued": Text("en attente", "في الانتظار", "queued"),
    "batch_status_running": Text("en cours", "قيد الإصدار", "running"),
    "batch_status_failed": Text("échoué", "فشل", "failed"),
    "batches_hint": Text(
        "Les étiquettes sont émises par votre chambre ; demandez-lui la planche à imprimer.",
        "تُصدر الملصقات من طرف غرفتكم؛ اطلبوا منها ورقة الطباعة.",
        "Labels are issued by your chamber; ask it for the sheet to print.",
    ),
    "more_batches": Text("Lots plus anciens", "دفعات أقدم", "Older batches"),
}

#: The inspector's shared words (statuses, field names) and the artisan's own.
WORDS: Final[dict[str, Text]] = {**INSPECTOR_WORDS, **_OWN}
