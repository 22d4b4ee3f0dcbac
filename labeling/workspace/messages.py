"""What the workspace says, in French, Arabic and English.

* :data:`WORDS` — the page chrome and the shared words (``t("key")`` in templates);
* :data:`PROBLEMS` — a service's problem, by its type slug, as a sentence that says what
  happened and what to do next (the API's ``unit-mismatch``, which names the expected unit,
  is the model: name the thing, say the fix);
* :data:`FIELD_ERRORS` — a form field's validation error, by pydantic's error type.

A slug without a sentence here falls back to the status's generic sentence
(:data:`STATUS_PROBLEMS`), never to the API's English ``detail``.
"""

from __future__ import annotations

from typing import Final

from labeling.workspace.i18n import Text

__all__ = ["FIELD_ERRORS", "PROBLEMS", "ROLE_NAMES", "STATUS_PROBLEMS", "WORDS"]

WORDS: Final[dict[str, Text]] = {
    "site_name": Text("Khatem", "خاتم", "Khatem"),
    "workspace": Text("Espace de travail", "فضاء العمل", "Workspace"),
    "skip_to_content": Text("Aller au contenu", "الانتقال إلى المحتوى", "Skip to content"),
    "language": Text("Langue", "اللغة", "Language"),
    "main_menu": Text("Menu principal", "القائمة الرئيسية", "Main menu"),
    "signed_in_as": Text("Connecté : {name}", "متصل: {name}", "Signed in: {name}"),
    "logout": Text("Se déconnecter", "تسجيل الخروج", "Sign out"),
    "home": Text("Accueil", "الرئيسية", "Home"),
    "pages": Text("Pages", "الصفحات", "Pages"),
    "next_page": Text("Page suivante", "الصفحة التالية", "Next page"),
    "previous_page": Text("Page précédente", "الصفحة السابقة", "Previous page"),
    "footer": Text(
        "Khatem — registre des labels « Made in Morocco ».",
        "خاتم — سجل علامات «صنع في المغرب».",
        "Khatem — the registry of “Made in Morocco” labels.",
    ),
    "error_title": Text("Une erreur est survenue", "حدث خطأ", "Something went wrong"),
    "form_has_errors": Text(
        "Le formulaire n'a pas été enregistré : corrigez les champs signalés ci-dessous.",
        "لم يُحفظ النموذج: صحّح الحقول المشار إليها أدناه.",
        "The form was not saved: correct the fields marked below.",
    ),
    "error_prefix": Text("Erreur :", "خطأ:", "Error:"),
    "required": Text("obligatoire", "إجباري", "required"),
    "optional": Text("facultatif", "اختياري", "optional"),
    "save": Text("Enregistrer", "حفظ", "Save"),
    "back_home": Text(
        "Revenir à l'accueil de l'espace de travail",
        "العودة إلى الصفحة الرئيسية لفضاء العمل",
        "Back to the workspace home",
    ),
    "sign_in_again": Text("Se connecter", "تسجيل الدخول", "Sign in"),
    "nav_artisans": Text("Artisans", "الصناع", "Artisans"),
    "nav_new_artisan": Text("Nouvel artisan", "صانع جديد", "New artisan"),
    "nav_audits": Text("Mes audits", "تدقيقاتي", "My audits"),
    "home_title": Text("Mon espace", "فضائي", "My workspace"),
    "home_welcome": Text("Bonjour {name}.", "مرحبا {name}.", "Hello {name}."),
    "home_other_roles": Text(
        "Les pages de votre rôle arrivent bientôt ; l'API reste disponible en attendant.",
        "صفحات دوركم قيد الإنجاز؛ تبقى واجهة البرمجة متاحة في الأثناء.",
        "The pages for your role are coming; the API remains available meanwhile.",
    ),
}

ROLE_NAMES: Final[dict[str, Text]] = {
    "admin": Text("administrateur d'organisme", "مسؤول الهيئة", "body administrator"),
    "inspector": Text("inspecteur", "مفتش", "inspector"),
    "artisan": Text("artisan", "صانع تقليدي", "artisan"),
}

