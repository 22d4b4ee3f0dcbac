"""Pure data: table models, API models and value types. Imports nothing else of ours."""

from schemas import (
    accounts,
    audits,
    catalog,
    certificates,
    items,
    keys,
    labels,
    registry,
    reports,
    retailers,
    secrets,
    snapshots,
    telemetry,
    translog,
    webhooks,
)

__all__ = [
    "accounts",
    "audits",
    "catalog",
    "certificates",
    "items",
    "keys",
    "labels",
    "registry",
    "reports",
    "retailers",
    "secrets",
    "snapshots",
    "telemetry",
    "translog",
    "webhooks",
]
