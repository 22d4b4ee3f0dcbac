"""Retailer test fixtures (in ``tests.retailers.fixtures`` so features can share them)."""

from tests.labels.fixtures import *  # noqa: F403
from tests.retailers.fixtures import *  # noqa: F403
