"""The product-line page in words (French, Arabic, English): describing what a label
belongs to and managing its photos (labeling.workspace.product_lines)."""

from __future__ import annotations

from typing import Final

from labeling.workspace.i18n import Text

__all__ = ["PHOTO_PROBLEMS", "WORDS"]

WORDS: Final[dict[str, Text]] = {
    "title": Text("Produit", "المنتج", "Product line"),
    "back": Text("Retour à l'artisan", "العودة إلى الصانع", "Back to the artisan"),
    "back_mine": Text("Mes produits", "منتجاتي", "My products"),
    "buyer_reads": Text(
        "Ce que lit l'acheteur qui scanne une étiquette de ce produit",
        "ما يقرؤه المشتري الذي يمسح ملصقا لهذا المنتج",
        "What a buyer who scans a label of this product reads",
    ),
    "description": Text("Description de l'objet", "وصف القطعة", "Description of the item"),
    "description_hint": Text(
        "Ce qu'un acheteur peut vérifier de ses yeux. Décrivez le produit, jamais une personne.",
        "ما يستطيع المشتري التحقق منه بعينيه. صفوا المنتج، لا شخصا.",
        "What a buyer can check with their own eyes. Describe the product, never a person.",
    ),
    "f_name": Text("Nom de l'objet", "اسم القطعة", "Name of the item"),
    "f_craft": Text("Savoir-faire", "الصنعة", "Craft"),
    "craft_hint": Text(
        "Comment il est fait, par exemple : noué main, tourné, ciselé.",
        "كيف صُنعت، مثلا: معقود يدويا، مخروط، منقوش.",
        "How it is made, for example: hand-knotted, wheel-thrown, chased.",
    ),
    "f_materials": Text("Matières", "المواد", "Materials"),
    "materials_hint": Text("Séparées par des virgules.", "مفصولة بفواصل.", "Separated by commas."),
    "size": Text("Taille", "المقاس", "Size"),
    "size_hint": Text(
        "Une classe de taille, ou des dimensions en centimètres (pas les deux).",
        "فئة مقاس، أو أبعاد بالسنتيمتر (لا الاثنين معا).",
        "A size class, or dimensions in centimetres (not both).",
    ),
    "f_size_class": Text("Classe de taille", "فئة المقاس", "Size class"),
    "f_width": Text("Largeur (cm)", "العرض (سم)", "Width (cm)"),
    "f_length": Text("Longueur (cm)", "الطول (سم)", "Length (cm)"),
    "f_height": Text("Hauteur (cm)", "الارتفاع (سم)", "Height (cm)"),
    "save": Text("Enregistrer la description", "حفظ الوصف", "Save the description"),
    "saved": Text("Description enregistrée.", "تم حفظ الوصف.", "Description saved."),
    "photos": Text("Photos de l'objet", "صور القطعة", "Photos of the item"),
    "photos_hint": Text(
        "JPEG, PNG ou WebP, {megabytes} Mo au plus, {count} photos au plus. Photographiez "
        "l'objet seul, sans personne. La position GPS et les données de l'appareil sont "
        "effacées ; la photo est réduite à 1200 pixels.",
        "JPEG أو PNG أو WebP، {megabytes} ميغابايت على الأكثر، {count} صور على الأكثر. صوّروا "
        "القطعة وحدها دون أي شخص. يُحذف الموقع الجغرافي وبيانات الجهاز، وتُصغَّر الصورة إلى "
        "1200 بكسل.",
        "JPEG, PNG or WebP, at most {megabytes} MB, at most {count} photos. Photograph the item "
        "alone, no people. GPS position and camera data are removed; the photo is scaled to "
        "1200 pixels.",
    ),
    "f_photo": Text("Ajouter une photo", "إضافة صورة", "Add a photo"),
    "upload": Text("Envoyer la photo", "إرسال الصورة", "Upload the photo"),
    "uploaded": Text("Photo ajoutée.", "تمت إضافة الصورة.", "Photo added."),
    "remove": Text("Retirer la photo {number}", "إزالة الصورة {number}", "Remove photo {number}"),
    "removed": Text("Photo retirée.", "تمت إزالة الصورة.", "Photo removed."),
    "no_photos": Text("Pas encore de photo.", "لا صور بعد.", "No photo yet."),
    "photo_alt": Text(
        "Photo {number} : {name}", "الصورة {number}: {name}", "Photo {number}: {name}"
    ),
    "limit_reached": Text(
        "Ce produit a déjà {count} photos : retirez-en une pour en ajouter une autre.",
        "لهذا المنتج {count} صور بالفعل: أزيلوا واحدة لإضافة أخرى.",
        "This product already has {count} photos: remove one to add another.",
    ),
    "number_error": Text(
        "Un nombre de centimètres, par exemple 200 ou 12,5.",
        "عدد بالسنتيمتر، مثلا 200 أو 12,5.",
        "A number of centimetres, for example 200 or 12.5.",
    ),
    "edit": Text(
        "Décrire l'objet et ses photos", "وصف القطعة وصورها", "Describe the item and its photos"
    ),
}

#: The photo problems, as the person reads them (the API says them in English).
PHOTO_PROBLEMS: Final[dict[str, Text]] = {
    "photo-not-an-image": Text(
        "Ce fichier n'est pas une photo JPEG, PNG ou WebP lisible : rien n'a été ajouté.",
        "هذا الملف ليس صورة JPEG أو PNG أو WebP قابلة للقراءة: لم يُضف شيء.",
        "This file is not a readable JPEG, PNG or WebP photo: nothing was added.",
    ),
    "photo-too-large": Text(
        "Cette photo est trop lourde : réduisez-la, puis envoyez-la à nouveau.",
        "هذه الصورة كبيرة جدا: صغّروها ثم أرسلوها من جديد.",
        "This photo is too large: make it smaller, then upload it again.",
    ),
    "photo-too-many-pixels": Text(
        "Cette image a trop de pixels pour être une photo : réduisez-la.",
        "لهذه الصورة عدد كبير جدا من البكسلات: صغّروها.",
        "This image has too many pixels for a photo: make it smaller.",
    ),
    "photo-missing": Text(
        "Choisissez d'abord une photo.", "اختاروا صورة أولا.", "Choose a photo first."
    ),
}
