"""The report form's words, in French, English, Spanish and Arabic (the public pages'
languages; :class:`verify.pages.i18n.Text` refuses a message missing one)."""

from __future__ import annotations

from typing import Final

from verify.pages.i18n import Text

__all__ = ["FIELD_ERRORS", "WORDS"]

WORDS: Final[dict[str, Text]] = {
    "report_title": Text(
        "Signaler une contrefaçon présumée",
        "Report a suspected fake",
        "Denunciar una posible falsificación",
        "الإبلاغ عن تقليد مشتبه به",
    ),
    "report_intro": Text(
        "Dites-nous ce que vous avez acheté et où. L'organisme qui a certifié l'artisan "
        "examinera votre signalement. Seule la description de l'article est demandée ; "
        "rien ne vous identifie.",
        "Tell us what you bought and where. The body that certified the artisan will look "
        "into your report. Only the description of the item is required; nothing "
        "identifies you.",
        "Díganos qué compró y dónde. El organismo que certificó al artesano examinará su "
        "denuncia. Solo se pide la descripción del artículo; nada le identifica.",
        "أخبرنا بما اشتريته وأين. ستدرس الهيئة التي اعتمدت الصانع بلاغك. المطلوب فقط "
        "وصف المنتج، ولا شيء يكشف هويتك.",
    ),
    "report_label": Text(
        "Étiquette signalée",
        "Label reported",
        "Etiqueta denunciada",
        "الملصق المبلَّغ عنه",
    ),
    "f_item": Text("Ce que vous avez acheté", "What you bought", "Qué compró", "ما الذي اشتريته"),
    "f_item_hint": Text(
        "Par exemple : un tapis bleu en laine, environ 2 × 3 m (500 caractères au plus).",
        "For example: a blue wool carpet, about 2 × 3 m (500 characters at most).",
        "Por ejemplo: una alfombra azul de lana, unos 2 × 3 m (500 caracteres como máximo).",
        "مثلاً: زربية زرقاء من الصوف، حوالي 2 × 3 م (500 حرف على الأكثر).",
    ),
    "f_where": Text(
        "Où l'avez-vous acheté ?",
        "Where did you buy it?",
        "¿Dónde lo compró?",
        "أين اشتريته؟",
    ),
    "f_shop_name": Text(
        "Boutique ou vendeur", "Shop or seller", "Tienda o vendedor", "المتجر أو البائع"
    ),
    "f_city": Text("Ville", "City", "Ciudad", "المدينة"),
    "f_country": Text("Pays", "Country", "País", "البلد"),
    "country_none": Text("— Non précisé —", "— Not given —", "— Sin indicar —", "— غير محدد —"),
    "f_bought_on": Text("Date d'achat", "Date of purchase", "Fecha de compra", "تاريخ الشراء"),
    "f_photo": Text(
        "Photo de l'article ou de l'étiquette (facultative)",
        "Photo of the item or its label (optional)",
        "Foto del artículo o de la etiqueta (opcional)",
        "صورة المنتج أو الملصق (اختيارية)",
    ),
    "f_photo_hint": Text(
        "JPEG, PNG ou WebP, {megabytes} Mo au plus. Nous retirons sa position GPS et toutes "
        "ses métadonnées avant de l'enregistrer.",
        "JPEG, PNG or WebP, {megabytes} MB at most. We remove its GPS position and all its "
        "metadata before storing it.",
        "JPEG, PNG o WebP, {megabytes} MB como máximo. Quitamos su posición GPS y todos sus "
        "metadatos antes de guardarla.",
        "JPEG أو PNG أو WebP، {megabytes} ميغابايت على الأكثر. نزيل موقع GPS وكل بياناتها "
        "الوصفية قبل حفظها.",
    ),
    "f_contact_email": Text(
        "Votre adresse e-mail (facultative)",
        "Your e-mail address (optional)",
        "Su correo electrónico (opcional)",
        "بريدك الإلكتروني (اختياري)",
    ),
    "f_contact_hint": Text(
        "Seulement si l'organisme peut vous écrire. Elle n'est montrée qu'à lui, et effacée "
        "{days} jours après la clôture du dossier.",
        "Only if the body may write to you. Only the body sees it, and it is erased "
        "{days} days after the case is closed.",
        "Solo si el organismo puede escribirle. Solo él lo ve, y se borra {days} días "
        "después de cerrarse el caso.",
        "فقط إذا قبلت أن تراسلك الهيئة. لا يراه غيرها، ويُمحى بعد {days} يوماً من إغلاق الملف.",
    ),
    "f_website": Text(
        "Ne remplissez pas ce champ",
        "Leave this field empty",
        "Deje este campo vacío",
        "اترك هذا الحقل فارغاً",
    ),
    "report_send": Text(
        "Envoyer le signalement", "Send the report", "Enviar la denuncia", "إرسال البلاغ"
    ),
    "report_privacy": Text(
        "Nous n'enregistrons ni votre adresse IP, ni votre navigateur, ni aucun cookie.",
        "We store neither your IP address, nor your browser, nor any cookie.",
        "No guardamos ni su dirección IP, ni su navegador, ni ninguna cookie.",
        "لا نحتفظ بعنوان IP الخاص بك ولا بمتصفحك ولا بأي ملف تعريف ارتباط.",
    ),
    "form_has_errors": Text(
        "Le signalement n'a pas été envoyé : corrigez les champs indiqués.",
        "The report was not sent: correct the fields shown.",
        "La denuncia no se envió: corrija los campos indicados.",
        "لم يُرسل البلاغ: صحّح الحقول المشار إليها.",
    ),
    "form_token_refused": Text(
        "Le formulaire a été envoyé trop vite ou il est trop ancien. Vérifiez-le et "
        "envoyez-le de nouveau.",
        "The form was sent too quickly, or it is too old. Check it and send it again.",
        "El formulario se envió demasiado rápido o es demasiado antiguo. Revíselo y "
        "envíelo de nuevo.",
        "أُرسل النموذج بسرعة كبيرة أو أنه قديم جداً. راجعه ثم أرسله من جديد.",
    ),
    "report_done_title": Text(
        "Merci : votre signalement est enregistré",
        "Thank you: your report is recorded",
        "Gracias: su denuncia ha quedado registrada",
        "شكراً: تم تسجيل بلاغك",
    ),
    "report_done_text": Text(
        "L'organisme qui a certifié cet artisan l'examinera. S'il confirme une copie, "
        "la page de cette étiquette le dira à tous ceux qui la scannent.",
        "The body that certified this artisan will look into it. If it confirms a copy, "
        "this label's page will say so to everyone who scans it.",
        "El organismo que certificó a este artesano la examinará. Si confirma una copia, "
        "la página de esta etiqueta lo dirá a todos los que la escaneen.",
        "ستدرسه الهيئة التي اعتمدت هذا الصانع. وإذا أكدت وجود نسخة مقلدة، ستُظهر صفحة "
        "هذا الملصق ذلك لكل من يمسحه.",
    ),
    "report_not_found": Text(
        "Le registre n'a émis aucune étiquette avec ce GTIN et ce numéro de série.",
        "The registry issued no label with this GTIN and serial.",
        "El registro no emitió ninguna etiqueta con este GTIN y este número de serie.",
        "لم يُصدر السجل أي ملصق بهذا الرمز GTIN وهذا الرقم التسلسلي.",
    ),
    "report_rate_limited": Text(
        "Trop de signalements ont été envoyés depuis votre connexion en peu de temps. "
        "Réessayez dans {wait} ; rien de ce que vous avez écrit n'a été enregistré.",
        "Too many reports were sent from your connection in a short time. Try again in "
        "{wait}; nothing you wrote has been stored.",
        "Se han enviado demasiadas denuncias desde su conexión en poco tiempo. Inténtelo de "
        "nuevo dentro de {wait}; no se ha guardado nada de lo que escribió.",
        "أُرسل عدد كبير من البلاغات من اتصالك في وقت قصير. حاول مجدداً بعد {wait}؛ "
        "لم يُحفظ شيء مما كتبته.",
    ),
    "report_not_sent_title": Text(
        "Votre signalement n'a pas été envoyé",
        "Your report was not sent",
        "Su denuncia no se ha enviado",
        "لم يُرسَل بلاغك",
    ),
    "report_back_to_form": Text(
        "Revenir au formulaire de signalement",
        "Back to the report form",
        "Volver al formulario de denuncia",
        "العودة إلى نموذج البلاغ",
    ),
    "report_label_limit": Text(
        "Cette étiquette a reçu aujourd'hui autant de signalements qu'elle peut en prendre ; "
        "son organisme est prévenu. Réessayez demain.",
        "This label has had as many reports today as it takes; its body has been told. "
        "Try again tomorrow.",
        "Esta etiqueta ya ha recibido hoy todas las denuncias que admite; su organismo está "
        "avisado. Inténtelo mañana.",
        "تلقى هذا الملصق اليوم أقصى عدد من البلاغات؛ وقد أُبلغت هيئته. حاول غداً.",
    ),
}

