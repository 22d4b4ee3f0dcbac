"""The verdict in words: each overall verdict and what it means, its cause, each check's
title and outcome, in four languages.

What each check found (its reason code) is in :mod:`verify.pages.reason_text`; why a body or
the registry changed a status in :mod:`verify.pages.status_text`.
"""

from __future__ import annotations

from typing import Final

from verify.pages.i18n import Text
from verify.pages.suspicion_text import SUSPICIOUS_MEANING, SUSPICIOUS_WORD
from verify.verdict import Outcome, Overall

__all__ = [
    "CAUSES",
    "CHECK_TITLES",
    "OUTCOME_WORDS",
    "SUPERSEDED",
    "VERDICT_MEANINGS",
    "VERDICT_WORDS",
    "WHY",
]

VERDICT_WORDS: Final[dict[Overall, Text]] = {
    Overall.AUTHENTIC: Text("Authentique", "Authentic", "Auténtico", "أصلي"),
    Overall.AUTHENTIC_WITH_WARNINGS: Text(
        "Authentique, avec réserves",
        "Authentic, with warnings",
        "Auténtico, con advertencias",
        "أصلي، مع تنبيهات",
    ),
    Overall.SUSPENDED: Text("Suspendu", "Suspended", "Suspendido", "موقوف"),
    Overall.REVOKED: Text("Révoqué", "Revoked", "Revocado", "ملغى"),
    Overall.INVALID: Text("Non valide", "Invalid", "No válido", "غير صالح"),
    Overall.UNKNOWN: Text("Inconnu", "Unknown", "Desconocido", "غير معروف"),
    Overall.SUSPICIOUS: SUSPICIOUS_WORD,
}

# What a verdict means for the person holding the item. The headline puts the cause first
# (which check decided, and why: CAUSES below, or the check's reason text), then this.
VERDICT_MEANINGS: Final[dict[Overall, Text]] = {
    Overall.AUTHENTIC: Text(
        "Cette étiquette a été émise par le registre Khatem pour cet objet, et le certificat "
        "de l'artisan est en vigueur. L'objet vient de l'atelier certifié nommé ci-dessous.",
        "This label was issued by the Khatem registry for this item, and the artisan's "
        "certificate is in force. The item comes from the certified workshop named below.",
        "Esta etiqueta fue emitida por el registro Khatem para este objeto y el certificado "
        "del artesano está en vigor. El objeto procede del taller certificado indicado abajo.",
        "أصدر سجل خاتم هذا الملصق لهذه القطعة، وشهادة الحرفي سارية المفعول. "
        "القطعة من الورشة المعتمدة المذكورة أدناه.",
    ),
    Overall.AUTHENTIC_WITH_WARNINGS: Text(
        "L'étiquette est authentique, mais ce point mérite votre attention.",
        "The label is genuine, but this deserves your attention.",
        "La etiqueta es auténtica, pero esto merece su atención.",
        "الملصق أصلي، لكن هذا الأمر يستحق انتباهك.",
    ),
    Overall.SUSPENDED: Text(
        "L'étiquette est authentique, mais ne la tenez pas pour une preuve de certification "
        "tant que la suspension n'est pas levée.",
        "The label is genuine, but do not take it as proof of certification until the "
        "suspension is lifted.",
        "La etiqueta es auténtica, pero no la tome como prueba de certificación hasta que se "
        "levante la suspensión.",
        "الملصق أصلي، لكن لا تعتبره دليلًا على الاعتماد حتى يُرفع الإيقاف.",
    ),
    Overall.REVOKED: Text(
        "L'objet ne doit pas être vendu comme certifié.",
        "The item must not be sold as certified.",
        "El objeto no debe venderse como certificado.",
        "لا يجوز بيع القطعة على أنها معتمدة.",
    ),
    Overall.INVALID: Text(
        "Ce n'est pas une étiquette Khatem authentique. Ne vous y fiez pas ; si vous l'avez "
        "scannée en boutique, signalez-le au vendeur.",
        "This is not a genuine Khatem label. Do not rely on it; if you scanned it in a shop, "
        "tell the seller.",
        "No es una etiqueta Khatem auténtica. No confíe en ella; si la escaneó en una tienda, "
        "avise al vendedor.",
        "هذا ليس ملصق خاتم أصليًا. لا تعتمد عليه، وإذا مسحته في متجر فأخبر البائع.",
    ),
    Overall.UNKNOWN: Text(
        "Impossible de décider avec les données disponibles si cette étiquette est "
        "authentique. Réessayez plus tard, en ligne.",
        "We cannot tell with the data at hand whether this label is genuine. "
        "Try again later, online.",
        "Con los datos disponibles no podemos saber si esta etiqueta es auténtica. "
        "Vuelva a intentarlo más tarde, en línea.",
        "لا يمكننا بالبيانات المتوفرة معرفة ما إذا كان هذا الملصق أصليًا. "
        "أعد المحاولة لاحقًا عبر الإنترنت.",
    ),
    Overall.SUSPICIOUS: SUSPICIOUS_MEANING,
}

