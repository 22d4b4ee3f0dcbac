"""Each reason code of a check in words: what the check found and what it means for the
person holding the item, in four languages.

Every reason code of :data:`verify.decision.REASONS` has a sentence here; a test keeps the
two in step. A label that could not be read gets one sentence, with what was wrong with it
in a few words (:data:`_PARSE_DETAILS`); the copy-evidence reasons come from
:mod:`verify.pages.suspicion_text`.
"""

from __future__ import annotations

from typing import Final

from verify.pages.i18n import Text
from verify.pages.suspicion_text import COPY_REASON_TEXTS

__all__ = ["REASON_TEXTS"]

_UNREADABLE = Text(
    "Le code scanné n'est pas une adresse d'étiquette Khatem lisible ({what}).",
    "The scanned code is not a readable Khatem label address ({what}).",
    "El código escaneado no es una dirección de etiqueta Khatem legible ({what}).",
    "الرمز الممسوح ليس عنوان ملصق خاتم مقروءًا ({what}).",
)

# What a parse failure was, in a few words (slotted into _UNREADABLE).
_PARSE_DETAILS: Final[dict[str, Text]] = {
    "uri_too_long": Text("trop long", "too long", "demasiado largo", "طويل جدًا"),
    "uri_malformed": Text(
        "adresse mal formée", "malformed address", "dirección mal formada", "عنوان غير سليم"
    ),
    "host_invalid": Text(
        "nom de site invalide",
        "invalid site name",
        "nombre de sitio no válido",
        "اسم موقع غير صالح",
    ),
    "path_invalid": Text("chemin invalide", "invalid path", "ruta no válida", "مسار غير صالح"),
    "gtin_malformed": Text(
        "code article (GTIN) mal formé",
        "malformed item number (GTIN)",
        "código de artículo (GTIN) mal formado",
        "رقم المنتج (GTIN) غير سليم",
    ),
    "gtin_check_digit": Text(
        "chiffre de contrôle du GTIN faux",
        "wrong GTIN check digit",
        "dígito de control del GTIN incorrecto",
        "رقم التحقق في GTIN خاطئ",
    ),
    "serial_invalid": Text(
        "numéro de série invalide",
        "invalid serial number",
        "número de serie no válido",
        "رقم تسلسلي غير صالح",
    ),
    "signature_missing": Text(
        "signature absente", "signature missing", "falta la firma", "التوقيع مفقود"
    ),
    "signature_duplicate": Text(
        "signature en double", "signature given twice", "firma duplicada", "التوقيع مكرر"
    ),
    "signature_malformed": Text(
        "signature mal formée", "malformed signature", "firma mal formada", "توقيع غير سليم"
    ),
    "version_unsupported": Text(
        "version de format inconnue",
        "unknown format version",
        "versión de formato desconocida",
        "إصدار تنسيق غير معروف",
    ),
    "issued_at_invalid": Text(
        "date d'émission invalide",
        "invalid issue date",
        "fecha de emisión no válida",
        "تاريخ إصدار غير صالح",
    ),
    "kid_invalid": Text(
        "identifiant de clé invalide",
        "invalid key identifier",
        "identificador de clave no válido",
        "معرّف مفتاح غير صالح",
    ),
    "certificate_code_invalid": Text(
        "code de certificat invalide",
        "invalid certificate code",
        "código de certificado no válido",
        "رمز شهادة غير صالح",
    ),
    "label_too_large": Text(
        "données trop longues", "data too long", "datos demasiado largos", "بيانات طويلة جدًا"
    ),
    "uri_not_canonical": Text(
        "forme non canonique", "not in canonical form", "forma no canónica", "ليس بالصيغة المعتمدة"
    ),
}


def _unreadable(what: Text) -> Text:
    return Text(
        _UNREADABLE("fr", what=what.fr),
        _UNREADABLE("en", what=what.en),
        _UNREADABLE("es", what=what.es),
        _UNREADABLE("ar", what=what.ar),
    )


