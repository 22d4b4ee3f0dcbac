"""``python -m verify``: the offline verifier's command line without the registry installed."""

from verify.cli import main

main()
