"""Runtime configuration, read from ``KHATEM_*`` environment variables.

The embedded default (no variables set) is a development registry: a SQLite file and a
generated development signing key under ``./khatem-data``. Production mode refuses to start on
development secrets; see :func:`Settings.check_production_safety`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "derived_base_url", "get_settings"]


class Settings(BaseSettings):
    """Every setting the registry reads; each maps to ``KHATEM_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="KHATEM_", extra="ignore", frozen=True)

    environment: Literal["development", "production", "test"] = "development"
    data_dir: Path = Path("khatem-data")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; defaults to a SQLite file in data_dir. "
        "PostgreSQL: postgresql+psycopg://user@host:5432/db",
    )

    # Serving.
    bind_host: str = "127.0.0.1"
    bind_port: int = 8000
    public_base_url: str = Field(
        default="",
        description="Where the registry is reachable, used in every absolute URL it prints "
        "(linksets, Link headers, badge snippets, certificate links). Unset: the address "
        "it is bound to, http://BIND_HOST:BIND_PORT (see derived_base_url).",
    )
    label_host: str = Field(
        default="KHATEM.MA",
        description="Host printed in label QR codes (upper case, at most 16 characters).",
    )

    # Limits (documented in the README and the API guide).
    max_body_bytes: int = 1_048_576
    max_evidence_bytes: int = 10 * 1_048_576
    evidence_dir: Path | None = Field(
        default=None,
        description="Where evidence files are stored, by content hash (default: "
        "data_dir/evidence). Every server of a registry must see the same directory.",
    )
    max_page_size: int = 200
    default_page_size: int = 50
    # Photos of product lines (labeling/registry/photos.py, docs/verification.md "The item").
    max_photo_bytes: int = Field(
        default=8 * 1_048_576,
        ge=1024,
        description="Largest photo upload accepted (413 photo-too-large above); at most "
        "max_evidence_bytes, the multipart limit of the request guard.",
    )
    max_photo_pixels: int = Field(
        default=40_000_000,
        ge=1,
        description="Largest image (width x height) a photo may declare: a decompression "
        "bomb is refused (422 photo-too-many-pixels) before a pixel is decoded.",
    )
    max_photos_per_line: int = Field(
        default=6, ge=1, le=50, description="Photos a product line may hold (409 above)."
    )
    # Workspace lists (labeling/workspace, docs/workspace.md "Long lists").
    workspace_page_size: int = Field(
        default=20,
        ge=1,
        le=200,
        description="Rows on one page of a workspace list (keyset pages: next and previous).",
    )

    # Accounts.
    token_ttl_hours: int = 24 * 30
    session_ttl_hours: int = 12
    # A browser session (the ``khatem_session`` cookie) also ends after this long unused;
    # use is noted to five minutes (core.auth), so it ends between IDLE-5 and IDLE minutes.
    session_idle_minutes: int = Field(default=60, ge=10)
    login_max_failures: int = 5
    login_lockout_seconds: int = 900
    # Sign-ins verify an Argon2 hash (64 MiB, ~0.2 s of CPU): at most CONCURRENCY at once
    # (0: one per usable CPU), QUEUE more waiting up to WAIT_SECONDS; beyond, 503 with
    # Retry-After (core.passwords.HashGate). Each holds a server thread (40 by default).
    login_hash_concurrency: int = Field(default=0, ge=0)
    login_hash_queue: int = Field(default=8, ge=0)
    login_hash_wait_seconds: float = Field(default=5.0, gt=0)

    # Signing keys (used by labeling.keycustody).
    signing_key_uri: str | None = None
    signing_key_passphrase: str | None = None
    signing_key_passphrase_file: Path | None = None
    root_key_uri: str | None = None
    root_key_passphrase: str | None = None
    root_key_passphrase_file: Path | None = None
    pkcs11_module: str | None = None
    pkcs11_pin: str | None = None
    pkcs11_pin_file: Path | None = None

    # Label issuance: batches above the threshold run as background jobs (202 + polling).
    label_job_threshold: int = Field(
        default=1_000, ge=0, description="Batches of more labels than this run as jobs."
    )
    label_job_lease_seconds: float = Field(
        default=30.0,
        gt=0,
        description="How long a job's owner may go silent before another process takes over.",
    )
    label_job_max_attempts: int = Field(default=3, ge=1)

    # Transparency log.
    log_origin: str = "khatem.ma/log"
    checkpoint_interval_seconds: int = 60

    # Public endpoints: per-client token buckets (core.rate_limit, docs/retailer-api.md); a
    # client may send BURST requests at once, then PER_MINUTE a minute.
    rate_limit_enabled: bool = True
    worker_processes: int = Field(
        default=1,
        ge=1,
        description="Worker processes of this server (set by `khatem serve --workers`): each "
        "keeps its share of the rate-limit budgets.",
    )
    rate_limit_verify_per_minute: int = Field(default=1_200, ge=0)
    rate_limit_verify_burst: int = Field(default=120, ge=1)
    rate_limit_bulk_per_minute: int = Field(default=60, ge=0)
    rate_limit_bulk_burst: int = Field(default=10, ge=1)
    rate_limit_pages_per_minute: int = Field(default=600, ge=0)
    rate_limit_pages_burst: int = Field(default=60, ge=1)
    rate_limit_login_per_minute: int = Field(default=30, ge=0)
    rate_limit_login_burst: int = Field(default=30, ge=1)
    # Evidence uploads (signed in, but up to max_evidence_bytes each, written to disk).
    rate_limit_evidence_per_minute: int = Field(default=120, ge=0)
    rate_limit_evidence_burst: int = Field(default=30, ge=1)

    # Buyers' reports of suspected fakes (labeling.reports, docs/reports.md): per client
    # address (in memory, never stored) and per label.
    rate_limit_report_per_minute: int = Field(default=6, ge=0)
    rate_limit_report_burst: int = Field(default=3, ge=1)
    report_max_per_label_per_day: int = Field(
        default=20, ge=1, description="Reports a label takes in 24 hours; beyond, 429."
    )
    report_form_min_seconds: float = Field(
        default=3.0, ge=0, description="A report form sent sooner after it was shown is spam."
    )
    report_form_max_age_seconds: int = Field(
        default=2 * 3600, gt=0, description="How long a shown report form may be sent."
    )
    report_form_secret: str = Field(
        default="",
        description="Key of the report form's time token (HMAC). Unset: derived (HKDF) "
        "from the registry's shared secret in its database, the same in every worker and "
        "server of the registry. Set it (32+ random characters) only to choose the key.",
    )
    report_photo_max_bytes: int = Field(default=5 * 1_048_576, gt=0)
    report_photo_max_side: int = Field(
        default=1600, ge=64, description="A report photo is resized to fit this square."
    )
    report_retention_days: int = Field(
        default=90,
        ge=0,
        description="Days after a case is closed before its reports' personal data (contact, "
        "photo, description) is erased by `khatem reports purge`.",
    )

    # Webhooks to retailers (labeling.webhooks, docs/webhooks.md).
    webhook_allow_private: bool = Field(
        default=False,
        description="Let webhooks go to http URLs and non-public addresses: a test "
        "receiver on this machine only. Ignored in production.",
    )
    webhook_delivery_interval_seconds: float = Field(
        default=2.0, description="How often a server looks for due deliveries; 0: never."
    )
    webhook_lease_seconds: float = Field(
        default=60.0, gt=0, description="How long a worker holds a delivery it is sending."
    )
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    webhook_retry_base_seconds: float = Field(default=30.0, gt=0)
    webhook_retry_cap_seconds: float = Field(default=6 * 3600.0, gt=0)
    webhook_retry_window_hours: float = Field(
        default=72.0, gt=0, description="How long a delivery is retried before it fails."
    )
    webhook_retention_days: int = Field(
        default=90,
        ge=1,
        description="Days after an event's last delivery ended (delivered or given up) "
        "before the delivery worker deletes the event, its deliveries and their log.",
    )

    # Scan telemetry and the SUSPICIOUS verdict (labeling.verification.telemetry and
    # .suspicion; docs/privacy.md, docs/verification.md §3 copy_evidence).
    scan_telemetry: bool = Field(
        default=True,
        description="Count scans per label, day and coarse country (no scanner data).",
    )
    scan_country_header: str | None = Field(
        default=None,
        description="Request header that a trusted proxy in front of the registry sets to "
        "the scanner's ISO 3166 alpha-2 country (e.g. CF-IPCountry). Unset: no country is "
        "kept. Set it only behind a proxy that overwrites the header.",
    )
    scan_flush_seconds: float = Field(
        default=5.0,
        gt=0,
        description="How often counted scans are written: a crash loses at most this long "
        "of counts (plus the flush under way).",
    )
    scan_flush_max_pending: int = Field(
        default=10_000, ge=1, description="Label-day-country entries that trigger a flush."
    )
    scan_retention_days: int = Field(
        default=90, ge=1, description="Days scan counters are kept before they are pruned."
    )
    suspicious_country_limit: int = Field(
        default=3,
        ge=1,
        description="A label scanned in more countries than this within the country window "
        "is SUSPICIOUS (scanned_in_many_countries).",
    )
    suspicious_country_window_days: int = Field(default=7, ge=1, le=90)
    suspicious_scan_limit: int = Field(
        default=500,
        ge=1,
        description="A label scanned more times than this within the scan window is "
        "SUSPICIOUS (scanned_too_often).",
    )
    suspicious_scan_window_days: int = Field(default=7, ge=1, le=90)

    @model_validator(mode="before")
    @classmethod
    def _derive_public_base_url(cls, data: Any) -> Any:
        """An unset ``public_base_url`` is the address the server is bound to."""
        if isinstance(data, dict) and not data.get("public_base_url"):
            fields = cls.model_fields
            host = data.get("bind_host") or fields["bind_host"].default
            port = data.get("bind_port") or fields["bind_port"].default
            data = {**data, "public_base_url": derived_base_url(str(host), str(port))}
        return data

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'khatem.db').resolve()}"

    @property
    def resolved_evidence_dir(self) -> Path:
        return self.evidence_dir if self.evidence_dir is not None else self.data_dir / "evidence"

    @property
    def is_production(self) -> bool:
        return self.environment == "production"


def derived_base_url(host: str, port: str | int) -> str:
    """``http://host:port`` for a server bound to ``host``/``port``: a wildcard address
    (``0.0.0.0``, ``::``) stands for this machine's loopback, an IPv6 address is bracketed.
    Behind a proxy, or for other machines, set ``KHATEM_PUBLIC_BASE_URL``."""
    host = host.strip("[]")
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, from the environment. Routes take the settings of the app
    serving them (``core.auth.SettingsDep``); ``create_app(settings)`` is how tests set them."""
    return Settings()