REASON_TEXTS: Final[dict[str, Text]] = {
    **{code: _unreadable(detail) for code, detail in _PARSE_DETAILS.items()},
    **COPY_REASON_TEXTS,
    "not_checked": Text(
        "Pas vérifié : une vérification précédente a déjà décidé du résultat.",
        "Not checked: an earlier check already decided the outcome.",
        "No comprobado: una comprobación anterior ya decidió el resultado.",
        "لم يُفحص: فحص سابق حسم النتيجة بالفعل.",
    ),
    "signature_valid": Text(
        "La signature numérique du registre est intacte : rien dans l'étiquette n'a été "
        "modifié depuis son émission.",
        "The registry's digital signature is intact: nothing on the label was changed since "
        "it was issued.",
        "La firma digital del registro está intacta: nada de la etiqueta cambió desde su emisión.",
        "التوقيع الرقمي للسجل سليم: لم يتغير شيء في الملصق منذ إصداره.",
    ),
    "signature_matches_record": Text(
        "L'étiquette est exactement celle que le registre a signée et enregistrée : rien "
        "n'a été modifié depuis son émission.",
        "The label is exactly the one the registry signed and recorded: nothing was changed "
        "since it was issued.",
        "La etiqueta es exactamente la que el registro firmó y registró: nada cambió desde "
        "su emisión.",
        "الملصق هو نفسه الذي وقّعه السجل وسجّله: لم يتغير شيء منذ إصداره.",
    ),
    "signature_not_on_record": Text(
        "La signature ne correspond pas à celle que le registre a enregistrée pour cette "
        "étiquette : elle a été modifiée ou contrefaite.",
        "The signature is not the one the registry recorded for this label: it was altered "
        "or forged.",
        "La firma no es la que el registro guardó para esta etiqueta: fue alterada o falsificada.",
        "التوقيع ليس هو الذي سجّله السجل لهذا الملصق: فقد عُدِّل أو زُوِّر.",
    ),
    "signature_invalid": Text(
        "La signature ne correspond pas : l'étiquette a été modifiée ou contrefaite.",
        "The signature does not match: the label was altered or forged.",
        "La firma no coincide: la etiqueta fue alterada o falsificada.",
        "التوقيع غير مطابق: الملصق معدَّل أو مزوَّر.",
    ),
    "not_checked_key_unavailable": Text(
        "La signature n'a pas pu être vérifiée : la clé qui l'aurait faite est inconnue.",
        "The signature could not be checked: the key that would have made it is unknown.",
        "No se pudo comprobar la firma: la clave que la habría hecho es desconocida.",
        "تعذّر فحص التوقيع: المفتاح الذي يُفترض أنه وقّعه غير معروف.",
    ),
    "issued_at_future": Text(
        "La date d'émission est dans le futur : une vraie étiquette ne peut pas l'être.",
        "The issue date is in the future: a genuine label cannot be.",
        "La fecha de emisión está en el futuro: una etiqueta auténtica no puede estarlo.",
        "تاريخ الإصدار في المستقبل: لا يمكن أن يكون ذلك في ملصق أصلي.",
    ),
    "key_trusted": Text(
        "Signée par une clé officielle du registre, valide à la date d'émission.",
        "Signed with an official registry key, valid on the issue date.",
        "Firmada con una clave oficial del registro, válida en la fecha de emisión.",
        "موقَّع بمفتاح رسمي للسجل كان صالحًا في تاريخ الإصدار.",
    ),
    "key_unknown": Text(
        "La clé de signature n'est pas une clé connue du registre.",
        "The signing key is not a key the registry knows.",
        "La clave de firma no es una clave conocida del registro.",
        "مفتاح التوقيع ليس مفتاحًا يعرفه السجل.",
    ),
    "key_compromised": Text(
        "La clé de signature a été compromise : cette signature ne prouve plus rien.",
        "The signing key was compromised: this signature no longer proves anything.",
        "La clave de firma fue comprometida: esta firma ya no prueba nada.",
        "اختُرق مفتاح التوقيع: هذا التوقيع لم يعد يثبت شيئًا.",
    ),
    "key_compromised_after_signing": Text(
        "La clé a été compromise après l'émission de cette étiquette ; le registre atteste "
        "l'avoir émise avant.",
        "The key was compromised after this label was issued; the registry attests it "
        "issued the label before.",
        "La clave fue comprometida después de emitirse esta etiqueta; el registro certifica "
        "que la emitió antes.",
        "اختُرق المفتاح بعد إصدار هذا الملصق؛ ويشهد السجل بأنه أصدره قبل ذلك.",
    ),
    "key_not_yet_valid": Text(
        "La clé n'était pas encore en service à la date d'émission indiquée.",
        "The key was not yet in service on the stated issue date.",
        "La clave aún no estaba en servicio en la fecha de emisión indicada.",
        "لم يكن المفتاح قد دخل الخدمة في تاريخ الإصدار المذكور.",
    ),
    "key_retired": Text(
        "La clé était déjà retirée du service à la date d'émission indiquée.",
        "The key had already been retired on the stated issue date.",
        "La clave ya estaba retirada en la fecha de emisión indicada.",
        "كان المفتاح قد أُحيل على التقاعد في تاريخ الإصدار المذكور.",
    ),
    "label_active": Text(
        "L'étiquette est active dans le registre.",
        "The label is active in the registry.",
        "La etiqueta está activa en el registro.",
        "الملصق نشط في السجل.",
    ),
    "label_not_listed": Text(
        "L'étiquette ne figure pas dans la liste des étiquettes suspendues ou révoquées.",
        "The label is not on the list of suspended or revoked labels.",
        "La etiqueta no figura en la lista de etiquetas suspendidas o revocadas.",
        "الملصق غير مدرج في قائمة الملصقات الموقوفة أو الملغاة.",
    ),
    "label_suspended": Text(
        "L'étiquette est suspendue par le registre.",
        "The registry has suspended this label.",
        "El registro ha suspendido esta etiqueta.",
        "أوقف السجل هذا الملصق.",
    ),
    "label_revoked": Text(
        "L'étiquette a été révoquée par le registre.",
        "The registry has revoked this label.",
        "El registro ha revocado esta etiqueta.",
        "ألغى السجل هذا الملصق.",
    ),
    "label_not_found": Text(
        "Le registre n'a jamais émis d'étiquette avec ce numéro.",
        "The registry never issued a label with this number.",
        "El registro nunca emitió una etiqueta con este número.",
        "لم يُصدر السجل أبدًا ملصقًا بهذا الرقم.",
    ),
    "certificate_active": Text(
        "Le certificat de l'artisan est en vigueur.",
        "The artisan's certificate is in force.",
        "El certificado del artesano está en vigor.",
        "شهادة الحرفي سارية المفعول.",
    ),
    "certificate_suspended": Text(
        "Le certificat de l'artisan est suspendu.",
        "The artisan's certificate is suspended.",
        "El certificado del artesano está suspendido.",
        "شهادة الحرفي موقوفة.",
    ),
    "certificate_withdrawn": Text(
        "Le certificat de l'artisan a été retiré.",
        "The artisan's certificate has been withdrawn.",
        "El certificado del artesano ha sido retirado.",
        "سُحبت شهادة الحرفي.",
    ),
    "certificate_expired": Text(
        "Le certificat a expiré depuis ; l'objet a été étiqueté quand il était valide.",
        "The certificate has since expired; the item was labelled while it was valid.",
        "El certificado ha caducado desde entonces; el objeto se etiquetó cuando era válido.",
        "انتهت صلاحية الشهادة منذ ذلك الحين؛ وقد وُسمت القطعة حين كانت سارية.",
    ),
    "certificate_not_found": Text(
        "Le certificat indiqué sur l'étiquette est inconnu.",
        "The certificate named on the label is unknown.",
        "El certificado indicado en la etiqueta es desconocido.",
        "الشهادة المذكورة على الملصق غير معروفة.",
    ),
    "issued_within_validity": Text(
        "L'étiquette a été émise pendant la période de validité du certificat.",
        "The label was issued within the certificate's validity period.",
        "La etiqueta se emitió dentro del periodo de validez del certificado.",
        "صدر الملصق خلال فترة صلاحية الشهادة.",
    ),
    "issued_outside_validity": Text(
        "L'étiquette a été émise hors de la période de validité du certificat.",
        "The label was issued outside the certificate's validity period.",
        "La etiqueta se emitió fuera del periodo de validez del certificado.",
        "صدر الملصق خارج فترة صلاحية الشهادة.",
    ),
    "conformity_recorded": Text(
        "Un audit réussi, enregistré par l'organisme certificateur, fonde ce certificat.",
        "A passed audit, recorded by the certifying body, stands behind this certificate.",
        "Una auditoría superada, registrada por el organismo certificador, respalda este "
        "certificado.",
        "تستند هذه الشهادة إلى تدقيق ناجح سجّلته هيئة الاعتماد.",
    ),
    "audit_not_passed": Text(
        "L'audit à l'origine du certificat n'a pas été réussi.",
        "The audit behind the certificate was not passed.",
        "La auditoría en la que se basa el certificado no se superó.",
        "لم يُجتز التدقيق الذي تستند إليه الشهادة.",
    ),
    "included_in_checkpoint": Text(
        "L'émission de l'étiquette figure dans le registre public infalsifiable.",
        "The label's issuance is recorded in the tamper-evident public log.",
        "La emisión de la etiqueta consta en el registro público a prueba de manipulaciones.",
        "إصدار الملصق مُسجَّل في السجل العام المحمي من التلاعب.",
    ),
    "log_checkpoint_pending": Text(
        "L'émission est enregistrée ; sa preuve publique sera publiée sous peu.",
        "The issuance is recorded; its public proof will be published shortly.",
        "La emisión está registrada; su prueba pública se publicará en breve.",
        "الإصدار مُسجَّل، وسيُنشر دليله العام قريبًا.",
    ),
    "log_entry_missing": Text(
        "L'émission de cette étiquette est absente du registre public.",
        "This label's issuance is missing from the public log.",
        "La emisión de esta etiqueta no consta en el registro público.",
        "إصدار هذا الملصق غير موجود في السجل العام.",
    ),
    "log_proof_invalid": Text(
        "La preuve du registre public ne concorde pas.",
        "The public log's proof does not match.",
        "La prueba del registro público no coincide.",
        "دليل السجل العام غير متطابق.",
    ),
    "not_checked_offline": Text(
        "Non vérifié hors ligne : le registre public se consulte en ligne.",
        "Not checked offline: the public log is consulted online.",
        "No comprobado sin conexión: el registro público se consulta en línea.",
        "لم يُفحص دون اتصال: يُراجَع السجل العام عبر الإنترنت.",
    ),
    "data_fresh": Text(
        "Les données de vérification sont à jour.",
        "The verification data are up to date.",
        "Los datos de verificación están al día.",
        "بيانات التحقق محدّثة.",
    ),
    "status_data_stale": Text(
        "Les données d'état utilisées sont anciennes : une suspension récente pourrait manquer.",
        "The status data used are old: a recent suspension could be missing.",
        "Los datos de estado usados son antiguos: podría faltar una suspensión reciente.",
        "بيانات الحالة المستخدمة قديمة: قد يغيب عنها إيقاف حديث.",
    ),
    "status_data_expired": Text(
        "Les données d'état utilisées sont trop anciennes pour se prononcer : "
        "reconnectez-vous pour les mettre à jour.",
        "The status data used are too old to decide: go online to update them.",
        "Los datos de estado usados son demasiado antiguos para decidir: conéctese para "
        "actualizarlos.",
        "بيانات الحالة المستخدمة أقدم من أن يُبنى عليها حكم: اتصل بالإنترنت لتحديثها.",
    ),
    "trust_list_stale": Text(
        "La liste des clés de confiance utilisée est ancienne.",
        "The trusted key list used is old.",
        "La lista de claves de confianza usada es antigua.",
        "قائمة المفاتيح الموثوقة المستخدمة قديمة.",
    ),
    "live_registry": Text(
        "Vérifié à l'instant auprès du registre en ligne.",
        "Checked just now against the live registry.",
        "Comprobado ahora mismo con el registro en línea.",
        "فُحص للتو مقابل السجل المباشر.",
    ),
}