#: The sentence of a refusal, by its HTTP status, when its slug has none of its own.
STATUS_PROBLEMS: Final[dict[int, tuple[Text, Text]]] = {
    400: (
        Text("Demande incorrecte", "طلب غير صحيح", "Bad request"),
        Text(
            "La demande n'a pas pu être lue. Revenez en arrière et réessayez.",
            "تعذّرت قراءة الطلب. ارجع إلى الصفحة السابقة وأعد المحاولة.",
            "The request could not be read. Go back and try again.",
        ),
    ),
    403: (
        Text("Accès refusé", "الوصول مرفوض", "Not allowed"),
        Text(
            "Votre compte ne permet pas cette action. Revenez à votre accueil ; si vous "
            "pensez devoir y avoir accès, demandez-le à l'administrateur de votre organisme.",
            "لا يسمح حسابكم بهذا الإجراء. عودوا إلى صفحتكم الرئيسية؛ وإن رأيتم أنه يحق لكم "
            "ذلك، فاطلبوه من مسؤول هيئتكم.",
            "Your account does not allow this. Go back to your home page; if you think you "
            "should have access, ask your body's administrator.",
        ),
    ),
    404: (
        Text("Introuvable", "غير موجود", "Not found"),
        Text(
            "Cette fiche n'existe pas ou n'appartient pas au registre de votre organisme. "
            "Cherchez-la depuis votre accueil.",
            "هذا السجل غير موجود أو لا ينتمي إلى سجل هيئتكم. ابحثوا عنه من صفحتكم الرئيسية.",
            "This record does not exist or is not in your body's registry. Look for it from "
            "your home page.",
        ),
    ),
    409: (
        Text("Conflit", "تعارض", "Conflict"),
        Text(
            "La fiche a changé entre-temps. Rechargez la page et recommencez.",
            "تغيّر السجل في الأثناء. أعيدوا تحميل الصفحة وحاولوا من جديد.",
            "The record changed meanwhile. Reload the page and try again.",
        ),
    ),
    413: (
        Text("Fichier trop lourd", "الملف كبير جدا", "File too large"),
        Text(
            "Le fichier envoyé dépasse la taille permise. Envoyez une photo plus légère.",
            "الملف المرسل يتجاوز الحجم المسموح. أرسلوا صورة أخف.",
            "The file is over the size limit. Send a smaller photo.",
        ),
    ),
    422: (
        Text("Saisie à corriger", "إدخال يجب تصحيحه", "Input to correct"),
        Text(
            "Certaines valeurs ne conviennent pas. Corrigez-les et enregistrez à nouveau.",
            "بعض القيم غير مقبولة. صحّحوها ثم احفظوا من جديد.",
            "Some values are not accepted. Correct them and save again.",
        ),
    ),
    429: (
        Text("Trop de demandes", "طلبات كثيرة جدا", "Too many requests"),
        Text(
            "Trop de demandes en peu de temps. Patientez une minute puis réessayez.",
            "طلبات كثيرة في وقت قصير. انتظروا دقيقة ثم أعيدوا المحاولة.",
            "Too many requests in a short time. Wait a minute, then try again.",
        ),
    ),
    503: (
        Text("Service indisponible", "الخدمة غير متاحة", "Service unavailable"),
        Text(
            "Le registre ne peut pas répondre pour l'instant. Réessayez dans quelques minutes ; "
            "rien n'a été enregistré.",
            "لا يستطيع السجل الإجابة حاليا. أعيدوا المحاولة بعد دقائق؛ لم يُسجَّل أي شيء.",
            "The registry cannot answer right now. Try again in a few minutes; nothing was saved.",
        ),
    ),
}

