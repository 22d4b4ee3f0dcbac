"""The registry's domain errors, each with a stable problem ``type`` slug.

Hierarchy (the base classes are :mod:`core.problems`)::

    NotFound (404)      body-not-found, inspector-not-found, scheme-not-found,
                        authorisation-not-found, artisan-not-found, product-line-not-found
    Conflict (409)      body-code-taken, nia-taken, gtin-taken, artisan-account-exists
    UnprocessableContent (422)
                        unknown-region, unknown-filiere, region-outside-body, gtin-invalid,
                        gtin-reserved, page-size-too-large, body-details-invalid,
                        account-details-invalid
    Forbidden (403)     no-body

A 404 also answers "it exists but is not yours", so that ids reveal nothing across bodies.
"""

from __future__ import annotations

from core.problems import Conflict, Forbidden, NotFound, UnprocessableContent

__all__ = [
    "AccountDetailsInvalid",
    "ArtisanAccountExists",
    "ArtisanNotFound",
    "AuthorisationNotFound",
    "BodyDetailsInvalid",
    "BodyCodeTaken",
    "BodyNotFound",
    "GtinInvalid",
    "GtinReserved",
    "GtinTaken",
    "InspectorNotFound",
    "NiaTaken",
    "NoBody",
    "ProductLineNotFound",
    "RegionOutsideBody",
    "SchemeNotFound",
    "UnknownFiliere",
    "UnknownRegion",
]


class BodyNotFound(NotFound):
    slug = "body-not-found"
    title = "No such body"


class InspectorNotFound(NotFound):
    slug = "inspector-not-found"
    title = "No such inspector in your body"


class SchemeNotFound(NotFound):
    slug = "scheme-not-found"
    title = "No such label scheme"


class AuthorisationNotFound(NotFound):
    slug = "authorisation-not-found"
    title = "The inspector holds no such authorisation"


class ArtisanNotFound(NotFound):
    slug = "artisan-not-found"
    title = "No such artisan"


class ProductLineNotFound(NotFound):
    slug = "product-line-not-found"
    title = "No such product line"


class BodyCodeTaken(Conflict):
    slug = "body-code-taken"
    title = "A body with this code exists"


class NiaTaken(Conflict):
    slug = "nia-taken"
    title = "An artisan with this NIA is already registered"


class GtinTaken(Conflict):
    slug = "gtin-taken"
    title = "Another product line has this GTIN"


class ArtisanAccountExists(Conflict):
    slug = "artisan-account-exists"
    title = "This artisan already has a login account"


class UnknownRegion(UnprocessableContent):
    slug = "unknown-region"
    title = "No such region"


class UnknownFiliere(UnprocessableContent):
    slug = "unknown-filiere"
    title = "No such filière"


class RegionOutsideBody(UnprocessableContent):
    slug = "region-outside-body"
    title = "A chambre registers the artisans of its own region"


class GtinInvalid(UnprocessableContent):
    slug = "gtin-invalid"
    title = "Not a valid GTIN"


class GtinReserved(UnprocessableContent):
    slug = "gtin-reserved"
    title = "This GTIN is in the range the registry assigns itself"


class BodyDetailsInvalid(UnprocessableContent):
    slug = "body-details-invalid"
    title = "Not a usable body code or name"


class AccountDetailsInvalid(UnprocessableContent):
    slug = "account-details-invalid"
    title = "Unusable email or password"


class NoBody(Forbidden):
    slug = "no-body"
    title = "This account belongs to no body"
