"""What the server prepares before it accepts requests (keys, checkpoints …)."""

from __future__ import annotations

from core.settings import Settings

__all__ = ["prepare_registry"]


def prepare_registry(settings: Settings) -> list[str]:
    """Prepare the registry to serve; returns warnings to print loudly at start-up."""
    return []
