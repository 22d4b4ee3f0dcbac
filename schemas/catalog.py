"""The catalogue of label schemes, their criteria and the standards they cite."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

__all__ = ["Comparison", "CriterionKind", "LabelScheme", "SchemeCriterion", "Standard"]

CriterionKind = str  # "boolean" | "measured"
Comparison = str  # "ge" | "gt" | "le" | "lt"


class LabelScheme(SQLModel, table=True):
    """A label or mark an artisan can be certified for, at one level or grade.

    ``is_assumption`` marks schemes whose details the public sources do not give (e.g. the
    Maroc Fait Main level names or validity period); the UI says so.
    """

    __tablename__ = "label_scheme"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(40), unique=True, nullable=False))
    family: str = Field(sa_column=Column(String(40), nullable=False, index=True))
    name: str = Field(sa_column=Column(String(300), nullable=False))
    level: int | None = None
    level_name: str | None = Field(default=None, sa_column=Column(String(100), nullable=True))
    description: str = Field(default="", sa_column=Column(Text, nullable=False))
    validity_months: int = 36
    is_assumption: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    assumption_note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    sources: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    standards: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class SchemeCriterion(SQLModel, table=True):
    """One requirement of a scheme: a yes/no check, or a measurement against a threshold."""

    __tablename__ = "scheme_criterion"
    __table_args__ = (UniqueConstraint("scheme_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    scheme_id: int = Field(
        sa_column=Column(Integer, ForeignKey("label_scheme.id"), nullable=False, index=True)
    )
    code: str = Field(sa_column=Column(String(60), nullable=False))
    name: str = Field(sa_column=Column(String(300), nullable=False))
    kind: str = Field(sa_column=Column(String(10), nullable=False))
    unit: str | None = Field(default=None, sa_column=Column(String(30), nullable=True))
    comparison: str | None = Field(default=None, sa_column=Column(String(2), nullable=True))
    threshold: float | None = Field(default=None, sa_column=Column(Float, nullable=True))
    standard_code: str | None = Field(default=None, sa_column=Column(String(120), nullable=True))
    is_assumption: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    position: int = 0


class Standard(SQLModel, table=True):
    """A Moroccan (NM), international (ISO) or market (EU, US) standard or regulation."""

    __tablename__ = "standard"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(120), unique=True, nullable=False))
    title: str = Field(sa_column=Column(Text, nullable=False))
    jurisdiction: str = Field(sa_column=Column(String(10), nullable=False))
    product_family: str = Field(sa_column=Column(Text, nullable=False))
    key_requirement: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(sa_column=Column(String(16), nullable=False))
    is_assumption: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
