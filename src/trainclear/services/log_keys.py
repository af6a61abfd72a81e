"""The log's signing key: a file, made on first use in local mode only.

Outside local mode no key is ever generated: ``TRAINCLEAR_LOG_KEY_FILE`` must name one,
so a production log is never signed by a default secret.
"""

from __future__ import annotations

import threading

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from trainclear.errors import TrainclearError
from trainclear.ledger.sth import generate_key, load_private_key, save_private_key
from trainclear.settings import Settings

_lock = threading.Lock()


class SigningKeyMissing(TrainclearError):
    status = 500
    code = "log_key_missing"


def signing_key(settings: Settings) -> Ed25519PrivateKey:
    """Load the signing key (making it first in local mode)."""
    path = settings.signing_key_path
    if path is None:
        raise SigningKeyMissing("log.key_missing")
    with _lock:
        if not path.exists():
            if settings.mode != "local" or settings.log_key_file is not None:
                raise SigningKeyMissing("log.key_missing")
            path.parent.mkdir(parents=True, exist_ok=True)
            save_private_key(generate_key(), path)
    return load_private_key(path)
