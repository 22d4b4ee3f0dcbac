"""The body administrator's pages in words (French, Arabic, English).

:data:`WORDS` are the pages' own words (``t("key")``); :data:`PROBLEMS` the services'
refusals these pages meet, by problem slug, each saying what happened and what to do next;
:data:`CERTIFICATE_REASONS` and :data:`LABEL_REASONS` the API's reason codes in words.
"""

from __future__ import annotations

from typing import Final

from labeling.workspace.i18n import Text
from schemas.certificates_api import ReasonCode
from schemas.labels_api import LabelReasonCode

__all__ = ["CERTIFICATE_REASONS", "LABEL_REASONS", "PROBLEMS", "WORDS"]

CERTIFICATE_REASONS: Final[dict[str, Text]] = {
    ReasonCode.SURVEILLANCE_NONCONFORMITY: Text(
        "Non-conformité constatée en surveillance",
        "عدم مطابقة رُصد أثناء المراقبة",
        "Non-conformity found in surveillance",
    ),
    ReasonCode.ARTISAN_REQUEST: Text(
        "À la demande de l'artisan", "بطلب من الصانع", "At the artisan's request"
    ),
    ReasonCode.CORRECTIVE_ACTION_CLOSED: Text(
        "Action corrective vérifiée", "تم التحقق من الإجراء التصحيحي", "Corrective action verified"
    ),
    ReasonCode.LABEL_MISUSE: Text(
        "Étiquettes utilisées hors du périmètre certifié",
        "استعمال العلامات خارج النطاق المشهود به",
        "Labels used outside the certified scope",
    ),
    ReasonCode.FRAUD: Text(
        "Fraude (preuves falsifiées, étiquettes contrefaites)",
        "غش (أدلة مزورة أو علامات مقلدة)",
        "Fraud (falsified evidence, counterfeit labels)",
    ),
    ReasonCode.ADMINISTRATIVE_ERROR: Text(
        "Erreur administrative", "خطأ إداري", "Administrative error"
    ),
    ReasonCode.OTHER: Text(
        "Autre motif (à préciser)", "سبب آخر (يجب توضيحه)", "Other reason (explain it)"
    ),
}

LABEL_REASONS: Final[dict[str, Text]] = {
    LabelReasonCode.LOST_OR_STOLEN: Text("Perdues ou volées", "مفقودة أو مسروقة", "Lost or stolen"),
    LabelReasonCode.DAMAGED: Text("Abîmées", "تالفة", "Damaged"),
    LabelReasonCode.MISPRINTED: Text("Mal imprimées", "طُبعت بشكل خاطئ", "Misprinted"),
    LabelReasonCode.COUNTERFEIT_SUSPECTED: Text(
        "Contrefaçon soupçonnée", "اشتباه في التقليد", "Counterfeit suspected"
    ),
    LabelReasonCode.NOT_APPLIED: Text(
        "Jamais posées sur un article", "لم توضع على أي منتج", "Never applied to an item"
    ),
    LabelReasonCode.INSPECTION_HOLD: Text(
        "En attente d'inspection", "في انتظار التفتيش", "Held pending inspection"
    ),
    LabelReasonCode.INSPECTION_CLEARED: Text(
        "Inspection sans suite", "تفتيش بلا ملاحظات", "Inspection cleared"
    ),
    LabelReasonCode.ADMINISTRATIVE_ERROR: Text(
        "Erreur administrative", "خطأ إداري", "Administrative error"
    ),
}

