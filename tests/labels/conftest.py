"""Label test fixtures (defined in ``tests.labels.fixtures`` so the features can share them)."""

from tests.labels.fixtures import *  # noqa: F403
