"""Accounts and API tokens (tables and their API models)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr
from pydantic import Field as PydField
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlmodel import Field, SQLModel

from schemas.text import SINGLE_LINE, SPACE
from schemas.types import Role, UTCDateTime, utcnow

__all__ = [
    "ApiToken",
    "LoginRequest",
    "TokenCreate",
    "TokenIssued",
    "TokenPublic",
    "UserAccount",
    "UserCreate",
    "UserPublic",
]


class UserAccount(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_column=Column(String(254), unique=True, nullable=False, index=True))
    password_hash: str = Field(sa_column=Column(String(200), nullable=False))
    role: str = Field(sa_column=Column(String(16), nullable=False))
    display_name: str = Field(sa_column=Column(String(200), nullable=False))
    body_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("body.id"), nullable=True, index=True)
    )
    artisan_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("artisan.id"), nullable=True, index=True),
    )
    is_active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ApiToken(SQLModel, table=True):
    """A bearer token; only its SHA-256 is stored, so a database dump reveals no token."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user_account.id"), nullable=False, index=True)
    )
    token_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    name: str = Field(sa_column=Column(String(100), nullable=False))
    kind: str = Field(default="api", sa_column=Column(String(16), nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# --- API models -------------------------------------------------------------------------


class _Input(BaseModel):
    # Nothing is stripped: text is validated as sent, passwords are taken as typed.
    model_config = ConfigDict(extra="forbid")


#: Any address with one ``@`` and no white space; the white space is spelled out, since
#: ``\s`` means other characters to Python, ECMAScript and Rust (pydantic's) regexes.
_SIGN_IN_EMAIL = rf"^[^@\x00{SPACE}]+@[^@\x00{SPACE}]+$"


class LoginRequest(_Input):
    # A plain bounded string, not EmailStr: signing in must accept every address an account
    # holds (EmailStr refuses reserved domains such as .test that the registry may contain).
    email: str = PydField(min_length=3, max_length=254, pattern=_SIGN_IN_EMAIL)
    password: str = PydField(min_length=1, max_length=256)
    token_name: str = PydField(default="api", min_length=1, max_length=100, pattern=SINGLE_LINE)


class TokenCreate(_Input):
    name: str = PydField(min_length=1, max_length=100, pattern=SINGLE_LINE)
    ttl_hours: int | None = PydField(default=None, ge=1, le=24 * 365)


class TokenIssued(BaseModel):
    access_token: str
    token_type: str = "bearer"
    token_id: int
    expires_at: datetime


class TokenPublic(BaseModel):
    id: int
    name: str
    kind: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class UserCreate(_Input):
    email: EmailStr
    password: str = PydField(min_length=12, max_length=256)
    display_name: str = PydField(min_length=1, max_length=200)
    role: Role


class UserPublic(BaseModel):
    id: int
    email: str
    display_name: str
    role: Role
    body_id: int | None
    artisan_id: int | None
    is_active: bool