FIELD_ERRORS: Final[dict[str, Text]] = {
    "missing": Text(
        "Ce champ est requis.",
        "This field is required.",
        "Este campo es obligatorio.",
        "هذا الحقل مطلوب.",
    ),
    "too_long": Text(
        "Trop long : {limit} caractères au plus.",
        "Too long: {limit} characters at most.",
        "Demasiado largo: {limit} caracteres como máximo.",
        "طويل جداً: {limit} حرفاً على الأكثر.",
    ),
    "invalid": Text(
        "Cette valeur n'est pas valable.",
        "This value is not valid.",
        "Este valor no es válido.",
        "هذه القيمة غير صالحة.",
    ),
    "future": Text(
        "Cette date est dans le futur.",
        "This date is in the future.",
        "Esta fecha es futura.",
        "هذا التاريخ في المستقبل.",
    ),
    "photo": Text(
        "La photo doit être une image JPEG, PNG ou WebP lisible de {megabytes} Mo au plus.",
        "The photo must be a readable JPEG, PNG or WebP image of {megabytes} MB at most.",
        "La foto debe ser una imagen JPEG, PNG o WebP legible de {megabytes} MB como máximo.",
        "يجب أن تكون الصورة بصيغة JPEG أو PNG أو WebP مقروءة، {megabytes} ميغابايت على الأكثر.",
    ),
}
