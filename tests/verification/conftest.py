"""Verification test fixtures (defined in ``tests.verification.fixtures`` so that the
feature steps can share them), on top of the label fixtures."""

from tests.labels.fixtures import *  # noqa: F403
from tests.verification.fixtures import *  # noqa: F403
