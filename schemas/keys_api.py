"""API models of the published keys: the trust list (docs/keys.md) as the OpenAPI
document describes it. The served bytes are produced by ``verify.trust_list``; these models
document them and let a client parse them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["TrustListDocument", "TrustListKey", "TrustListLog", "TrustListSignature"]

_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"


class TrustListKey(BaseModel):
    """A label-signing key as a JWK (RFC 7517, RFC 8037) with its validity window."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    kty: str = Field(description='Always "OKP".', examples=["OKP"])
    crv: str = Field(description='Always "Ed25519".', examples=["Ed25519"])
    x: str = Field(description="The raw 32-byte public key, base64url without padding.")
    kid: str = Field(pattern=r"^[0-9a-f]{8}$", description="Hex of SHA-256(x)[:4].")
    use: str = Field(description='Always "sig".')
    alg: str = Field(description='Always "EdDSA".')
    not_before: str = Field(
        alias="khatem:not_before", pattern=_TIME, description="Earliest signing time."
    )
    retired_at: str | None = Field(
        default=None,
        alias="khatem:retired_at",
        pattern=_TIME,
        description="Absent while the key is in use; it signs nothing at or after this time.",
    )
    compromised_since: str | None = Field(
        default=None,
        alias="khatem:compromised_since",
        pattern=_TIME,
        description="Absent unless compromised; signatures from this time on are rejected.",
    )


class TrustListLog(BaseModel):
    """The transparency log whose checkpoints the same root key signs."""

    model_config = ConfigDict(frozen=True)

    origin: str = Field(description="Checkpoint origin line and note key name.")
    vkey: str = Field(description="Note verifier key: <origin>+<hex key hash>+<base64 key>.")


class TrustListSignature(BaseModel):
    """Ed25519 signature by the root key over the context line and the JCS document."""

    model_config = ConfigDict(frozen=True)

    alg: str = Field(description='Always "EdDSA".')
    kid: str = Field(pattern=r"^[0-9a-f]{8}$", description="The root key's key id.")
    sig: str = Field(description="64-byte signature, base64url without padding.")


class TrustListDocument(BaseModel):
    """The signed trust list served at ``/.well-known/khatem/trust-list.json``."""

    model_config = ConfigDict(frozen=True)

    version: int = Field(description="Format version, 1.")
    keys: list[TrustListKey]
    issued_at: str = Field(pattern=_TIME)
    max_age: int = Field(description="Seconds a verifier may rely on this copy.")
    log: TrustListLog
    signature: TrustListSignature
