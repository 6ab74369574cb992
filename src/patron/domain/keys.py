"""API keys: random secrets shown once, kept only as digests, compared in constant time."""

import hashlib
import hmac
import secrets
from typing import Final

# 32 random bytes: 256 bits, written as 64 hex characters like Talon.One's own keys.
_KEY_BYTES: Final = 32


def new_key() -> str:
    return secrets.token_hex(_KEY_BYTES)


def digest(key: str) -> str:
    """SHA-256 suffices: keys are 256-bit random secrets, so there is nothing to brute-force."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def digests_match(stored_digest: str, key: str) -> bool:
    return hmac.compare_digest(stored_digest, digest(key))
