"""Report test fixtures (in ``tests.reports.fixtures`` so the features can share them)."""

from tests.reports.fixtures import *  # noqa: F403
from tests.retailers.fixtures import *  # noqa: F403