WORDS: Final[dict[str, Text]] = {
    # navigation
    "nav_inspectors": Text("Inspecteurs", "المفتشون", "Inspectors"),
    "nav_certificates": Text("Certificats", "الشهادات", "Certificates"),
    "nav_batches": Text("Lots d'étiquettes", "دفعات العلامات", "Label batches"),
    "nav_keys": Text("Clés et journal", "المفاتيح والسجل", "Keys and log"),
    # home
    "admin_home_title": Text("Mon organisme", "هيئتي", "My body"),
    "admin_welcome": Text("Bonjour {name}.", "مرحبا {name}.", "Hello {name}."),
    "home_expiring": Text(
        "Certificats qui expirent dans les {days} jours",
        "شهادات تنتهي صلاحيتها خلال {days} يوما",
        "Certificates expiring within {days} days",
    ),
    "home_suspended": Text("Certificats suspendus", "شهادات معلّقة", "Suspended certificates"),
    "home_running": Text(
        "Lots d'étiquettes en cours d'émission",
        "دفعات علامات قيد الإصدار",
        "Label batches being issued",
    ),
    "none_now": Text("Aucun pour l'instant.", "لا شيء حاليا.", "None at the moment."),
    "see_all": Text("Tout voir", "عرض الكل", "See all"),
    # lists and pages
    "pages": Text("Pages", "الصفحات", "Pages"),
    "next_page": Text("Page suivante", "الصفحة التالية", "Next page"),
    "first_page": Text("Première page", "الصفحة الأولى", "First page"),
    "filter": Text("Filtrer", "تصفية", "Filter"),
    "filters": Text("Filtres", "عوامل التصفية", "Filters"),
    "all": Text("Tous", "الكل", "All"),
    "cancel": Text("Annuler", "إلغاء", "Cancel"),
    "done": Text("C'est fait.", "تم ذلك.", "Done."),
    # inspectors
    "inspectors_title": Text(
        "Inspecteurs de mon organisme", "مفتشو هيئتي", "Inspectors of my body"
    ),
    "inspector_authorised_for": Text("Habilité pour :", "مؤهل لـ:", "Authorised for:"),
    "no_authorisation": Text("Aucune habilitation", "لا يوجد أي تأهيل", "No authorisation"),
    "add_inspector": Text("Ajouter un inspecteur", "إضافة مفتش", "Add an inspector"),
    "f_display_name": Text("Nom complet", "الاسم الكامل", "Full name"),
    "f_email": Text("Adresse e-mail", "البريد الإلكتروني", "E-mail address"),
    "f_password": Text("Mot de passe initial", "كلمة المرور الأولية", "Initial password"),
    "h_password": Text(
        "Au moins 12 caractères. Remettez-le à l'inspecteur en main propre.",
        "12 حرفا على الأقل. سلّموها للمفتش يدا بيد.",
        "At least 12 characters. Hand it to the inspector in person.",
    ),
    "inspector_added": Text(
        "Le compte de {name} est ouvert. Habilitez-le maintenant pour les labels qu'il inspectera.",
        "فُتح حساب {name}. أهّلوه الآن للعلامات التي سيفتش عليها.",
        "{name}'s account is open. Now authorise them for the labels they will inspect.",
    ),
    "authorisations": Text("Habilitations", "التأهيلات", "Authorisations"),
    "authorised_since": Text("depuis le {day}", "منذ {day}", "since {day}"),
    "withdrawn_on": Text("retirée le {day}", "سُحبت في {day}", "withdrawn on {day}"),
    "grant": Text("Habiliter", "تأهيل", "Authorise"),
    "grant_for": Text("Habiliter pour un label", "التأهيل لعلامة", "Authorise for a label scheme"),
    "f_scheme": Text("Label", "العلامة", "Label scheme"),
    "withdraw_authorisation": Text(
        "Retirer l'habilitation", "سحب التأهيل", "Withdraw the authorisation"
    ),
    "authorisation_granted": Text(
        "Habilitation accordée pour {scheme}.",
        "مُنح التأهيل لـ {scheme}.",
        "Authorised for {scheme}.",
    ),
    "authorisation_withdrawn": Text(
        "Habilitation pour {scheme} retirée : elle s'applique tout de suite, même à une "
        "session ouverte.",
        "سُحب التأهيل لـ {scheme}: يسري فورا، حتى على جلسة مفتوحة.",
        "Authorisation for {scheme} withdrawn: it applies at once, even to an open session.",
    ),
    "inactive_account": Text("compte désactivé", "حساب معطل", "account disabled"),
    # certificates
    "certificates_title": Text(
        "Certificats de mon organisme", "شهادات هيئتي", "Certificates of my body"
    ),
    "f_status": Text("Statut", "الحالة", "Status"),
    "f_region": Text("Région de l'artisan", "جهة الصانع", "Artisan's region"),
    "f_craft": Text("Filière", "الشعبة", "Craft sector"),
    "f_expiring": Text("Expire dans les N jours", "تنتهي خلال N يوما", "Expiring within N days"),
    "h_expiring": Text(
        "Certificats en vigueur seulement ; laissez vide pour tous.",
        "الشهادات السارية فقط؛ اتركوه فارغا لعرض الكل.",
        "Certificates in force only; leave empty for all.",
    ),
    "certificates_count": Text(
        "{total} certificat(s) correspondent.",
        "{total} شهادة مطابقة.",
        "{total} certificate(s) match.",
    ),
    "certificates_none": Text(
        "Aucun certificat ne correspond à ces filtres. Élargissez-les.",
        "لا توجد شهادة مطابقة لعوامل التصفية هذه. وسّعوها.",
        "No certificate matches these filters. Widen them.",
    ),
    "status_active": Text("en vigueur", "سارية", "active"),
    "status_suspended": Text("suspendu", "معلّقة", "suspended"),
    "status_withdrawn": Text("retiré", "مسحوبة", "withdrawn"),
    "status_expired": Text("expiré", "منتهية", "expired"),
    "valid_until": Text("valable jusqu'au {day}", "صالحة إلى غاية {day}", "valid until {day}"),
    "certificate": Text("Certificat", "الشهادة", "Certificate"),
    "artisan": Text("Artisan", "الصانع", "Artisan"),
    "scheme": Text("Label", "العلامة", "Label scheme"),
    "validity": Text("Validité", "الصلاحية", "Validity"),
    "from_to": Text("du {start} au {end}", "من {start} إلى {end}", "from {start} to {end}"),
    "region": Text("Région", "الجهة", "Region"),
    "audit": Text("Audit", "التدقيق", "Audit"),
    "audit_no": Text("Audit n° {id}", "التدقيق رقم {id}", "Audit no. {id}"),
    "public_page": Text("Page publique", "الصفحة العمومية", "Public page"),
    "history": Text("Historique", "السجل", "History"),
    "by": Text("par {name}", "من طرف {name}", "by {name}"),
    "reason": Text("Motif", "السبب", "Reason"),
    "reason_is": Text("Motif :", "السبب:", "Reason:"),
    "action_issued": Text("Délivré", "مُنحت", "Issued"),
    "action_suspended": Text("Suspendu", "عُلّقت", "Suspended"),
    "action_reinstated": Text("Rétabli", "أُعيد العمل بها", "Reinstated"),
    "action_withdrawn": Text("Retiré", "سُحبت", "Withdrawn"),
    "reason_audit_passed": Text("Audit réussi", "تدقيق ناجح", "Audit passed"),
    "decisions": Text("Décisions", "القرارات", "Decisions"),
    "no_decision": Text(
        "Ce certificat est retiré : aucune décision n'est plus possible.",
        "هذه الشهادة مسحوبة: لم يعد أي قرار ممكنا.",
        "This certificate is withdrawn: no further decision is possible.",
    ),
    "do_suspend": Text("Suspendre", "تعليق", "Suspend"),
    "do_reinstate": Text("Rétablir", "إعادة العمل", "Reinstate"),
    "do_withdraw": Text("Retirer", "سحب", "Withdraw"),
    "confirm_suspend": Text(
        "Suspendre le certificat {code}", "تعليق الشهادة {code}", "Suspend certificate {code}"
    ),
    "confirm_reinstate": Text(
        "Rétablir le certificat {code}",
        "إعادة العمل بالشهادة {code}",
        "Reinstate certificate {code}",
    ),
    "confirm_withdraw": Text(
        "Retirer le certificat {code}", "سحب الشهادة {code}", "Withdraw certificate {code}"
    ),
    "effect_suspend": Text(
        "Dès la confirmation, les étiquettes de ce certificat ne sont plus vérifiées comme "
        "authentiques, et aucune nouvelle étiquette ne peut être émise. Vous pourrez le "
        "rétablir tant qu'il n'a pas expiré.",
        "بمجرد التأكيد، لن يُتحقق من علامات هذه الشهادة على أنها أصلية، ولا يمكن إصدار علامات "
        "جديدة. يمكنكم إعادة العمل بها ما لم تنته صلاحيتها.",
        "Once confirmed, this certificate's labels no longer verify as authentic and no new "
        "label can be issued. You can reinstate it as long as it has not expired.",
    ),
    "effect_reinstate": Text(
        "Dès la confirmation, les étiquettes de ce certificat sont de nouveau vérifiées comme "
        "authentiques (sauf celles révoquées une à une).",
        "بمجرد التأكيد، يُتحقق من علامات هذه الشهادة مجددا على أنها أصلية (باستثناء تلك التي "
        "أُلغيت فرديا).",
        "Once confirmed, this certificate's labels verify as authentic again (except those "
        "revoked one by one).",
    ),
    "effect_withdraw": Text(
        "Le retrait est définitif : le certificat ne pourra plus être rétabli, et ses "
        "étiquettes ne seront plus jamais vérifiées comme authentiques. La décision et son "
        "motif (sans la note) sont inscrits au journal public.",
        "السحب نهائي: لا يمكن إعادة العمل بالشهادة، ولن يُتحقق من علاماتها كأصلية أبدا. يُسجّل "
        "القرار وسببه (دون الملاحظة) في السجل العمومي.",
        "Withdrawal is final: the certificate can never be reinstated and its labels will "
        "never verify as authentic again. The decision and its reason (not the note) go "
        "into the public log.",
    ),
    "f_reason_code": Text("Motif", "السبب", "Reason"),
    "f_reason_text": Text("Note", "ملاحظة", "Note"),
    "h_reason_text": Text(
        "Obligatoire pour « Autre motif ». Gardée dans l'historique, jamais publiée.",
        "إجبارية لـ«سبب آخر». تُحفظ في السجل ولا تُنشر أبدا.",
        "Required for “Other reason”. Kept in the history, never published.",
    ),
    "done_suspended": Text(
        "Le certificat {code} est suspendu.",
        "عُلّقت الشهادة {code}.",
        "Certificate {code} is suspended.",
    ),
    "done_reinstated": Text(
        "Le certificat {code} est rétabli.",
        "أُعيد العمل بالشهادة {code}.",
        "Certificate {code} is reinstated.",
    ),
    "done_withdrawn": Text(
        "Le certificat {code} est retiré.",
        "سُحبت الشهادة {code}.",
        "Certificate {code} is withdrawn.",
    ),
    # label batches
    "batches_title": Text("Lots d'étiquettes", "دفعات العلامات", "Label batches"),
    "batch_no": Text("Lot n° {id}", "الدفعة رقم {id}", "Batch no. {id}"),
    "batch_status_queued": Text("en attente", "في الانتظار", "queued"),
    "batch_status_running": Text("en cours", "قيد الإصدار", "running"),
    "batch_status_completed": Text("terminé", "مكتملة", "completed"),
    "batch_status_failed": Text("échoué", "فشلت", "failed"),
    "labels_count": Text("{count} étiquettes", "{count} علامة", "{count} labels"),
    "progress": Text(
        "{done} étiquettes signées sur {total}",
        "وُقّعت {done} علامة من أصل {total}",
        "{done} of {total} labels signed",
    ),
    "progress_label": Text("Avancement", "التقدم", "Progress"),
    "refreshing": Text(
        "Cette page se met à jour toute seule toutes les quelques secondes ; vous pouvez "
        "aussi la quitter, l'émission continue.",
        "تتحدّث هذه الصفحة تلقائيا كل بضع ثوان؛ ويمكنكم مغادرتها، فالإصدار يتواصل.",
        "This page updates itself every few seconds; you may also leave it, issuance goes on.",
    ),
    "refresh_now": Text("Actualiser", "تحديث", "Refresh"),
    "batch_failed": Text(
        "Aucune étiquette n'a été émise ({failure}). Corrigez la cause puis émettez un "
        "nouveau lot.",
        "لم تُصدر أي علامة ({failure}). عالجوا السبب ثم أصدروا دفعة جديدة.",
        "No label was issued ({failure}). Fix the cause, then issue a new batch.",
    ),
    "issue_batch": Text("Émettre des étiquettes", "إصدار علامات", "Issue labels"),
    "issue_batch_for": Text(
        "Émettre des étiquettes — certificat {code}",
        "إصدار علامات — الشهادة {code}",
        "Issue labels — certificate {code}",
    ),
    "f_product_line": Text("Ligne de produits", "خط المنتجات", "Product line"),
    "f_quantity": Text("Nombre d'étiquettes", "عدد العلامات", "Number of labels"),
    "h_quantity": Text(
        "De 1 à 100 000. Au-delà de {threshold}, l'émission se fait en arrière-plan et la "
        "page du lot montre l'avancement.",
        "من 1 إلى 100000. فوق {threshold}، يجري الإصدار في الخلفية وتعرض صفحة الدفعة التقدم.",
        "From 1 to 100,000. Above {threshold}, issuance runs in the background and the "
        "batch page shows the progress.",
    ),
    "issue": Text("Émettre", "إصدار", "Issue"),
    "batch_issued": Text(
        "Lot émis : {count} étiquettes signées.",
        "صدرت الدفعة: {count} علامة موقعة.",
        "Batch issued: {count} labels signed.",
    ),
    "batch_queued": Text(
        "Lot accepté : l'émission se poursuit en arrière-plan.",
        "قُبلت الدفعة: يتواصل الإصدار في الخلفية.",
        "Batch accepted: issuance goes on in the background.",
    ),
    "downloads": Text("Téléchargements", "التنزيلات", "Downloads"),
    "download_sheet": Text(
        "Planche PDF à imprimer (A4)", "لوحة PDF للطباعة (A4)", "Print sheet, PDF (A4)"
    ),
    "download_sheet_part": Text(
        "Planche PDF, étiquettes {first} à {last}",
        "لوحة PDF، العلامات من {first} إلى {last}",
        "PDF sheet, labels {first} to {last}",
    ),
    "labels": Text("Étiquettes", "العلامات", "Labels"),
    "serial": Text("Série", "الرقم التسلسلي", "Serial"),
    "label_status_active": Text("active", "نشطة", "active"),
    "label_status_suspended": Text("suspendue", "معلقة", "suspended"),
    "label_status_revoked": Text("révoquée", "ملغاة", "revoked"),
    "artwork_svg": Text("Visuel SVG", "تصميم SVG", "SVG artwork"),
    "artwork_png": Text("Visuel PNG", "تصميم PNG", "PNG artwork"),
    "artwork_of": Text(
        "Visuel {format} de l'étiquette {serial}",
        "تصميم {format} للعلامة {serial}",
        "{format} artwork of label {serial}",
    ),
    "revoke": Text("Révoquer", "إلغاء", "Revoke"),
    "revoke_label_of": Text(
        "Révoquer l'étiquette {serial}", "إلغاء العلامة {serial}", "Revoke label {serial}"
    ),
    "revoke_batch": Text("Révoquer tout le lot", "إلغاء الدفعة كاملة", "Revoke the whole batch"),
    "confirm_revoke_label": Text(
        "Révoquer l'étiquette {serial}", "إلغاء العلامة {serial}", "Revoke label {serial}"
    ),
    "confirm_revoke_batch": Text(
        "Révoquer les étiquettes du lot n° {id}",
        "إلغاء علامات الدفعة رقم {id}",
        "Revoke the labels of batch no. {id}",
    ),
    "effect_revoke": Text(
        "La révocation est définitive : une étiquette révoquée est vérifiée comme révoquée "
        "pour toujours. Elle est inscrite au journal public avec son motif.",
        "الإلغاء نهائي: تظهر العلامة الملغاة عند التحقق كملغاة إلى الأبد. ويُسجّل الإلغاء "
        "وسببه في السجل العمومي.",
        "Revocation is final: a revoked label verifies as revoked for ever. It goes into "
        "the public log with its reason.",
    ),
    "effect_revoke_batch": Text(
        "{count} étiquettes de ce lot seront révoquées (celles déjà révoquées restent "
        "telles quelles).",
        "ستُلغى {count} علامة من هذه الدفعة (تبقى الملغاة سلفا كما هي).",
        "{count} labels of this batch will be revoked (those already revoked stay so).",
    ),
    "revoked_count": Text(
        "{count} étiquette(s) révoquée(s).", "أُلغيت {count} علامة.", "{count} label(s) revoked."
    ),
    "labels_none": Text(
        "Les étiquettes apparaîtront ici quand le lot sera terminé.",
        "ستظهر العلامات هنا عند اكتمال الدفعة.",
        "The labels will show here once the batch is completed.",
    ),
    "issued_at": Text("Émis le", "صدرت في", "Issued on"),
    "key_id": Text("Clé", "المفتاح", "Key"),
    # keys and log
    "keys_title": Text(
        "Clés du registre et journal", "مفاتيح السجل وسجل الشفافية", "Registry keys and log"
    ),
    "keys_intro": Text(
        "Lecture seule. Les clés de signature des étiquettes, telles que la liste de "
        "confiance publiée les présente (jamais une clé privée). Une rotation ou une "
        "compromission se fait en ligne de commande (khatem keys).",
        "للاطلاع فقط. مفاتيح توقيع العلامات كما تعرضها قائمة الثقة المنشورة (دون أي مفتاح خاص). "
        "يجري تدوير المفاتيح أو التصريح باختراقها عبر سطر الأوامر (khatem keys).",
        "Read only. The label-signing keys as the published trust list shows them (never a "
        "private key). Rotation or compromise is done on the command line (khatem keys).",
    ),
    "label_keys": Text(
        "Clés de signature des étiquettes", "مفاتيح توقيع العلامات", "Label-signing keys"
    ),
    "key_status": Text("État", "الحالة", "State"),
    "key_in_use": Text("en service", "قيد الاستعمال", "in use"),
    "key_retired": Text("retirée le {moment}", "أُوقف في {moment}", "retired on {moment}"),
    "key_compromised": Text(
        "compromise depuis le {moment}", "مُخترق منذ {moment}", "compromised since {moment}"
    ),
    "key_since": Text("Depuis", "منذ", "Since"),
    "public_key": Text("Clé publique", "المفتاح العمومي", "Public key"),
    "root_key": Text(
        "Clé racine (signe la liste et le journal) :",
        "المفتاح الجذر (يوقع القائمة والسجل):",
        "Root key (signs the list and the log):",
    ),
    "trust_list_issued": Text(
        "Liste de confiance signée le {moment}",
        "قائمة الثقة موقعة في {moment}",
        "Trust list signed on {moment}",
    ),
    "log_title": Text("Journal de transparence", "سجل الشفافية", "Transparency log"),
    "log_origin": Text("Origine", "المصدر", "Origin"),
    "log_size": Text("Entrées", "المدخلات", "Entries"),
    "log_root": Text(
        "Racine (SHA-256, base64)", "الجذر (SHA-256، base64)", "Root (SHA-256, base64)"
    ),
    "log_signed_at": Text(
        "Point de contrôle signé le", "نقطة المراقبة موقعة في", "Checkpoint signed on"
    ),
    "log_note": Text("Point de contrôle signé", "نقطة المراقبة الموقعة", "Signed checkpoint"),
    "log_unavailable": Text(
        "Aucun point de contrôle n'est encore signé. Il le sera dès que la clé racine sera "
        "disponible sur ce serveur.",
        "لم تُوقّع أي نقطة مراقبة بعد. ستوقع بمجرد توفر المفتاح الجذر على هذا الخادم.",
        "No checkpoint is signed yet. One will be as soon as the root key is available on "
        "this server.",
    ),
    "keys_unavailable": Text(
        "La liste de confiance ne peut pas être signée ici : la clé racine n'est pas "
        "disponible sur ce serveur. Prévenez l'exploitant du registre.",
        "لا يمكن توقيع قائمة الثقة هنا: المفتاح الجذر غير متاح على هذا الخادم. أخبروا مشغل السجل.",
        "The trust list cannot be signed here: the root key is not available on this "
        "server. Tell the registry's operator.",
    ),
}

