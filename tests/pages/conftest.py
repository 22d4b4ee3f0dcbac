"""Page test fixtures: the verification fixtures (a registry with a registered label key, a
certified cooperative, labels issued through the API), shared with the feature steps."""

from tests.labels.fixtures import *  # noqa: F403
from tests.pages.site import chromium, demo_site  # noqa: F401  (module-scoped fixtures)
from tests.verification.fixtures import *  # noqa: F403
