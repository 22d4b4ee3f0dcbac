"""The inspector's pages in words (French, Arabic, English)."""

from __future__ import annotations

from typing import Final

from labeling.workspace.i18n import Text

__all__ = ["ARTISAN_KINDS", "COMPARISONS", "WORDS"]

ARTISAN_KINDS: Final[dict[str, Text]] = {
    "artisan": Text("Artisan", "صانع تقليدي", "Artisan"),
    "maalem": Text("Maâlem", "معلّم", "Maâlem (master craftsman)"),
    "cooperative": Text("Coopérative", "تعاونية", "Cooperative"),
    "entreprise": Text("Entreprise", "مقاولة", "Company"),
}

#: A criterion's comparison, as a sign before its limit.
COMPARISONS: Final[dict[str, str]] = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}

WORDS: Final[dict[str, Text]] = {
    # home
    "home_recent_artisans": Text(
        "Artisans récemment enregistrés", "الصناع المسجلون مؤخرا", "Recently registered artisans"
    ),
    "home_my_audits": Text("Mes derniers audits", "آخر تدقيقاتي", "My latest audits"),
    "home_expiring": Text(
        "Certificats qui expirent dans les 60 jours",
        "شهادات تنتهي صلاحيتها خلال 60 يوما",
        "Certificates expiring within 60 days",
    ),
    "home_suspended": Text("Certificats suspendus", "شهادات معلّقة", "Suspended certificates"),
    "none_yet": Text("Aucun pour l'instant.", "لا شيء حاليا.", "None yet."),
    "see_all": Text("Tout voir", "عرض الكل", "See all"),
    "see_all_audits": Text("Voir tous ses audits", "عرض كل تدقيقاته", "See all their audits"),
    "audits_of": Text("Audits de {name}", "تدقيقات {name}", "Audits of {name}"),
    "find_artisan": Text("Trouver un artisan", "البحث عن صانع", "Find an artisan"),
    "search_label": Text(
        "Nom (latin ou arabe), NIA, ville ou métier",
        "الاسم (باللاتينية أو العربية) أو رقم التعريف أو المدينة أو الحرفة",
        "Name (Latin or Arabic), NIA, city or craft",
    ),
    "search_button": Text("Chercher", "بحث", "Search"),
    "search_results": Text("Résultats pour « {q} »", "نتائج البحث عن «{q}»", "Results for “{q}”"),
    "search_none": Text(
        "Aucun artisan de votre organisme ne correspond. Vérifiez l'orthographe, ou "
        "enregistrez-le.",
        "لا يوجد صانع من هيئتكم يطابق البحث. تحققوا من الإملاء أو سجّلوه.",
        "No artisan of your body matches. Check the spelling, or register them.",
    ),
    "artisans_title": Text("Artisans de mon organisme", "صناع هيئتي", "Artisans of my body"),
    "next_page": Text("Page suivante", "الصفحة التالية", "Next page"),
    "previous_page": Text("Page précédente", "الصفحة السابقة", "Previous page"),
    "first_page": Text("Première page", "الصفحة الأولى", "First page"),
    "pages": Text("Pages", "الصفحات", "Pages"),
    "register_artisan": Text("Enregistrer un artisan", "تسجيل صانع", "Register an artisan"),
    # artisan form
    "f_nia": Text(
        "NIA (numéro d'identification artisan)", "رقم تعريف الصانع", "NIA (artisan id number)"
    ),
    "f_kind": Text("Statut", "الصفة", "Kind"),
    "f_latin": Text("Nom en caractères latins", "الاسم بالحروف اللاتينية", "Name in Latin script"),
    "f_arabic": Text("Nom en arabe", "الاسم بالعربية", "Name in Arabic script"),
    "f_region": Text("Région", "الجهة", "Region"),
    "f_filiere": Text("Filière", "الشعبة", "Craft sector"),
    "f_metier": Text("Métier", "الحرفة", "Craft"),
    "f_city": Text("Ville ou commune", "المدينة أو الجماعة", "Town"),
    "f_national_id": Text("N° de CIN", "رقم البطاقة الوطنية", "National id number"),
    "f_phone": Text("Téléphone", "الهاتف", "Phone"),
    "f_address": Text("Adresse", "العنوان", "Address"),
    "private_hint": Text(
        "Données personnelles : jamais publiées ; vous ne les reverrez pas après l'enregistrement.",
        "معطيات شخصية: لا تُنشر أبدا؛ ولن تطلعوا عليها بعد التسجيل.",
        "Personal data: never published; you will not see it again after saving.",
    ),
    "private_data": Text("Données personnelles", "المعطيات الشخصية", "Personal data"),
    "registered": Text(
        "Artisan enregistré. Ajoutez ses lignes de produits, puis enregistrez un audit.",
        "تم تسجيل الصانع. أضيفوا خطوط منتجاته ثم سجّلوا تدقيقا.",
        "Artisan registered. Add their product lines, then record an audit.",
    ),
    # artisan page
    "registry_id": Text("Identifiant registre", "معرف السجل", "Registry id"),
    "product_lines": Text("Lignes de produits", "خطوط المنتجات", "Product lines"),
    "add_product_line": Text(
        "Ajouter une ligne de produits", "إضافة خط منتجات", "Add a product line"
    ),
    "f_family": Text(
        "Famille (tapis, poterie, zellige…)",
        "الصنف (زربية، فخار، زليج…)",
        "Family (carpet, pottery, zellige…)",
    ),
    "f_product_name": Text("Nom du produit", "اسم المنتج", "Product name"),
    "f_materials": Text("Matières", "المواد", "Materials"),
    "materials_hint": Text(
        "Séparées par des virgules : laine, teintures naturelles",
        "مفصولة بفواصل: صوف، أصباغ طبيعية",
        "Separated by commas: wool, natural dyes",
    ),
    "f_gtin": Text("GTIN", "رمز GTIN", "GTIN"),
    "gtin_hint": Text(
        "Laissez vide : le registre en attribue un.",
        "اتركوه فارغا ليمنح السجل رمزا.",
        "Leave empty and the registry assigns one.",
    ),
    "line_added": Text("Ligne de produits ajoutée.", "أضيف خط المنتجات.", "Product line added."),
    "audits": Text("Audits", "التدقيقات", "Audits"),
    "certificates": Text("Certificats", "الشهادات", "Certificates"),
    "record_audit": Text("Enregistrer un audit", "تسجيل تدقيق", "Record an audit"),
    "f_scheme": Text("Label", "العلامة", "Label scheme"),
    "start_audit": Text(
        "Ouvrir le formulaire d'audit", "فتح استمارة التدقيق", "Open the audit form"
    ),
    "no_authorisation": Text(
        "Vous n'êtes habilité pour aucun label. Demandez une habilitation à l'administrateur de "
        "votre organisme.",
        "لستم مؤهلين لأي علامة. اطلبوا التأهيل من مسؤول هيئتكم.",
        "You are authorised for no label scheme. Ask your body's administrator.",
    ),
    # audit form
    "audit_for": Text("Audit — {name}", "تدقيق — {name}", "Audit — {name}"),
    "correction_for": Text(
        "Correction de l'audit n° {id}", "تصحيح التدقيق رقم {id}", "Correction of audit no. {id}"
    ),
    "correction_intro": Text(
        "L'audit d'origine reste tel quel ; la correction est un nouvel audit qui le remplace.",
        "يبقى التدقيق الأصلي كما هو؛ والتصحيح تدقيق جديد يحل محله.",
        "The original audit stays as it was; the correction is a new audit that replaces it.",
    ),
    "scheme_provisional": Text(
        "Label provisoire : certaines caractéristiques ne sont pas établies par les sources "
        "publiques.",
        "علامة مؤقتة: بعض خصائصها غير ثابتة في المصادر العمومية.",
        "Provisional label: some of its details are not established by public sources.",
    ),
    "not_authorised_warning": Text(
        "Vous n'êtes pas habilité pour ce label : le registre refusera cet audit.",
        "لستم مؤهلين لهذه العلامة: سيرفض السجل هذا التدقيق.",
        "You are not authorised for this label: the registry will refuse this audit.",
    ),
    "f_audit_date": Text("Date de l'audit", "تاريخ التدقيق", "Audit date"),
    "f_lines": Text("Produits audités", "المنتجات المدققة", "Products audited"),
    "criteria": Text("Critères", "المعايير", "Criteria"),
    "limit": Text("Limite", "الحد", "Limit"),
    "unit": Text("Unité", "الوحدة", "Unit"),
    "method": Text("Méthode", "الطريقة", "Method"),
    "measured_in": Text("Valeur mesurée, en", "القيمة المقيسة، بوحدة", "Value measured, in"),
    "yes": Text("Oui", "نعم", "Yes"),
    "no": Text("Non", "لا", "No"),
    "observed": Text("Constaté ?", "هل تمت معاينته؟", "Observed?"),
    "criterion_note": Text(
        "Note sur ce critère", "ملاحظة حول هذا المعيار", "Note on this criterion"
    ),
    "provisional": Text("provisoire", "مؤقت", "provisional"),
    "photos": Text("Photos (appareil photo)", "صور (الكاميرا)", "Photos (camera)"),
    "photos_hint": Text(
        "Photographiez le produit, l'atelier, les étiquettes. JPEG, PNG ou WebP.",
        "صوّروا المنتج والورشة والملصقات. JPEG أو PNG أو WebP.",
        "Photograph the product, the workshop, the labels. JPEG, PNG or WebP.",
    ),
    "documents": Text("Rapports (PDF ou image)", "تقارير (PDF أو صورة)", "Reports (PDF or image)"),
    "kept_evidence": Text(
        "Pièces déjà reçues (elles seront jointes) :",
        "مرفقات مستلمة (ستُضمّ):",
        "Files already received (they will be attached):",
    ),
    "f_notes": Text("Observations générales", "ملاحظات عامة", "General notes"),
    "outcome_live": Text("Résultat provisoire :", "النتيجة المؤقتة:", "Provisional outcome:"),
    "outcome_server": Text(
        "Le registre recalcule le résultat à l'enregistrement ; c'est lui qui fait foi.",
        "يعيد السجل حساب النتيجة عند الحفظ؛ ونتيجته هي المعتمدة.",
        "The registry computes the outcome again when you save; its answer is the one that counts.",
    ),
    "pending": Text("à compléter", "غير مكتمل", "incomplete"),
    "pass": Text("Conforme", "مطابق", "Pass"),
    "fail": Text("Non conforme", "غير مطابق", "Fail"),
    "save_audit": Text("Enregistrer l'audit", "حفظ التدقيق", "Save the audit"),
    "save_correction": Text("Enregistrer la correction", "حفظ التصحيح", "Save the correction"),
    # audit page
    "audit_no": Text("Audit n° {id}", "التدقيق رقم {id}", "Audit no. {id}"),
    "outcome": Text("Résultat", "النتيجة", "Outcome"),
    "artisan": Text("Artisan", "الصانع", "Artisan"),
    "scheme": Text("Label", "العلامة", "Label scheme"),
    "recorded_at": Text("Enregistré le", "سُجّل في", "Recorded"),
    "findings": Text("Constatations", "الملاحظات", "Findings"),
    "criterion": Text("Critère", "المعيار", "Criterion"),
    "found": Text("Constaté :", "المعاين:", "Found:"),
    "limit_is": Text("Limite :", "الحد:", "Limit:"),
    "evidence": Text("Pièces", "المرفقات", "Evidence"),
    "corrects": Text("Corrige l'audit n° {id}", "يصحح التدقيق رقم {id}", "Corrects audit no. {id}"),
    "corrected_by": Text(
        "Corrigé par l'audit n° {id}", "صُحّح بالتدقيق رقم {id}", "Corrected by audit no. {id}"
    ),
    "correct": Text("Corriger cet audit", "تصحيح هذا التدقيق", "Correct this audit"),
    "certify": Text(
        "Certifier à partir de cet audit",
        "منح الشهادة انطلاقا من هذا التدقيق",
        "Certify from this audit",
    ),
    "certify_hint": Text(
        "Le certificat couvre les produits audités ; sa validité part de la date de l'audit.",
        "تشمل الشهادة المنتجات المدققة؛ وتسري صلاحيتها من تاريخ التدقيق.",
        "The certificate covers the audited products; it is valid from the audit date.",
    ),
    "certificate_issued": Text(
        "Certificat {code} délivré, valable jusqu'au {until}.",
        "مُنحت الشهادة {code}، صالحة إلى غاية {until}.",
        "Certificate {code} issued, valid until {until}.",
    ),
    "certificate_of_audit": Text("Certificat {code}", "الشهادة {code}", "Certificate {code}"),
    "public_page": Text("page publique", "الصفحة العمومية", "public page"),
    "audit_saved": Text("Audit enregistré.", "تم حفظ التدقيق.", "Audit saved."),
    "valid_until": Text("valable jusqu'au {day}", "صالحة إلى غاية {day}", "valid until {day}"),
    "status_active": Text("en vigueur", "سارية", "active"),
    "status_suspended": Text("suspendu", "معلّقة", "suspended"),
    "status_withdrawn": Text("retiré", "مسحوبة", "withdrawn"),
    "status_expired": Text("expiré", "منتهية", "expired"),
    "my_audits": Text("Mes audits", "تدقيقاتي", "My audits"),
}