PROBLEMS: Final[dict[str, Text]] = {
    "certificate-not-found": Text(
        "Ce certificat n'existe pas ou n'est pas de votre organisme. Cherchez-le dans la "
        "liste des certificats.",
        "هذه الشهادة غير موجودة أو لا تخص هيئتكم. ابحثوا عنها في قائمة الشهادات.",
        "This certificate does not exist or is not your body's. Look for it in the list "
        "of certificates.",
    ),
    "invalid-transition": Text(
        "Impossible maintenant : le certificat est {status_now}. Rechargez sa page pour voir "
        "les décisions encore possibles.",
        "غير ممكن الآن: حالة الشهادة {status_now}. أعيدوا تحميل صفحتها لرؤية القرارات الممكنة.",
        "Not possible now: the certificate is {status_now}. Reload its page to see the "
        "decisions still possible.",
    ),
    "inspector-not-found": Text(
        "Cet inspecteur n'existe pas ou n'est pas de votre organisme. Choisissez-le dans la "
        "liste des inspecteurs.",
        "هذا المفتش غير موجود أو لا ينتمي إلى هيئتكم. اختاروه من قائمة المفتشين.",
        "This inspector does not exist or is not in your body. Choose them from the list "
        "of inspectors.",
    ),
    "scheme-not-found": Text(
        "Ce label n'existe pas dans le catalogue. Choisissez-en un dans la liste.",
        "هذه العلامة غير موجودة في الدليل. اختاروا واحدة من القائمة.",
        "This label scheme is not in the catalogue. Choose one from the list.",
    ),
    "authorisation-not-found": Text(
        "Cet inspecteur n'a pas (ou plus) cette habilitation : rien à retirer.",
        "لا يملك هذا المفتش (أو لم يعد يملك) هذا التأهيل: لا شيء لسحبه.",
        "This inspector does not (or no longer) hold this authorisation: nothing to withdraw.",
    ),
    "email-taken": Text(
        "Un compte utilise déjà cette adresse. Choisissez-en une autre, ou retrouvez "
        "l'inspecteur dans la liste.",
        "يوجد حساب يستعمل هذا البريد. اختاروا بريدا آخر أو ابحثوا عن المفتش في القائمة.",
        "An account already uses this address. Choose another, or find the inspector in the list.",
    ),
    "label-batch-not-found": Text(
        "Ce lot n'existe pas ou n'est pas de votre organisme. Cherchez-le dans la liste des lots.",
        "هذه الدفعة غير موجودة أو لا تخص هيئتكم. ابحثوا عنها في قائمة الدفعات.",
        "This batch does not exist or is not your body's. Look for it in the list of batches.",
    ),
    "label-not-found": Text(
        "Cette étiquette n'existe pas ou n'est pas de votre organisme.",
        "هذه العلامة غير موجودة أو لا تخص هيئتكم.",
        "This label does not exist or is not your body's.",
    ),
    "invalid-label-transition": Text(
        "Cette étiquette est déjà {current_status} : rien n'a changé.",
        "هذه العلامة {current_status} سلفا: لم يتغير شيء.",
        "This label is already {current_status}: nothing changed.",
    ),
    "certificate-suspended": Text(
        "Le certificat est suspendu : aucune étiquette ne peut être émise. Rétablissez-le d'abord.",
        "الشهادة معلقة: لا يمكن إصدار أي علامة. أعيدوا العمل بها أولا.",
        "The certificate is suspended: no label can be issued. Reinstate it first.",
    ),
    "certificate-withdrawn": Text(
        "Le certificat est retiré : aucune étiquette ne peut plus être émise.",
        "الشهادة مسحوبة: لم يعد ممكنا إصدار أي علامة.",
        "The certificate is withdrawn: no label can be issued any more.",
    ),
    "certificate-expired": Text(
        "Le certificat a expiré : un nouvel audit et un nouveau certificat sont nécessaires.",
        "انتهت صلاحية الشهادة: يلزم تدقيق جديد وشهادة جديدة.",
        "The certificate has expired: a new audit and a new certificate are needed.",
    ),
    "certificate-not-yet-valid": Text(
        "Le certificat n'est pas encore en vigueur : émettez les étiquettes à partir de sa "
        "date de début.",
        "الشهادة لم تدخل حيز التنفيذ بعد: أصدروا العلامات ابتداء من تاريخ بدايتها.",
        "The certificate is not in force yet: issue labels from its start date.",
    ),
    "product-line-out-of-scope": Text(
        "Cette ligne de produits n'est pas couverte par le certificat. Choisissez-en une de "
        "la liste.",
        "خط المنتجات هذا لا تشمله الشهادة. اختاروا واحدا من القائمة.",
        "This product line is not covered by the certificate. Choose one from the list.",
    ),
    "batch-too-large": Text(
        "Au plus {limit} étiquettes par lot : émettez plusieurs lots.",
        "على الأكثر {limit} علامة في الدفعة: أصدروا عدة دفعات.",
        "At most {limit} labels per batch: issue several batches.",
    ),
    "batch-in-progress": Text(
        "Le lot n'est pas terminé : la planche sera prête quand toutes ses étiquettes "
        "seront signées. Suivez l'avancement sur la page du lot.",
        "الدفعة لم تكتمل: ستكون اللوحة جاهزة عند توقيع كل علاماتها. تابعوا التقدم في صفحة الدفعة.",
        "The batch is not finished: the sheet will be ready once all its labels are "
        "signed. Follow the progress on the batch page.",
    ),
    "signer-unavailable": Text(
        "La clé de signature n'est pas disponible : aucune étiquette n'a été émise. "
        "Réessayez dans quelques minutes, le même formulaire n'émettra qu'un lot.",
        "مفتاح التوقيع غير متاح: لم تُصدر أي علامة. أعيدوا المحاولة بعد دقائق، ولن يُصدر "
        "النموذج نفسه إلا دفعة واحدة.",
        "The signing key is not available: no label was issued. Try again in a few "
        "minutes; the same form issues one batch only.",
    ),
    "idempotency-key-reused": Text(
        "Ce formulaire a déjà servi pour un autre lot. Rechargez-le et recommencez.",
        "استُعمل هذا النموذج لدفعة أخرى. أعيدوا تحميله وحاولوا من جديد.",
        "This form was already used for another batch. Reload it and start again.",
    ),
    "certificate-cursor-invalid": Text(
        "Ce lien de page n'est plus valable : revenez à la première page.",
        "رابط الصفحة هذا لم يعد صالحا: عودوا إلى الصفحة الأولى.",
        "This page link is no longer valid: go back to the first page.",
    ),
    "batch-cursor-invalid": Text(
        "Ce lien de page n'est plus valable : revenez à la première page.",
        "رابط الصفحة هذا لم يعد صالحا: عودوا إلى الصفحة الأولى.",
        "This page link is no longer valid: go back to the first page.",
    ),
    "account-details-invalid": Text(
        "Vérifiez l'adresse e-mail et le mot de passe (12 caractères au moins).",
        "تحققوا من البريد الإلكتروني وكلمة المرور (12 حرفا على الأقل).",
        "Check the e-mail address and the password (at least 12 characters).",
    ),
}
