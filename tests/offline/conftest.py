"""Offline test fixtures: the in-memory registry (``simulator``) for the pure tests, and for
the tests against the real registry app, the verification fixtures (a prepared registry with
a registered label key, labels issued through the API)."""

from tests.labels.fixtures import *  # noqa: F403
from tests.offline.fixtures import *  # noqa: F403
from tests.verification.fixtures import *  # noqa: F403
