"""Status snapshots: the signed, static files offline verifiers cache (docs/status-snapshots.md).

* :mod:`labeling.snapshots.repository` reads the public facts out of the registry's tables;
* :mod:`labeling.snapshots.publication` builds the documents, has the root key sign them and
  keeps the signed bytes until a status changes or they age;
* :mod:`labeling.snapshots.router` serves them under ``/.well-known/khatem/status/``.
"""
