"""The SUSPICIOUS verdict in words: why the label looks copied, with dates and countries,
and what to do — in the buyer's language (fr/en/es/ar).

The ``copy_evidence`` check's detail lists the evidence (``reason``, and where known
``on``, ``country``, ``countries``, ``scans``, ``window_days``); :func:`evidence_text`
writes it as one sentence per piece, e.g. "Received by a retailer in Spain on 3 March
2026." and "Scanned in 5 countries (France, Germany, Italy, Spain, United States) within
7 days." Country names come from Babel's CLDR data in the page's language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Final

from babel import Locale

from verify.pages.i18n import Lang, Text, format_day

__all__ = ["COPY_REASON_TEXTS", "SUSPICIOUS_MEANING", "SUSPICIOUS_WORD", "evidence_text"]

SUSPICIOUS_WORD: Final = Text("Suspecte", "Suspicious", "Sospechosa", "مشبوه")

SUSPICIOUS_MEANING: Final = Text(
    "La signature est authentique, mais l'objet ne l'est peut-être pas : cette étiquette a "
    "probablement été copiée. Avant d'acheter, comparez l'objet à la description et "
    "demandez au vendeur d'où il vient ; si vous l'avez acheté, signalez-le au registre.",
    "The signature is genuine, but the item may not be: this label has probably been "
    "copied. Before buying, compare the item with its description and ask the seller where "
    "it comes from; if you bought it, report it to the registry.",
    "La firma es auténtica, pero puede que el objeto no lo sea: esta etiqueta probablemente "
    "ha sido copiada. Antes de comprar, compare el objeto con su descripción y pregunte al "
    "vendedor de dónde procede; si ya lo compró, avise al registro.",
    "التوقيع أصلي، لكن القطعة قد لا تكون كذلك: يُرجَّح أن هذا الملصق منسوخ. قبل الشراء، "
    "قارن القطعة بوصفها واسأل البائع عن مصدرها؛ وإن كنت قد اشتريتها فأبلغ السجل.",
)

#: The reason codes of the ``copy_evidence`` check, in words (without dates or places).
COPY_REASON_TEXTS: Final[dict[str, Text]] = {
    "confirmed_clone": Text(
        "L'organisme certificateur a confirmé que cette étiquette a été copiée.",
        "The certifying body has confirmed that this label was copied.",
        "El organismo certificador ha confirmado que esta etiqueta fue copiada.",
        "أكدت هيئة الاعتماد أن هذا الملصق منسوخ.",
    ),
    "received_by_two_retailers": Text(
        "Deux commerçants différents ont reçu un objet portant cette même étiquette.",
        "Two different retailers received an item carrying this same label.",
        "Dos comerciantes distintos recibieron un objeto con esta misma etiqueta.",
        "استلم تاجران مختلفان قطعة تحمل هذا الملصق نفسه.",
    ),
    "received_twice_in_one_shipment": Text(
        "Un même envoi contenait plusieurs objets portant cette étiquette.",
        "One shipment held more than one item carrying this label.",
        "Un mismo envío contenía varios objetos con esta etiqueta.",
        "احتوت شحنة واحدة على أكثر من قطعة تحمل هذا الملصق.",
    ),
    "scanned_in_many_countries": Text(
        "Cette étiquette a été scannée dans plus de pays qu'un seul objet ne peut l'être.",
        "This label was scanned in more countries than one item can be.",
        "Esta etiqueta se escaneó en más países de los que puede estar un solo objeto.",
        "مُسح هذا الملصق في بلدان أكثر مما يمكن أن تكون فيه قطعة واحدة.",
    ),
    "scanned_too_often": Text(
        "Cette étiquette a été scannée bien plus souvent qu'un seul objet ne l'est.",
        "This label was scanned far more often than one item is.",
        "Esta etiqueta se escaneó muchas más veces de lo que se escanea un solo objeto.",
        "مُسح هذا الملصق مرات أكثر بكثير مما تُمسح به قطعة واحدة.",
    ),
}

_RECEIVED_IN: Final = Text(
    "Reçue par un commerçant ({country}) le {day}, puis par un autre commerçant.",
    "Received by a retailer in {country} on {day}, then by another retailer.",
    "Recibida por un comerciante en {country} el {day} y después por otro comerciante.",
    "استلمها تاجر في {country} بتاريخ {day}، ثم تاجر آخر.",
)
_TWICE_IN: Final = Text(
    "Reçue en plusieurs exemplaires dans un même envoi ({country}) le {day}.",
    "Received more than once in one shipment in {country} on {day}.",
    "Recibida más de una vez en un mismo envío en {country} el {day}.",
    "استُلمت أكثر من مرة في شحنة واحدة في {country} بتاريخ {day}.",
)
_COUNTRIES_IN: Final = Text(
    "Scannée dans {count} pays ({countries}) en {days} jours (constaté le {day}).",
    "Scanned in {count} countries ({countries}) within {days} days (seen on {day}).",
    "Escaneada en {count} países ({countries}) en {days} días (constatado el {day}).",
    "مُسحت في {count} بلدان ({countries}) خلال {days} أيام (لوحظ بتاريخ {day}).",
)
_SCANS_IN: Final = Text(
    "Scannée {scans} fois en {days} jours (constaté le {day}).",
    "Scanned {scans} times within {days} days (seen on {day}).",
    "Escaneada {scans} veces en {days} días (constatado el {day}).",
    "مُسحت {scans} مرة خلال {days} أيام (لوحظ بتاريخ {day}).",
)
_CONFIRMED_ON: Final = Text(
    "L'organisme certificateur a confirmé le {day} que cette étiquette a été copiée.",
    "The certifying body confirmed on {day} that this label was copied.",
    "El organismo certificador confirmó el {day} que esta etiqueta fue copiada.",
    "أكدت هيئة الاعتماد بتاريخ {day} أن هذا الملصق منسوخ.",
)


def country_name(code: str, lang: Lang) -> str:
    """A country's name in the page's language (the code itself if CLDR has none)."""
    name = Locale(lang).territories.get(code)
    return str(name) if name else code


def _day(value: Any, lang: Lang) -> str | None:
    try:
        return format_day(date.fromisoformat(str(value)), lang) if value else None
    except ValueError:
        return None


def _sentence(item: Mapping[str, Any], lang: Lang) -> str:
    reason = str(item.get("reason", ""))
    day = _day(item.get("on"), lang)
    country = item.get("country")
    plain = COPY_REASON_TEXTS.get(reason)
    fallback = plain(lang) if plain else reason
    if day is None:
        return fallback
    if reason == "confirmed_clone":
        return _CONFIRMED_ON(lang, day=day)
    if reason in ("received_by_two_retailers", "received_twice_in_one_shipment") and country:
        where = country_name(str(country), lang)
        text = _RECEIVED_IN if reason == "received_by_two_retailers" else _TWICE_IN
        return text(lang, country=where, day=day)
    countries: Sequence[Any] = item.get("countries") or ()
    days = item.get("window_days")
    if reason == "scanned_in_many_countries" and countries and days:
        names = sorted(country_name(str(code), lang) for code in countries)
        separator = "، " if lang == "ar" else ", "
        return _COUNTRIES_IN(
            lang, count=len(names), countries=separator.join(names), days=days, day=day
        )
    if reason == "scanned_too_often" and item.get("scans") and days:
        return _SCANS_IN(lang, scans=item["scans"], days=days, day=day)
    return fallback


def evidence_text(detail: Mapping[str, Any] | None, reason: str, lang: Lang) -> str:
    """The ``copy_evidence`` check's evidence as sentences (its reason alone if none)."""
    items = detail.get("evidence") if detail else None
    if not isinstance(items, list) or not items:
        plain = COPY_REASON_TEXTS.get(reason)
        return plain(lang) if plain else reason
    return " ".join(_sentence(item, lang) for item in items if isinstance(item, Mapping))