# The cause of a SUSPENDED or REVOKED verdict, with the reason the body or the registry
# recorded (``{why}``: WHY with the reason in words, or nothing when none was recorded).
CAUSES: Final[dict[str, Text]] = {
    "label_suspended": Text(
        "Le registre a suspendu cette étiquette{why}.",
        "The registry has suspended this label{why}.",
        "El registro ha suspendido esta etiqueta{why}.",
        "أوقف السجل هذا الملصق{why}.",
    ),
    "certificate_suspended": Text(
        "Le certificat de l'artisan est suspendu{why}.",
        "The artisan's certificate is suspended{why}.",
        "El certificado del artesano está suspendido{why}.",
        "شهادة الحرفي موقوفة{why}.",
    ),
    "label_revoked": Text(
        "Le registre a révoqué cette étiquette{why}.",
        "The registry has revoked this label{why}.",
        "El registro ha revocado esta etiqueta{why}.",
        "ألغى السجل هذا الملصق{why}.",
    ),
    "certificate_withdrawn": Text(
        "Le certificat de l'artisan a été retiré{why}.",
        "The artisan's certificate has been withdrawn{why}.",
        "El certificado del artesano ha sido retirado{why}.",
        "سُحبت شهادة الحرفي{why}.",
    ),
}
WHY: Final = Text(" : {reason}", ": {reason}", ": {reason}", ": {reason}")

# The conformity row of a certificate since suspended or withdrawn.
SUPERSEDED: Final[dict[str, Text]] = {
    "word": Text("Plus en vigueur", "No longer in force", "Ya no vigente", "لم يعد ساريًا"),
    "certificate_suspended": Text(
        "L'audit qui a fondé le certificat était réussi, mais le certificat est suspendu "
        "depuis : cet audit ne garantit plus l'objet.",
        "The audit behind the certificate was passed, but the certificate has since been "
        "suspended: that audit no longer vouches for the item.",
        "La auditoría en la que se basa el certificado se superó, pero el certificado ha sido "
        "suspendido desde entonces: esa auditoría ya no respalda el objeto.",
        "اجتيز التدقيق الذي تستند إليه الشهادة، لكن الشهادة أُوقفت منذ ذلك الحين: "
        "لم يعد ذلك التدقيق يضمن القطعة.",
    ),
    "certificate_withdrawn": Text(
        "L'audit qui a fondé le certificat était réussi, mais le certificat a été retiré "
        "depuis : cet audit ne garantit plus l'objet.",
        "The audit behind the certificate was passed, but the certificate has since been "
        "withdrawn: that audit no longer vouches for the item.",
        "La auditoría en la que se basa el certificado se superó, pero el certificado ha sido "
        "retirado desde entonces: esa auditoría ya no respalda el objeto.",
        "اجتيز التدقيق الذي تستند إليه الشهادة، لكن الشهادة سُحبت منذ ذلك الحين: "
        "لم يعد ذلك التدقيق يضمن القطعة.",
    ),
}

CHECK_TITLES: Final[dict[str, Text]] = {
    "signature": Text("Signature", "Signature", "Firma", "التوقيع"),
    "issuer_key": Text("Clé de signature", "Signing key", "Clave de firma", "مفتاح التوقيع"),
    "label_status": Text(
        "État de l'étiquette", "Label status", "Estado de la etiqueta", "حالة الملصق"
    ),
    "certificate_status": Text(
        "État du certificat", "Certificate status", "Estado del certificado", "حالة الشهادة"
    ),
    "certificate_validity": Text(
        "Période de validité", "Validity period", "Periodo de validez", "فترة الصلاحية"
    ),
    "conformity": Text("Conformité", "Conformity", "Conformidad", "المطابقة"),
    "log_inclusion": Text("Registre public", "Public log", "Registro público", "السجل العام"),
    "data_freshness": Text(
        "Fraîcheur des données", "Data freshness", "Actualidad de los datos", "حداثة البيانات"
    ),
    "copy_evidence": Text(
        "Indices de copie", "Evidence of copying", "Indicios de copia", "قرائن النسخ"
    ),
}

OUTCOME_WORDS: Final[dict[Outcome, Text]] = {
    Outcome.PASSED: Text("Vérifié", "Passed", "Correcto", "ناجح"),
    Outcome.FAILED: Text("Échec", "Failed", "Fallido", "فاشل"),
    Outcome.WARNING: Text("Attention", "Warning", "Advertencia", "تنبيه"),
    Outcome.NOT_APPLICABLE: Text("Non vérifié", "Not checked", "No comprobado", "لم يُفحص"),
}
