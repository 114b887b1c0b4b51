"""The curator password: a salted scrypt hash set by whoever deploys, checked in constant time.

Make a hash with `python -m directory.curation` (it asks for the password twice and prints the hash),
then set it as the environment variable AFTERCARE_CURATOR_PASSWORD_HASH or as
`curator_password_hash = "..."` in .streamlit/secrets.toml. With neither set, curation is off.

Hash format: `scrypt$<n>$<r>$<p>$<salt, base64>$<key, base64>`; PBKDF2 hashes written as
`pbkdf2_sha256$<iterations>$<salt, base64>$<key, base64>` are accepted too.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping, MutableMapping

HASH_ENV = "AFTERCARE_CURATOR_PASSWORD_HASH"
SECRET_KEY = "curator_password_hash"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MAX_PASSWORD = 1024
MAX_ATTEMPTS = 5  # per session: a public app must not be a password-guessing oracle


def hash_password(password: str, *, salt: bytes | None = None, n: int = SCRYPT_N) -> str:
    """A new scrypt hash of the password, in the format `verify_password` reads."""
    if not password:
        raise ValueError("the password is empty")
    salt = salt or secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode(), salt=salt, n=n, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${n}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(key).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """True when the password matches the stored hash; False for a wrong password or a malformed hash."""
    if not password or not stored or len(password) > MAX_PASSWORD:
        return False
    parts = stored.strip().split("$")
    try:
        if parts[0] == "scrypt" and len(parts) == 6:
            n, r, p = (int(x) for x in parts[1:4])
            salt, key = base64.b64decode(parts[4]), base64.b64decode(parts[5])
            if not (2 <= n <= 2**20 and 1 <= r <= 32 and 1 <= p <= 16):
                return False
            computed = hashlib.scrypt(
                password.encode(), salt=salt, n=n, r=r, p=p, dklen=len(key), maxmem=256 * 1024 * 1024
            )
        elif parts[0] == "pbkdf2_sha256" and len(parts) == 4:
            iterations = int(parts[1])
            salt, key = base64.b64decode(parts[2]), base64.b64decode(parts[3])
            if not 1 <= iterations <= 10_000_000:
                return False
            computed = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations, dklen=len(key))
        else:
            return False
    except (ValueError, binascii.Error):
        return False
    return bool(key) and hmac.compare_digest(computed, key)


def configured_hash(
    secrets_: Mapping[str, object] | None = None, environ: Mapping[str, str] | None = None
) -> str:
    """The curator hash from the environment, else from Streamlit secrets; "" when curation is off."""
    env = os.environ if environ is None else environ
    value = env.get(HASH_ENV, "").strip()
    if not value and secrets_ is not None:
        try:
            value = str(secrets_.get(SECRET_KEY, "") or "").strip()
        except Exception:  # noqa: BLE001 - a missing or broken secrets.toml means "not configured"
            value = ""
    return value


def sign_in(session: MutableMapping[str, object], stored: str) -> None:
    """Check the password typed into `session["curator_password"]` (then blank it) against the stored hash.

    Right: `session["curator"]` becomes True. Wrong, or more than MAX_ATTEMPTS tries in this session even
    with the right one: `session["_sign_in_error"]` holds the words key of the message to show.
    """
    attempts = int(session.get("curator_attempts", 0) or 0) + 1
    session["curator_attempts"] = attempts
    if attempts > MAX_ATTEMPTS:
        session["_sign_in_error"] = "catalog.locked"
    elif verify_password(str(session.get("curator_password", "") or ""), stored):
        session["curator"], session["curator_attempts"] = True, 0
    else:
        session["_sign_in_error"] = "catalog.wrong_password"
    session["curator_password"] = ""


def main() -> int:
    """Ask for a password twice and print its hash, for AFTERCARE_CURATOR_PASSWORD_HASH."""
    import getpass

    first = getpass.getpass("Curator password: ")
    if len(first) < 10:
        print("Use at least 10 characters.")
        return 1
    if getpass.getpass("Again: ") != first:
        print("The two passwords differ; nothing was printed.")
        return 1
    print(hash_password(first))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
