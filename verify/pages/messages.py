"""Every fixed string of the public pages, in French, English, Spanish and Arabic.

A small typed table instead of gettext catalogues: a :class:`~verify.pages.i18n.Text` cannot
be built without all four languages, so a page can never fall back to another language; the
tests also check that placeholders agree across languages. The verdict's own words (verdicts,
checks) are in :mod:`verify.pages.verdict_text`, each reason code's in
:mod:`verify.pages.reason_text`, the statuses' in :mod:`verify.pages.status_text`.
"""

from __future__ import annotations

from typing import Final

from verify.pages.i18n import Text

__all__ = ["UI"]

UI: Final[dict[str, Text]] = {
    # --- the label page's link to the report form (labeling.reports)
    "report_heading": Text(
        "Cet article vous semble faux ?",
        "Does this item look fake?",
        "¿Le parece falso este artículo?",
        "هل يبدو لك هذا المنتج مقلَّداً؟",
    ),
    "report_text": Text(
        "Si l'article ne correspond pas à ce que l'étiquette certifie, ou si vous avez vu "
        "la même étiquette sur d'autres articles, dites-le à l'organisme de certification.",
        "If the item does not match what the label certifies, or you saw the same label "
        "on other items, tell the certification body.",
        "Si el artículo no corresponde a lo que certifica la etiqueta, o vio la misma "
        "etiqueta en otros artículos, avise al organismo de certificación.",
        "إذا كان المنتج لا يطابق ما يشهد به الملصق، أو رأيت الملصق نفسه على منتجات أخرى، "
        "فأبلغ هيئة الاعتماد.",
    ),
    "report_link": Text(
        "Signaler une contrefaçon présumée",
        "Report a suspected fake",
        "Denunciar una posible falsificación",
        "الإبلاغ عن تقليد مشتبه به",
    ),
    # --- every page
    "site_name": Text("Khatem", "Khatem", "Khatem", "خاتم"),
    "site_tagline": Text(
        "Registre des labels « Made in Morocco »",
        "Registry of “Made in Morocco” labels",
        "Registro de las etiquetas «Made in Morocco»",
        "سجل ملصقات «صُنع في المغرب»",
    ),
    "language": Text("Langue", "Language", "Idioma", "اللغة"),
    "home_link": Text("Accueil", "Home", "Inicio", "الرئيسية"),
    "bulk_link": Text(
        "Vérifier un lot (CSV)",
        "Check a batch (CSV)",
        "Verificar un lote (CSV)",
        "التحقق من دفعة (CSV)",
    ),
    "footer": Text(
        "Khatem vérifie les étiquettes signées des produits artisanaux marocains certifiés. "
        "Aucune donnée personnelle n'est affichée.",
        "Khatem checks the signed labels of certified Moroccan handicrafts. "
        "No personal data is shown.",
        "Khatem verifica las etiquetas firmadas de la artesanía marroquí certificada. "
        "No se muestra ningún dato personal.",
        "يتحقق خاتم من الملصقات الموقَّعة للمصنوعات التقليدية المغربية المعتمدة. "
        "لا تُعرض أي بيانات شخصية.",
    ),
    "assumption_note": Text(
        "Donnée provisoire : les sources publiques ne précisent pas encore ce point.",
        "Provisional record: the public sources do not give this detail yet.",
        "Dato provisional: las fuentes públicas aún no precisan este punto.",
        "معطى مؤقت: لا تذكر المصادر العامة هذا التفصيل بعد.",
    ),
    "provisional": Text("provisoire", "provisional", "provisional", "مؤقت"),
    "skip_to_content": Text(
        "Aller au contenu", "Skip to content", "Ir al contenido", "انتقل إلى المحتوى"
    ),
    # Between a name and its value where only a screen reader hears it ("Signature: Passed").
    "label_separator": Text(" :", ":", ":", ":"),
    # --- the label page
    "label_title": Text(
        "Vérification d'étiquette", "Label check", "Verificación de etiqueta", "التحقق من الملصق"
    ),
    "verdict_heading": Text("Résultat", "Result", "Resultado", "النتيجة"),
    "made_by": Text("Fabriqué par", "Made by", "Hecho por", "من صنع"),
    "region": Text("Région", "Region", "Región", "الجهة"),
    "craft": Text("Métier", "Craft", "Oficio", "الحرفة"),
    "scheme": Text("Label", "Label scheme", "Sello", "العلامة"),
    "level": Text("Niveau", "Level", "Nivel", "المستوى"),
    "standards": Text(
        "Normes respectées", "Standards met", "Normas cumplidas", "المعايير المستوفاة"
    ),
    "no_standards": Text(
        "Aucune norme citée", "No standard cited", "Ninguna norma citada", "لا معيار مذكور"
    ),
    "audit_date": Text("Date de l'audit", "Audit date", "Fecha de la auditoría", "تاريخ التدقيق"),
    "certifying_body": Text(
        "Organisme certificateur", "Certifying body", "Organismo certificador", "هيئة الاعتماد"
    ),
    "certificate": Text("Certificat", "Certificate", "Certificado", "الشهادة"),
    "validity": Text("Validité", "Validity", "Validez", "الصلاحية"),
    "validity_range": Text(
        "du {start} au {end}",
        "from {start} to {end}",
        "del {start} al {end}",
        "من {start} إلى {end}",
    ),
    "certificate_link": Text(
        "Voir le certificat public",
        "See the public certificate",
        "Ver el certificado público",
        "عرض الشهادة العامة",
    ),
    "item": Text("L'objet", "The item", "El objeto", "القطعة"),
    "item_unverified": Text(
        "Ce que l'étiquette affirme (non vérifié)",
        "What the label claims (not verified)",
        "Lo que afirma la etiqueta (sin verificar)",
        "ما يدّعيه الملصق (غير مُتحقَّق منه)",
    ),
    "gtin": Text(
        "Code article (GTIN)",
        "Item number (GTIN)",
        "Código de artículo (GTIN)",
        "رقم المنتج (GTIN)",
    ),
    "gtin_note": Text(
        "Un préfixe GS1 611 indique où le code-barres a été attribué, pas où l'objet a été "
        "fabriqué : c'est le certificat ci-dessus qui atteste l'origine.",
        "A 611 GS1 prefix says where the barcode number was allocated, not where the item "
        "was made: the certificate above is what attests the origin.",
        "Un prefijo GS1 611 indica dónde se asignó el código de barras, no dónde se fabricó "
        "el objeto: es el certificado de arriba el que acredita el origen.",
        "تدل البادئة GS1 611 على مكان تخصيص رقم الباركود لا على مكان صنع القطعة: "
        "الشهادة أعلاه هي التي تثبت المنشأ.",
    ),
    "serial": Text("Numéro de série", "Serial number", "Número de serie", "الرقم التسلسلي"),
    "issued_on": Text(
        "Étiquette émise le", "Label issued on", "Etiqueta emitida el", "تاريخ إصدار الملصق"
    ),
    "checks_skipped": Text(
        "Pas vérifié, le résultat étant déjà décidé : {checks}.",
        "Not checked, since the outcome was already decided: {checks}.",
        "No comprobado, pues el resultado ya estaba decidido: {checks}.",
        "لم يُفحص، إذ حُسمت النتيجة بالفعل: {checks}.",
    ),
    "list_separator": Text(", ", ", ", ", ", "، "),
    "checks_heading": Text(
        "Ce qui a été vérifié", "What was checked", "Qué se comprobó", "ما الذي تم فحصه"
    ),
    "checked_at": Text(
        "Vérifié le {moment}", "Checked on {moment}", "Comprobado el {moment}", "فُحص في {moment}"
    ),
    "offline_mode": Text(
        "Vérification hors ligne, données du {moment}",
        "Offline check, data as of {moment}",
        "Verificación sin conexión, datos del {moment}",
        "تحقق دون اتصال، بيانات بتاريخ {moment}",
    ),
    "status_reason": Text(
        "Motif : {reason}", "Reason: {reason}", "Motivo: {reason}", "السبب: {reason}"
    ),
    "no_certificate_facts": Text(
        "Aucune information de certificat ne peut être montrée pour ce code.",
        "No certificate information can be shown for this code.",
        "No se puede mostrar información de certificado para este código.",
        "لا يمكن عرض أي معلومات عن الشهادة لهذا الرمز.",
    ),
    # --- the certificate page
    "certificate_title": Text(
        "Certificat {code}", "Certificate {code}", "Certificado {code}", "الشهادة {code}"
    ),
    "current_status": Text("État actuel", "Current status", "Estado actual", "الحالة الحالية"),
    "since": Text("depuis le {day}", "since {day}", "desde el {day}", "منذ {day}"),
    "scope": Text(
        "Produits couverts", "Products covered", "Productos cubiertos", "المنتجات المشمولة"
    ),
    "no_scope": Text(
        "Aucun produit listé", "No product listed", "Ningún producto listado", "لا منتج مدرج"
    ),
    "status_meaning_active": Text(
        "Les étiquettes émises sous ce certificat sont valables.",
        "Labels issued under this certificate are valid.",
        "Las etiquetas emitidas con este certificado son válidas.",
        "الملصقات الصادرة بموجب هذه الشهادة صالحة.",
    ),
    "status_meaning_suspended": Text(
        "Le certificat est suspendu : ses étiquettes ne valent pas certification tant "
        "qu'il n'est pas rétabli.",
        "The certificate is suspended: its labels do not count as certification until it "
        "is reinstated.",
        "El certificado está suspendido: sus etiquetas no valen como certificación hasta "
        "que se restablezca.",
        "الشهادة موقوفة: لا تُعتبر ملصقاتها اعتمادًا حتى تتم إعادتها.",
    ),
    "status_meaning_withdrawn": Text(
        "Le certificat a été retiré définitivement.",
        "The certificate has been withdrawn for good.",
        "El certificado ha sido retirado definitivamente.",
        "سُحبت الشهادة نهائيًا.",
    ),
    "status_meaning_expired": Text(
        "Le certificat a expiré ; les objets étiquetés pendant sa validité restent authentiques.",
        "The certificate has expired; items labelled while it was valid remain genuine.",
        "El certificado ha caducado; los objetos etiquetados durante su validez siguen "
        "siendo auténticos.",
        "انتهت صلاحية الشهادة؛ وتبقى القطع الموسومة خلال صلاحيتها أصلية.",
    ),
    "badge_heading": Text(
        "Badge à intégrer", "Badge to embed", "Distintivo para insertar", "شارة للتضمين"
    ),
    "badge_help": Text(
        "Copiez ce code dans votre site : le badge montre toujours l'état actuel du "
        "certificat et renvoie à cette page.",
        "Copy this code into your website: the badge always shows the certificate's current "
        "status and links to this page.",
        "Copie este código en su sitio web: el distintivo muestra siempre el estado actual "
        "del certificado y enlaza con esta página.",
        "انسخ هذه الشفرة في موقعك: تُظهر الشارة دائمًا الحالة الحالية للشهادة وتحيل إلى هذه الصفحة.",
    ),
    "badge_alt": Text(
        "Certificat Khatem {code} : {status}",
        "Khatem certificate {code}: {status}",
        "Certificado Khatem {code}: {status}",
        "شهادة خاتم {code}: {status}",
    ),
    "badge_label": Text("Khatem", "Khatem", "Khatem", "خاتم"),
    "badge_unknown": Text("inconnu", "unknown", "desconocido", "غير معروف"),
    # --- the home page
    "home_title": Text(
        "Vérifier une étiquette artisanale marocaine",
        "Check a Moroccan handicraft label",
        "Verificar una etiqueta de artesanía marroquí",
        "تحقق من ملصق مصنوعات تقليدية مغربية",
    ),
    "home_intro": Text(
        "Khatem (« sceau ») est le registre des labels de l'artisanat marocain. Des "
        "inspecteurs auditent les artisans ; chaque objet certifié porte une étiquette "
        "signée, avec un QR code. Scannez-le avec l'appareil photo de votre téléphone, ou "
        "tapez ici ce qui est imprimé à côté.",
        "Khatem (“seal”) is the registry of Moroccan handicraft labels. Inspectors audit "
        "artisans; every certified item carries a signed label with a QR code. Scan it with "
        "your phone's camera, or type here what is printed beside it.",
        "Khatem («sello») es el registro de las etiquetas de la artesanía marroquí. Los "
        "inspectores auditan a los artesanos; cada objeto certificado lleva una etiqueta "
        "firmada con un código QR. Escanéelo con la cámara del móvil o escriba aquí lo que "
        "está impreso a su lado.",
        "خاتم هو سجل ملصقات الصناعة التقليدية المغربية. يدقق المفتشون في عمل الحرفيين، "
        "وتحمل كل قطعة معتمدة ملصقًا موقَّعًا برمز QR. امسحه بكاميرا هاتفك أو اكتب هنا ما "
        "هو مطبوع بجانبه.",
    ),
    "paste_label": Text(
        "Code ou adresse imprimés sur l'étiquette",
        "Code or address printed on the label",
        "Código o dirección impresos en la etiqueta",
        "الرمز أو العنوان المطبوع على الملصق",
    ),
    "home_typed_hint": Text(
        "Le numéro de série, le code du certificat (C-…), l'adresse courte ou l'adresse "
        "complète du QR code.",
        "The serial, the certificate code (C-…), the short address or the QR code's whole address.",
        "El número de serie, el código del certificado (C-…), la dirección corta o la "
        "dirección completa del código QR.",
        "الرقم التسلسلي أو رمز الشهادة (C-…) أو العنوان المختصر أو العنوان الكامل لرمز QR.",
    ),
    "verify_button": Text("Vérifier", "Check", "Verificar", "تحقق"),
    "home_bulk": Text(
        "Vous recevez une marchandise ? Vérifiez jusqu'à 1 000 étiquettes à la fois avec un "
        "fichier CSV.",
        "Receiving goods? Check up to 1,000 labels at once with a CSV file.",
        "¿Recibe mercancía? Verifique hasta 1.000 etiquetas a la vez con un archivo CSV.",
        "هل تستلم بضاعة؟ تحقق من 1000 ملصق دفعة واحدة بملف CSV.",
    ),
    "home_artisans": Text(
        "Artisans : votre page de certificat publique et votre badge sont à l'adresse "
        "/certificates/ suivie du code de votre certificat.",
        "Artisans: your public certificate page and badge are at /certificates/ followed by "
        "your certificate code.",
        "Artesanos: su página pública de certificado y su distintivo están en /certificates/ "
        "seguido del código de su certificado.",
        "أيها الحرفيون: صفحة شهادتكم العامة وشارتكم على العنوان ‎/certificates/‎ متبوعًا "
        "برمز شهادتكم.",
    ),
    # --- what a person typed from a label (verify.pages.typed)
    "typed_title": Text(
        "Ce que le registre sait de ce numéro de série",
        "What the registry knows about this serial",
        "Lo que el registro sabe de este número de serie",
        "ما يعرفه السجل عن هذا الرقم التسلسلي",
    ),
    "typed_record_heading": Text(
        "Étiquette enregistrée", "Registered label", "Etiqueta registrada", "ملصق مسجَّل"
    ),
    "typed_issued": Text(
        "Khatem a émis une étiquette avec ce numéro de série. Son certificat est en vigueur.",
        "Khatem issued a label with this serial. Its certificate is in force.",
        "Khatem emitió una etiqueta con este número de serie. Su certificado está en vigor.",
        "أصدر خاتم ملصقًا بهذا الرقم التسلسلي. شهادته سارية.",
    ),
    "typed_label_revoked": Text(
        "Khatem a révoqué l'étiquette qui porte ce numéro de série : un objet qui la porte "
        "n'est plus certifié.",
        "Khatem revoked the label with this serial: an item carrying it is no longer certified.",
        "Khatem revocó la etiqueta con este número de serie: un objeto que la lleve ya no "
        "está certificado.",
        "ألغى خاتم الملصق الذي يحمل هذا الرقم التسلسلي: القطعة التي تحمله لم تعد معتمدة.",
    ),
    "typed_label_suspended": Text(
        "L'étiquette qui porte ce numéro de série est suspendue.",
        "The label with this serial is suspended.",
        "La etiqueta con este número de serie está suspendida.",
        "الملصق الذي يحمل هذا الرقم التسلسلي موقوف.",
    ),
    "typed_certificate_withdrawn": Text(
        "Khatem a émis une étiquette avec ce numéro de série, mais son certificat a été "
        "retiré : l'objet n'est plus certifié.",
        "Khatem issued a label with this serial, but its certificate was withdrawn: the item "
        "is no longer certified.",
        "Khatem emitió una etiqueta con este número de serie, pero su certificado fue "
        "retirado: el objeto ya no está certificado.",
        "أصدر خاتم ملصقًا بهذا الرقم التسلسلي، لكن شهادته سُحبت: القطعة لم تعد معتمدة.",
    ),
    "typed_certificate_suspended": Text(
        "Khatem a émis une étiquette avec ce numéro de série, mais son certificat est suspendu.",
        "Khatem issued a label with this serial, but its certificate is suspended.",
        "Khatem emitió una etiqueta con este número de serie, pero su certificado está suspendido.",
        "أصدر خاتم ملصقًا بهذا الرقم التسلسلي، لكن شهادته موقوفة.",
    ),
    "typed_certificate_expired": Text(
        "Khatem a émis une étiquette avec ce numéro de série ; son certificat a expiré depuis.",
        "Khatem issued a label with this serial; its certificate has expired since.",
        "Khatem emitió una etiqueta con este número de serie; su certificado ha caducado "
        "desde entonces.",
        "أصدر خاتم ملصقًا بهذا الرقم التسلسلي؛ وقد انتهت صلاحية شهادته منذ ذلك الحين.",
    ),
    "typed_product": Text("Produit", "Product", "Producto", "المنتج"),
    "typed_label_status": Text(
        "État de l'étiquette", "Label status", "Estado de la etiqueta", "حالة الملصق"
    ),
    "typed_proof_heading": Text(
        "Ce que cette page prouve, et ce qu'elle ne prouve pas",
        "What this page proves, and what it does not",
        "Lo que esta página prueba, y lo que no",
        "ما تثبته هذه الصفحة وما لا تثبته",
    ),
    "typed_proof_what": Text(
        "Ce numéro de série existe dans le registre, pour le produit et le certificat "
        "ci-dessus. Vérifiez qu'ils correspondent à l'objet et à ce que son étiquette imprime.",
        "This serial exists in the registry, for the product and certificate above. Check "
        "that they match the item and what its label prints.",
        "Este número de serie existe en el registro, para el producto y el certificado "
        "indicados arriba. Compruebe que corresponden al objeto y a lo que imprime su etiqueta.",
        "هذا الرقم التسلسلي موجود في السجل، للمنتج والشهادة المذكورين أعلاه. تأكد من أنهما "
        "يطابقان القطعة وما يطبعه ملصقها.",
    ),
    "typed_proof_not": Text(
        "Cela ne prouve pas que l'étiquette que vous tenez est authentique : un texte "
        "imprimé se recopie facilement sur un autre objet.",
        "It does not prove that the label you hold is authentic: printed text is easily "
        "copied onto another item.",
        "Esto no prueba que la etiqueta que tiene en la mano sea auténtica: un texto impreso "
        "se copia fácilmente en otro objeto.",
        "هذا لا يثبت أن الملصق الذي بين يديك أصلي: النص المطبوع يُنسخ بسهولة على قطعة أخرى.",
    ),
    "typed_proof_scan": Text(
        "Seul le QR code porte la signature du registre : scannez-le avec l'appareil photo "
        "de votre téléphone pour vérifier l'étiquette.",
        "Only the QR code carries the registry's signature: scan it with your phone's camera "
        "to check the label.",
        "Solo el código QR lleva la firma del registro: escanéelo con la cámara del móvil "
        "para verificar la etiqueta.",
        "رمز QR وحده يحمل توقيع السجل: امسحه بكاميرا هاتفك للتحقق من الملصق.",
    ),
    "typed_help_title": Text(
        "Vérifier ce qu'imprime une étiquette",
        "Checking what a label prints",
        "Verificar lo que imprime una etiqueta",
        "التحقق مما يطبعه الملصق",
    ),
    "typed_unknown": Text(
        "Ce texte n'est ni un numéro de série, ni un code de certificat, ni l'adresse d'une "
        "étiquette Khatem.",
        "This is not a serial, a certificate code or the address of a Khatem label.",
        "Este texto no es un número de serie, ni un código de certificado, ni la dirección "
        "de una etiqueta Khatem.",
        "هذا النص ليس رقمًا تسلسليًا ولا رمز شهادة ولا عنوان ملصق خاتم.",
    ),
    "typed_serial_not_found": Text(
        "Aucune étiquette Khatem ne porte ce numéro de série. Vérifiez les caractères tapés ; "
        "si le QR code de l'étiquette échoue aussi, elle n'a pas été émise par Khatem.",
        "No Khatem label has this serial. Check the characters you typed; if the label's QR "
        "code fails too, Khatem did not issue it.",
        "Ninguna etiqueta Khatem tiene este número de serie. Compruebe los caracteres "
        "escritos; si el código QR de la etiqueta también falla, Khatem no la emitió.",
        "لا يحمل أي ملصق خاتم هذا الرقم التسلسلي. تحقق من الأحرف التي كتبتها؛ وإن فشل رمز "
        "QR للملصق أيضًا فهو ليس من إصدار خاتم.",
    ),
    "typed_certificate_not_found": Text(
        "Aucun certificat ne porte ce code. Vérifiez les caractères tapés.",
        "No certificate has this code. Check the characters you typed.",
        "Ningún certificado tiene este código. Compruebe los caracteres escritos.",
        "لا توجد شهادة بهذا الرمز. تحقق من الأحرف التي كتبتها.",
    ),
    "typed_you_typed": Text("Vous avez tapé :", "You typed:", "Ha escrito:", "كتبت:"),
    "typed_help_what": Text(
        "Vous pouvez taper ce qui est imprimé à côté du QR code :",
        "You can type what is printed beside the QR code:",
        "Puede escribir lo que está impreso junto al código QR:",
        "يمكنك كتابة ما هو مطبوع بجانب رمز QR:",
    ),
    "typed_help_serial": Text(
        "le numéro de série, seul ou après le GTIN",
        "the serial, alone or after the GTIN",
        "el número de serie, solo o tras el GTIN",
        "الرقم التسلسلي، وحده أو بعد GTIN",
    ),
    "typed_help_short": Text(
        "l'adresse courte", "the short address", "la dirección corta", "العنوان المختصر"
    ),
    "typed_help_certificate": Text(
        "le code du certificat", "the certificate code", "el código del certificado", "رمز الشهادة"
    ),
    "typed_help_label": Text(
        "ou l'adresse complète du QR code, lue par une application de lecture",
        "or the QR code's whole address, read by a scanning app",
        "o la dirección completa del código QR, leída por una aplicación de lectura",
        "أو العنوان الكامل لرمز QR كما يقرؤه تطبيق مسح",
    ),
    "typed_help_case": Text(
        "Majuscules, espaces et tirets n'ont pas d'importance, ni la confusion entre O et 0, "
        "ou entre I, L et 1.",
        "Capitals, spaces and hyphens do not matter, nor mixing up O and 0, or I, L and 1.",
        "Las mayúsculas, los espacios y los guiones no importan, ni confundir O y 0, o I, L y 1.",
        "لا تهم الأحرف الكبيرة والمسافات والشرطات، ولا الخلط بين O و0 أو بين I وL و1.",
    ),
    # --- the bulk page
    "bulk_title": Text(
        "Vérifier un lot d'étiquettes",
        "Check a batch of labels",
        "Verificar un lote de etiquetas",
        "التحقق من دفعة ملصقات",
    ),
    "bulk_intro": Text(
        "Déposez un fichier CSV des adresses scannées, une par ligne (en-tête facultatif, "
        "{rows} lignes au plus). Vous obtenez un verdict par étiquette, à lire ici ou à "
        "télécharger en CSV.",
        "Upload a CSV file of the scanned addresses, one per row (header optional, at most "
        "{rows} rows). You get one verdict per label, to read here or download as CSV.",
        "Suba un archivo CSV con las direcciones escaneadas, una por fila (encabezado "
        "opcional, {rows} filas como máximo). Obtendrá un veredicto por etiqueta, para leer "
        "aquí o descargar en CSV.",
        "ارفع ملف CSV بالعناوين الممسوحة، عنوان في كل سطر (العنوان الرئيسي اختياري، "
        "{rows} سطر على الأكثر). تحصل على حكم لكل ملصق تقرؤه هنا أو تنزّله بصيغة CSV.",
    ),
    "bulk_file": Text("Fichier CSV", "CSV file", "Archivo CSV", "ملف CSV"),
    "bulk_show": Text(
        "Vérifier et afficher", "Check and show", "Verificar y mostrar", "تحقق واعرض"
    ),
    "bulk_download": Text(
        "Vérifier et télécharger le CSV",
        "Check and download CSV",
        "Verificar y descargar CSV",
        "تحقق ونزّل ملف CSV",
    ),
    "bulk_results": Text(
        "{count} étiquettes vérifiées",
        "{count} labels checked",
        "{count} etiquetas verificadas",
        "تم فحص {count} ملصق",
    ),
    "bulk_summary": Text("Résumé", "Summary", "Resumen", "الملخص"),
    "bulk_table_caption": Text(
        "Verdict de chaque ligne du fichier",
        "The verdict of each row of the file",
        "Veredicto de cada fila del archivo",
        "حكم كل سطر من الملف",
    ),
    "bulk_download_results": Text(
        "Télécharger ces résultats (CSV)",
        "Download these results (CSV)",
        "Descargar estos resultados (CSV)",
        "تنزيل هذه النتائج (CSV)",
    ),
    "col_row": Text("Ligne", "Row", "Fila", "السطر"),
    "col_verdict": Text("Verdict", "Verdict", "Veredicto", "الحكم"),
    "col_reason": Text("Motif", "Reason", "Motivo", "السبب"),
    "col_gtin": Text("GTIN", "GTIN", "GTIN", "GTIN"),
    "col_serial": Text("Série", "Serial", "Serie", "الرقم التسلسلي"),
    "col_artisan": Text("Artisan", "Artisan", "Artesano", "الحرفي"),
    "all_passed": Text("Tout est vérifié", "All checks passed", "Todo correcto", "نجحت كل الفحوص"),
    "bulk_repeat_tag": Text("Série répétée", "Repeated serial", "Serie repetida", "رقم مكرر"),
    "bulk_repeated_row": Text(
        "Même numéro de série aux lignes {rows} : une étiquette a probablement été copiée.",
        "Same serial on rows {rows}: a label was probably copied.",
        "Mismo número de serie en las filas {rows}: probablemente se copió una etiqueta.",
        "الرقم التسلسلي نفسه في الأسطر {rows}: على الأرجح نُسخ ملصق.",
    ),
    "bulk_repeated_summary": Text(
        "Numéros de série répétés : {serials} ({rows} lignes). Chaque objet porte sa propre "
        "étiquette ; une série vue deux fois signale une étiquette copiée, ou un objet "
        "scanné deux fois.",
        "Repeated serials: {serials} ({rows} rows). Every item carries its own label; a "
        "serial seen twice means a copied label, or an item scanned twice.",
        "Números de serie repetidos: {serials} ({rows} filas). Cada objeto lleva su propia "
        "etiqueta; una serie vista dos veces indica una etiqueta copiada, o un objeto "
        "escaneado dos veces.",
        "أرقام تسلسلية مكررة: {serials} ({rows} سطر). تحمل كل قطعة ملصقها الخاص؛ الرقم "
        "الذي يظهر مرتين يعني ملصقًا منسوخًا أو قطعة مُسحت مرتين.",
    ),
    "bulk_no_repeats": Text(
        "Aucun numéro de série n'apparaît deux fois.",
        "No serial appears twice.",
        "Ningún número de serie aparece dos veces.",
        "لا يظهر أي رقم تسلسلي مرتين.",
    ),
    "bulk_problems_only": Text(
        "Afficher seulement les lignes à examiner ({count})",
        "Show only the rows to look at ({count})",
        "Mostrar solo las filas que revisar ({count})",
        "اعرض الأسطر التي تحتاج إلى مراجعة فقط ({count})",
    ),
    "bulk_all_rows": Text(
        "Afficher toutes les lignes", "Show all rows", "Mostrar todas las filas", "اعرض كل الأسطر"
    ),
    "bulk_no_problems": Text(
        "Aucune ligne à examiner.",
        "No row needs a look.",
        "Ninguna fila que revisar.",
        "لا يوجد سطر يحتاج إلى مراجعة.",
    ),
    # --- errors
    "error_title": Text("Erreur", "Error", "Error", "خطأ"),
    "not_found_title": Text("Introuvable", "Not found", "No encontrado", "غير موجود"),
    "certificate_not_found": Text(
        "Aucun certificat ne porte ce code. Vérifiez le code (par exemple C-1Z8K3QD).",
        "No certificate has this code. Check the code (for example C-1Z8K3QD).",
        "Ningún certificado tiene este código. Compruebe el código (por ejemplo C-1Z8K3QD).",
        "لا توجد شهادة بهذا الرمز. تحقق من الرمز (مثلًا C-1Z8K3QD).",
    ),
    "page_not_found": Text(
        "Cette page n'existe pas.",
        "This page does not exist.",
        "Esta página no existe.",
        "هذه الصفحة غير موجودة.",
    ),
    "bulk_error_no_file": Text(
        "Choisissez un fichier CSV à déposer.",
        "Choose a CSV file to upload.",
        "Elija un archivo CSV para subir.",
        "اختر ملف CSV لرفعه.",
    ),
    "bulk_error_empty": Text(
        "Le fichier ne contient aucune adresse.",
        "The file holds no address.",
        "El archivo no contiene ninguna dirección.",
        "لا يحتوي الملف على أي عنوان.",
    ),
    "bulk_error_too_large": Text(
        "Le fichier est trop gros : {limit} octets au plus.",
        "The file is too large: at most {limit} bytes.",
        "El archivo es demasiado grande: {limit} bytes como máximo.",
        "الملف كبير جدًا: {limit} بايت على الأكثر.",
    ),
    "bulk_error_too_many_rows": Text(
        "Le fichier a trop de lignes : {limit} au plus par envoi. Coupez-le en plusieurs fichiers.",
        "The file has too many rows: at most {limit} per upload. Split it into several files.",
        "El archivo tiene demasiadas filas: {limit} como máximo por envío. Divídalo en "
        "varios archivos.",
        "يحتوي الملف على أسطر كثيرة جدًا: {limit} على الأكثر في كل رفع. قسّمه إلى عدة ملفات.",
    ),
    "bulk_error_not_text": Text(
        "Le fichier n'est pas un CSV lisible (texte UTF-8 attendu).",
        "The file is not a readable CSV (UTF-8 text expected).",
        "El archivo no es un CSV legible (se espera texto UTF-8).",
        "الملف ليس CSV مقروءًا (المطلوب نص UTF-8).",
    ),
    "bulk_error_malformed": Text(
        "Le fichier CSV est mal formé : {where}.",
        "The CSV file is malformed: {where}.",
        "El archivo CSV está mal formado: {where}.",
        "ملف CSV غير سليم: {where}.",
    ),
    # --- the sign-in page
    "login_title": Text("Connexion", "Sign in", "Iniciar sesión", "تسجيل الدخول"),
    "login_intro": Text(
        "Connexion inspecteurs, organismes et artisans.",
        "Sign-in for inspectors, bodies and artisans.",
        "Acceso para inspectores, organismos y artesanos.",
        "دخول المفتشين والهيئات والحرفيين.",
    ),
    "login_email": Text("Email", "Email", "Correo electrónico", "البريد الإلكتروني"),
    "login_password": Text("Mot de passe", "Password", "Contraseña", "كلمة المرور"),
    "login_button": Text("Se connecter", "Sign in", "Entrar", "دخول"),
    "login_failed": Text(
        "Email ou mot de passe incorrect.",
        "Wrong email or password.",
        "Correo electrónico o contraseña incorrectos.",
        "البريد الإلكتروني أو كلمة المرور غير صحيحة.",
    ),
    "login_locked": Text(
        "Trop de tentatives échouées : ce compte est verrouillé. Réessayez dans {wait}.",
        "Too many failed attempts: this account is locked. Try again in {wait}.",
        "Demasiados intentos fallidos: esta cuenta está bloqueada. Vuelva a intentarlo en {wait}.",
        "محاولات فاشلة كثيرة: هذا الحساب مقفل. أعد المحاولة بعد {wait}.",
    ),
    "login_busy": Text(
        "Trop de connexions en ce moment. Réessayez dans quelques secondes.",
        "Too many sign-ins right now. Try again in a few seconds.",
        "Demasiados inicios de sesión en este momento. Vuelva a intentarlo en unos segundos.",
        "عمليات دخول كثيرة في هذه اللحظة. أعد المحاولة بعد بضع ثوانٍ.",
    ),
    "login_error": Text(
        "La connexion a échoué.",
        "Sign-in failed.",
        "No se pudo iniciar sesión.",
        "تعذّر تسجيل الدخول.",
    ),
    "back_home": Text(
        "Retour à l'accueil", "Back to the home page", "Volver al inicio", "العودة إلى الرئيسية"
    ),
}
