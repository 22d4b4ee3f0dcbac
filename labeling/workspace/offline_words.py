"""What the offline outbox says (``templates/offline.js``), in French, Arabic and English.

The words reach the script as ``data-w-*`` attributes of the outbox region in ``base.html``.
"""

from __future__ import annotations

from typing import Final

from labeling.workspace.i18n import Text, WLang

__all__ = ["OUTBOX_WORDS", "outbox_words"]

OUTBOX_WORDS: Final[dict[str, Text]] = {
    "title": Text("Audits à envoyer", "تدقيقات في انتظار الإرسال", "Audits to send"),
    "waiting": Text("En attente d'envoi", "في انتظار الإرسال", "Waiting to send"),
    "saved": Text(
        "Audit gardé sur cet appareil, en attente d'envoi : il partira tout seul dès que la "
        "connexion reviendra. Vous pouvez fermer la page.",
        "حُفظ التدقيق على هذا الجهاز في انتظار الإرسال: سيُرسل تلقائيًا فور عودة الاتصال. "
        "يمكنكم إغلاق الصفحة.",
        "Audit kept on this device, waiting to send: it will go by itself as soon as the "
        "connection returns. You may close the page.",
    ),
    "sending": Text("Envoi en cours…", "جارٍ الإرسال…", "Sending…"),
    "sent": Text(
        "Envoyé : le registre a enregistré l'audit.",
        "أُرسل: سجّل السجلُّ التدقيق.",
        "Sent: the registry recorded the audit.",
    ),
    "refused": Text(
        "Refusé par le registre (gardé sur cet appareil) :",
        "رفضه السجل (يبقى محفوظًا على هذا الجهاز):",
        "Refused by the registry (kept on this device):",
    ),
    "signin": Text(
        "Votre session a pris fin : connectez-vous à nouveau pour l'envoyer. L'audit reste "
        "gardé sur cet appareil.",
        "انتهت جلستكم: سجّلوا الدخول من جديد لإرساله. يبقى التدقيق محفوظًا على هذا الجهاز.",
        "Your session has ended: sign in again to send it. The audit stays kept on this device.",
    ),
    "other_person": Text(
        "Gardé pour une autre personne de cet appareil : il partira quand elle se connectera.",
        "محفوظ لشخص آخر على هذا الجهاز: سيُرسل عندما يسجّل دخوله.",
        "Kept for another person of this device: it will go when they sign in.",
    ),
    "offline": Text(
        "Pas de connexion : enregistrez vos audits, ils restent sur cet appareil et partiront "
        "au retour du réseau.",
        "لا يوجد اتصال: سجّلوا تدقيقاتكم، فهي تبقى على هذا الجهاز وتُرسل عند عودة الشبكة.",
        "No connection: record your audits, they stay on this device and will go when the "
        "network returns.",
    ),
    "send_now": Text("Envoyer maintenant", "أرسل الآن", "Send now"),
    "open": Text("Ouvrir le brouillon", "افتح المسودة", "Open the draft"),
    "discard": Text("Abandonner", "تخلَّ عنه", "Discard"),
    "discard_confirm": Text(
        "Abandonner cet audit ? Ce qui a été saisi sera perdu.",
        "التخلي عن هذا التدقيق؟ سيضيع كل ما أُدخل.",
        "Discard this audit? What was typed will be lost.",
    ),
    "restored": Text(
        "Brouillon rouvert depuis cet appareil : corrigez-le puis enregistrez.",
        "أُعيد فتح المسودة من هذا الجهاز: صحّحوها ثم احفظوا.",
        "Draft reopened from this device: correct it, then save.",
    ),
    "sign_in": Text("Se connecter", "تسجيل الدخول", "Sign in"),
}


def outbox_words(lang: WLang) -> dict[str, str]:
    """The outbox's words in ``lang`` (for ``data-w-*`` attributes)."""
    return {key: text(lang) for key, text in OUTBOX_WORDS.items()}