#: A service's refusal, by its problem slug. ``{…}`` names come from the problem's members.
PROBLEMS: Final[dict[str, Text]] = {
    "cursor-invalid": Text(
        "Ce lien de page n'est plus valable : revenez au début de la liste et suivez ses "
        "liens « Page suivante » et « Page précédente ».",
        "رابط الصفحة هذا لم يعد صالحا: ارجعوا إلى بداية القائمة واتبعوا روابط «الصفحة "
        "التالية» و«الصفحة السابقة».",
        "This page link is no longer valid: go back to the start of the list and follow its "
        "“Next page” and “Previous page” links.",
    ),
    "csrf-refused": Text(
        "Ce formulaire a expiré ou ne vient pas de Khatem : rien n'a été modifié. Rechargez la "
        "page, puis envoyez-le à nouveau.",
        "انتهت صلاحية هذا النموذج أو أنه لم يصدر عن خاتم: لم يُغيَّر شيء. أعيدوا تحميل الصفحة "
        "ثم أرسلوه من جديد.",
        "This form has expired or did not come from Khatem: nothing was changed. Reload the "
        "page, then send it again.",
    ),
    "forbidden": STATUS_PROBLEMS[403][1],
    "not-found": STATUS_PROBLEMS[404][1],
    "artisan-not-found": Text(
        "Cet artisan n'est pas dans le registre de votre organisme. Cherchez-le par son nom, "
        "son NIA ou sa ville.",
        "هذا الصانع غير مسجل في سجل هيئتكم. ابحثوا عنه باسمه أو برقمه أو بمدينته.",
        "This artisan is not in your body's registry. Search by name, NIA or city.",
    ),
    "audit-not-found": Text(
        "Cet audit n'existe pas ou n'est pas de votre organisme.",
        "هذا التدقيق غير موجود أو لا يخص هيئتكم.",
        "This audit does not exist or is not your body's.",
    ),
    "not-authorised-for-scheme": Text(
        "Vous n'êtes pas (ou plus) habilité pour ce label. Demandez l'habilitation à "
        "l'administrateur de votre organisme ; rien n'a été enregistré.",
        "لستم (أو لم تعودوا) مؤهلين لهذه العلامة. اطلبوا التأهيل من مسؤول هيئتكم؛ لم يُسجَّل أي شيء.",
        "You are not (or no longer) authorised for this label. Ask your body's administrator "
        "for the authorisation; nothing was saved.",
    ),
    "unknown-scheme": Text(
        "Ce label n'existe pas dans le catalogue. Choisissez-en un dans la liste.",
        "هذه العلامة غير موجودة في الدليل. اختاروا واحدة من القائمة.",
        "This label scheme is not in the catalogue. Choose one from the list.",
    ),
    "audit-date-in-future": Text(
        "La date de l'audit est dans le futur. Indiquez le jour où l'audit a eu lieu.",
        "تاريخ التدقيق في المستقبل. أدخلوا اليوم الذي جرى فيه التدقيق.",
        "The audit date is in the future. Enter the day the audit took place.",
    ),
    "product-line-not-of-artisan": Text(
        "Choisissez des lignes de produits de cet artisan.",
        "اختاروا خطوط منتجات هذا الصانع.",
        "Choose product lines of this artisan.",
    ),
    "missing-findings": Text(
        "Chaque critère du label demande une constatation : complétez ceux qui sont signalés.",
        "يتطلب كل معيار من معايير العلامة ملاحظة: أكملوا المعايير المشار إليها.",
        "Every criterion of the label needs a finding: complete those marked.",
    ),
    "unknown-criterion": Text(
        "Ce critère ne fait pas partie du label. Rechargez le formulaire.",
        "هذا المعيار ليس من معايير العلامة. أعيدوا تحميل النموذج.",
        "This criterion is not part of the label. Reload the form.",
    ),
    "finding-kind-mismatch": Text(
        "Saisissez une mesure pour un critère mesuré, oui ou non pour un critère observé.",
        "أدخلوا قياسا للمعيار المقيس، ونعم أو لا للمعيار الملاحظ.",
        "Enter a measurement for a measured criterion, yes or no for an observed one.",
    ),
    "unit-mismatch": Text(
        "Ce critère se mesure en {expected_unit} : convertissez la valeur dans cette unité.",
        "يقاس هذا المعيار بوحدة {expected_unit}: حوّلوا القيمة إلى هذه الوحدة.",
        "This criterion is measured in {expected_unit}: convert the value to that unit.",
    ),
    "unknown-evidence": Text(
        "Une pièce jointe n'a pas été reçue. Joignez la photo à nouveau.",
        "لم يُستلم أحد المرفقات. أرفقوا الصورة من جديد.",
        "An attachment was not received. Attach the photo again.",
    ),
    "unsupported-evidence-type": Text(
        "Joignez une photo (JPEG, PNG, WebP) ou un PDF ; ce fichier n'en est pas un.",
        "أرفقوا صورة (JPEG أو PNG أو WebP) أو ملف PDF؛ هذا الملف ليس كذلك.",
        "Attach a photo (JPEG, PNG, WebP) or a PDF; this file is neither.",
    ),
    "evidence-too-large": Text(
        "La photo dépasse la taille permise. Prenez-la en plus basse résolution.",
        "الصورة تتجاوز الحجم المسموح. التقطوها بدقة أقل.",
        "The photo is over the size limit. Take it at a lower resolution.",
    ),
    "audit-already-corrected": Text(
        "Cet audit a déjà été corrigé : corrigez sa dernière version.",
        "سبق تصحيح هذا التدقيق: صحّحوا نسخته الأخيرة.",
        "This audit was already corrected: correct its latest version.",
    ),
    "audit-not-passing": Text(
        "Seul un audit réussi permet de certifier. Enregistrez un nouvel audit.",
        "لا يمكن منح الشهادة إلا بتدقيق ناجح. سجّلوا تدقيقا جديدا.",
        "Only a passing audit can be certified. Record a new audit.",
    ),
    "audit-already-certified": Text(
        "Cet audit a déjà donné un certificat.",
        "سبق أن منح هذا التدقيق شهادة.",
        "This audit already gave a certificate.",
    ),
    "audit-superseded": Text(
        "Cet audit a été corrigé : certifiez à partir de sa correction.",
        "صُحّح هذا التدقيق: امنحوا الشهادة انطلاقا من تصحيحه.",
        "This audit was corrected: certify from its correction.",
    ),
    "certificate-would-be-expired": Text(
        "Cet audit est trop ancien : le certificat serait déjà expiré. Enregistrez un nouvel "
        "audit.",
        "هذا التدقيق قديم جدا: ستكون الشهادة منتهية الصلاحية. سجّلوا تدقيقا جديدا.",
        "This audit is too old: the certificate would already be expired. Record a new audit.",
    ),
    "idempotency-key-reused": Text(
        "Ce formulaire a déjà servi pour un autre envoi. Rechargez-le et recommencez.",
        "استُعمل هذا النموذج لإرسال آخر. أعيدوا تحميله وحاولوا من جديد.",
        "This form was already used for another submission. Reload it and start again.",
    ),
    "search-query-invalid": Text(
        "Tapez au moins une lettre ou un chiffre : un nom, un NIA, une ville ou un métier.",
        "اكتبوا حرفا أو رقما على الأقل: اسما أو رقم تعريف أو مدينة أو حرفة.",
        "Type at least one letter or digit: a name, an NIA, a town or a craft.",
    ),
    "search-cursor-invalid": Text(
        "Ce lien de page n'est plus valable : recommencez la recherche.",
        "رابط الصفحة هذا لم يعد صالحا: أعيدوا البحث.",
        "This page link is no longer valid: search again.",
    ),
    "nia-taken": Text(
        "Ce NIA est déjà enregistré. Cherchez l'artisan au lieu de le créer à nouveau.",
        "رقم التعريف هذا مسجل سلفا. ابحثوا عن الصانع بدل تسجيله من جديد.",
        "This NIA is already registered. Search for the artisan instead of creating it again.",
    ),
    "unknown-region": Text(
        "Choisissez une région de la liste.",
        "اختاروا جهة من القائمة.",
        "Choose a region from the list.",
    ),
    "unknown-filiere": Text(
        "Choisissez une filière de la liste.",
        "اختاروا شعبة من القائمة.",
        "Choose a craft sector from the list.",
    ),
    "region-outside-body": Text(
        "Votre chambre enregistre les artisans de sa région : choisissez-la.",
        "تسجل غرفتكم صناع جهتها: اختاروها.",
        "Your chambre registers the artisans of its own region: choose it.",
    ),
    "gtin-invalid": Text(
        "Ce GTIN n'est pas valide (8, 12, 13 ou 14 chiffres avec la clé GS1). Laissez le champ "
        "vide pour que le registre en attribue un.",
        "رمز GTIN هذا غير صالح (8 أو 12 أو 13 أو 14 رقما مع رقم التحقق). اتركوا الحقل فارغا "
        "ليمنح السجل رمزا.",
        "This GTIN is not valid (8, 12, 13 or 14 digits with the GS1 check digit). Leave it "
        "empty and the registry assigns one.",
    ),
    "gtin-reserved": Text(
        "Ce GTIN est dans la plage du registre. Laissez le champ vide pour que le registre en "
        "attribue un.",
        "هذا الرمز ضمن نطاق السجل. اتركوا الحقل فارغا ليمنح السجل رمزا.",
        "This GTIN is in the registry's own range. Leave it empty and the registry assigns one.",
    ),
    "gtin-taken": Text(
        "Ce GTIN appartient déjà à une autre ligne de produits.",
        "هذا الرمز مستعمل لخط منتجات آخر.",
        "This GTIN already belongs to another product line.",
    ),
}

