"""The report cases' pages in words (French, Arabic, English): :mod:`.cases`."""

from __future__ import annotations

from typing import Final

from labeling.workspace.i18n import Text

__all__ = ["PROBLEMS", "WORDS"]

WORDS: Final[dict[str, Text]] = {
    "nav_cases": Text("Signalements", "البلاغات", "Reports"),
    "cases_title": Text(
        "Signalements de contrefaçon", "بلاغات التقليد", "Reports of suspected fakes"
    ),
    "cases_intro": Text(
        "Des acheteurs signalent des articles qui pourraient porter une copie d'une étiquette "
        "de vos artisans. Chaque étiquette a au plus un dossier ouvert.",
        "يبلغ المشترون عن منتجات قد تحمل نسخة من ملصق أحد صناعكم. لكل ملصق ملف مفتوح واحد "
        "على الأكثر.",
        "Buyers report items that may carry a copy of one of your artisans' labels. Each "
        "label has at most one open case.",
    ),
    "state_open": Text("Ouverts", "مفتوحة", "Open"),
    "state_closed": Text("Clos", "مغلقة", "Closed"),
    "cases_state": Text("Dossiers", "الملفات", "Cases"),
    "case_no": Text("Dossier n° {id}", "الملف رقم {id}", "Case {id}"),
    "reports_count": Text("{count} signalement(s)", "{count} بلاغ", "{count} report(s)"),
    "case_status_open": Text("Ouvert", "مفتوح", "Open"),
    "case_status_confirmed": Text("Copie confirmée", "نسخة مؤكدة", "Clone confirmed"),
    "case_status_dismissed": Text("Classé sans suite", "حُفظ دون متابعة", "Dismissed"),
    "case_label": Text("Étiquette", "الملصق", "Label"),
    "case_product": Text("Produit", "المنتج", "Product"),
    "case_label_status": Text("Statut de l'étiquette", "حالة الملصق", "Label status"),
    "case_opened": Text("Ouvert le", "فُتح في", "Opened"),
    "case_closed": Text("Clos le", "أُغلق في", "Closed"),
    "case_revoked": Text("L'étiquette a été révoquée.", "أُلغي الملصق.", "The label was revoked."),
    "reports_heading": Text("Ce que disent les acheteurs", "ما يقوله المشترون", "What buyers say"),
    "report_item": Text("Article", "المنتج", "Item"),
    "report_where": Text("Où", "أين", "Where"),
    "report_when": Text("Acheté le", "تاريخ الشراء", "Bought on"),
    "report_contact": Text("Contact", "للتواصل", "Contact"),
    "report_received": Text("Reçu le", "وصل في", "Received"),
    "report_photo": Text("Photo du signalement {id}", "صورة البلاغ {id}", "Photo of report {id}"),
    "report_purged": Text(
        "Données personnelles effacées (durée de conservation écoulée).",
        "مُحيت البيانات الشخصية (انتهت مدة الحفظ).",
        "Personal data erased (retention period over).",
    ),
    "not_given": Text("non précisé", "غير محدد", "not given"),
    "receipts_heading": Text(
        "Réceptions par des détaillants", "الاستلام لدى تجار التجزئة", "Receipts by retailers"
    ),
    "receipts_none": Text(
        "Aucun détaillant n'a enregistré la réception de cette étiquette.",
        "لم يسجل أي تاجر استلام هذا الملصق.",
        "No retailer has recorded a receipt of this label.",
    ),
    "receipt_line": Text(
        "{retailer} ({country}) — envoi {shipment}, le {day}",
        "{retailer} ({country}) — الشحنة {shipment}، في {day}",
        "{retailer} ({country}) — shipment {shipment}, on {day}",
    ),
    "receipt_first": Text("première réception", "أول استلام", "first receipt"),
    "scans_heading": Text("Historique des scans", "سجل المسح", "Scan history"),
    "scans_none": Text(
        "Aucun scan compté pour cette étiquette.",
        "لم يُحتسب أي مسح لهذا الملصق.",
        "No scan of this label was counted.",
    ),
    "scans_note": Text(
        "Scans comptés par jour, par pays lorsque le registre en connaît un ; rien n'identifie "
        "les personnes qui ont scanné.",
        "عمليات المسح محسوبة يومياً، حسب البلد حين يعرفه السجل؛ لا شيء يكشف هوية من قاموا بالمسح.",
        "Scans counted per day, per country where the registry knows one; nothing identifies "
        "the people who scanned.",
    ),
    "scan_day": Text("Jour", "اليوم", "Day"),
    "scan_country": Text("Pays", "البلد", "Country"),
    "scan_count": Text("Scans", "عمليات المسح", "Scans"),
    "scan_country_unknown": Text("inconnu", "غير معروف", "unknown"),
    "decide_heading": Text("Décision", "القرار", "Decision"),
    "decide_intro": Text(
        "Confirmer une copie marque l'étiquette comme suspecte : sa page le dit à chaque "
        "scan, et les détaillants qui l'ont reçue en sont avertis. Chaque décision est "
        "inscrite au journal de transparence (sans rien de ce qu'ont écrit les acheteurs).",
        "تأكيد النسخ يَسِم الملصق بأنه مشبوه: تقول صفحته ذلك عند كل مسح، ويُخطر التجار "
        "الذين استلموه. يُسجَّل كل قرار في سجل الشفافية (دون أي شيء مما كتبه المشترون).",
        "Confirming a clone marks the label as suspicious: its page says so at every scan, "
        "and the retailers that received it are told. Every decision goes into the "
        "transparency log (with nothing the buyers wrote).",
    ),
    "f_revoke": Text(
        "Révoquer aussi l'étiquette (définitif)",
        "إلغاء الملصق أيضاً (نهائي)",
        "Also revoke the label (permanent)",
    ),
    "confirm_clone": Text("Confirmer une copie", "تأكيد النسخ", "Confirm a clone"),
    "dismiss_case": Text("Classer sans suite", "حفظ دون متابعة", "Dismiss"),
    "decided_confirmed": Text(
        "Copie confirmée : l'étiquette est désormais signalée comme suspecte.",
        "تم تأكيد النسخ: الملصق الآن موسوم بأنه مشبوه.",
        "Clone confirmed: the label is now shown as suspicious.",
    ),
    "decided_dismissed": Text(
        "Dossier classé sans suite.", "حُفظ الملف دون متابعة.", "Case dismissed."
    ),
    "back_to_cases": Text("Tous les signalements", "كل البلاغات", "All reports"),
    "marks_link": Text(
        "Étiquettes signalées par les seuils de scans",
        "ملصقات وسمتها عتبات المسح",
        "Labels marked by scan thresholds",
    ),
    "marks_title": Text(
        "Étiquettes signalées par les seuils de scans",
        "ملصقات وسمتها عتبات المسح",
        "Labels marked by scan thresholds",
    ),
    "marks_intro": Text(
        "Ces étiquettes ont été scannées plus souvent, ou dans plus de pays, qu'un seul "
        "objet ne l'est : le registre les montre comme suspectes. Si votre enquête montre "
        "que ces scans étaient légitimes (un salon, une vitrine), levez le signalement : "
        "l'étiquette redevient authentique, les commerçants qui l'ont reçue en sont "
        "informés, et seuls les scans postérieurs compteront désormais.",
        "مُسحت هذه الملصقات أكثر، أو في بلدان أكثر، مما تُمسح به قطعة واحدة: يعرضها السجل "
        "على أنها مشبوهة. إن أظهر تحقيقكم أن هذه المسوح مشروعة (معرض، واجهة متجر)، فارفعوا "
        "الوسم: يعود الملصق أصلياً، ويُبلَّغ التجار الذين استلموه، ولا تُحتسب بعد ذلك إلا "
        "المسوح اللاحقة.",
        "These labels were scanned more often, or in more countries, than one item is: the "
        "registry shows them as suspicious. If your investigation shows the scans were "
        "legitimate (a trade fair, a shop window), lift the mark: the label is authentic "
        "again, the retailers that received it are told, and only later scans count from "
        "then on.",
    ),
    "mark_reason_scanned_too_often": Text(
        "scannée trop souvent", "مُسح أكثر من اللازم", "scanned too often"
    ),
    "mark_reason_scanned_in_many_countries": Text(
        "scannée dans trop de pays", "مُسح في بلدان كثيرة", "scanned in too many countries"
    ),
    "marked_since": Text("signalée le {day}", "وُسم في {day}", "marked on {day}"),
    "lift_heading": Text(
        "Lever le signalement des seuils", "رفع وسم العتبات", "Lift the threshold mark"
    ),
    "f_lift_note": Text(
        "Pourquoi ces scans étaient légitimes",
        "لماذا كانت هذه المسوح مشروعة",
        "Why these scans were legitimate",
    ),
    "f_lift_note_hint": Text(
        "Par exemple : salon de l'artisanat de Paris, du 3 au 9 mars (500 caractères au plus). "
        "Conservé pour votre organisme ; jamais publié.",
        "مثلاً: معرض الصناعة التقليدية بباريس من 3 إلى 9 مارس (500 حرف على الأكثر). "
        "يُحفظ لهيئتكم ولا يُنشر أبداً.",
        "For example: the Paris crafts fair, 3 to 9 March (500 characters at most). Kept for "
        "your body; never published.",
    ),
    "lift_button": Text("Lever le signalement", "رفع الوسم", "Lift the mark"),
    "decided_lifted": Text(
        "Signalement levé : l'étiquette est de nouveau authentique.",
        "رُفع الوسم: الملصق أصلي من جديد.",
        "Mark lifted: the label is authentic again.",
    ),
    "decided_lifted_still": Text(
        "Signalement des seuils levé ; l'étiquette reste suspecte pour d'autres raisons "
        "(réceptions, copie confirmée).",
        "رُفع وسم العتبات؛ يبقى الملصق مشبوهاً لأسباب أخرى (استلامات، نسخة مؤكدة).",
        "Threshold mark lifted; the label stays suspicious for other reasons (receipts, a "
        "confirmed clone).",
    ),
}

PROBLEMS: Final[dict[str, Text]] = {
    "case-not-found": Text(
        "Ce dossier n'existe pas ou ne relève pas de votre organisme.",
        "هذا الملف غير موجود أو لا يخص هيئتكم.",
        "This case does not exist or is not your body's.",
    ),
    "case-closed": Text(
        "Ce dossier a déjà été tranché.", "سبق البت في هذا الملف.", "This case was already decided."
    ),
    "no-mark-to-lift": Text(
        "Cette étiquette n'a plus de signalement de seuil à lever.",
        "لم يعد لهذا الملصق وسم عتبة يمكن رفعه.",
        "This label has no threshold mark left to lift.",
    ),
    "label-not-found": Text(
        "Cette étiquette n'existe pas ou ne relève pas de votre organisme.",
        "هذا الملصق غير موجود أو لا يخص هيئتكم.",
        "This label does not exist or is not your body's.",
    ),
}