#: A form field's error, by pydantic's error type (``{limit}`` where pydantic gives one).
FIELD_ERRORS: Final[dict[str, Text]] = {
    "missing": Text("Ce champ est obligatoire.", "هذا الحقل إجباري.", "This field is required."),
    "string_too_short": Text(
        "Ce champ est obligatoire.", "هذا الحقل إجباري.", "This field is required."
    ),
    "string_too_long": Text(
        "Texte trop long (au plus {limit} caractères).",
        "النص طويل جدا (على الأكثر {limit} حرفا).",
        "Too long (at most {limit} characters).",
    ),
    "string_pattern_mismatch": Text(
        "Format non reconnu.", "صيغة غير معروفة.", "Format not recognised."
    ),
    "float_parsing": Text(
        "Saisissez un nombre (par exemple 0,5).",
        "أدخلوا عددا (مثلا 0,5).",
        "Enter a number (for example 0.5).",
    ),
    "int_parsing": Text(
        "Saisissez un nombre entier.", "أدخلوا عددا صحيحا.", "Enter a whole number."
    ),
    "greater_than_equal": Text(
        "La valeur doit être positive ou nulle.",
        "يجب أن تكون القيمة موجبة أو صفرا.",
        "The value must be zero or more.",
    ),
    "less_than_equal": Text("Valeur trop grande.", "القيمة كبيرة جدا.", "The value is too large."),
    "date_from_datetime_parsing": Text(
        "Saisissez une date (jour, mois, année).",
        "أدخلوا تاريخا (اليوم والشهر والسنة).",
        "Enter a date (day, month, year).",
    ),
    "value_error": Text("Valeur non acceptée.", "قيمة غير مقبولة.", "Value not accepted."),
    "too_short": Text(
        "Choisissez-en au moins un.", "اختاروا واحدا على الأقل.", "Choose at least one."
    ),
    "enum": Text(
        "Choisissez une valeur de la liste.",
        "اختاروا قيمة من القائمة.",
        "Choose a value from the list.",
    ),
    "literal_error": Text(
        "Choisissez une valeur de la liste.",
        "اختاروا قيمة من القائمة.",
        "Choose a value from the list.",
    ),
    "value_error.email": Text(
        "Adresse e-mail non valide.", "بريد إلكتروني غير صالح.", "Not a valid e-mail address."
    ),
}
