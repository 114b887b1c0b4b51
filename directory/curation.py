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
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, MutableMapping

HASH_ENV = "AFTERCARE_CURATOR_PASSWORD_HASH"
SECRET_KEY = "curator_password_hash"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MAX_PASSWORD = 1024
MAX_ATTEMPTS = 5  # wrong passwords per client address within WINDOW before its cool-down
GLOBAL_MAX_ATTEMPTS = 50  # wrong passwords from everyone within WINDOW before everyone's cool-down
WINDOW = 15 * 60  # seconds over which wrong passwords are counted
COOL_DOWN_MINUTES = 15  # the words of "catalog.locked_server" say this number


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


class Lockout:
    """Wrong passwords counted on the server, per client address and for everyone, with a cool-down.

    It lives in the server process, so neither a reload nor a new session nor a new tab resets it.
    Client addresses are kept only as salted hashes, and only while they are counted; no patient data.
    """

    def __init__(
        self,
        *,
        per_client: int = MAX_ATTEMPTS,
        overall: int = GLOBAL_MAX_ATTEMPTS,
        window: float = WINDOW,
        cool_down: float = COOL_DOWN_MINUTES * 60,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_client, self.overall, self.window, self.cool_down = per_client, overall, window, cool_down
        self.clock = clock
        self._salt = secrets.token_bytes(16)
        self._lock = threading.Lock()
        self._failures: dict[str, deque[float]] = {}
        self._everyone: deque[float] = deque()
        self._client_until: dict[str, float] = {}
        self._everyone_until = 0.0

    def _key(self, client: str) -> str:
        return hashlib.sha256(self._salt + client.encode("utf-8", "replace")).hexdigest()[:32]

    def _forget_old(self, now: float) -> None:
        for times in [*self._failures.values(), self._everyone]:
            while times and times[0] <= now - self.window:
                times.popleft()
        for key in [k for k, v in self._failures.items() if not v]:
            del self._failures[key]
        for key in [k for k, until in self._client_until.items() if until <= now]:
            del self._client_until[key]

    def locked(self, client: str = "") -> bool:
        """Whether a sign-in from this client must be refused now (without checking the password)."""
        with self._lock:
            now = self.clock()
            self._forget_old(now)
            return now < self._everyone_until or now < self._client_until.get(self._key(client), 0.0)

    def failed(self, client: str = "") -> None:
        """Count one wrong password; start the cool-downs that it brings over a limit."""
        with self._lock:
            now = self.clock()
            key = self._key(client)
            times = self._failures.setdefault(key, deque())
            times.append(now)
            self._everyone.append(now)
            self._forget_old(now)
            if len(self._failures.get(key, ())) >= self.per_client:
                self._client_until[key] = now + self.cool_down
            if len(self._everyone) >= self.overall:
                self._everyone_until = now + self.cool_down

    def succeeded(self, client: str = "") -> None:
        """A right password clears that client's count (not the overall one)."""
        with self._lock:
            self._failures.pop(self._key(client), None)


LOCKOUT = Lockout()  # one per server process, shared by every session


def sign_in(
    session: MutableMapping[str, object], stored: str, client: str = "", *, lockout: Lockout | None = None
) -> None:
    """Check the password typed into `session["curator_password"]` (then blank it) against the stored hash.

    `client` is the visitor's address (the page passes it); the count of wrong passwords is kept on
    the server (`LOCKOUT`), so a reload does not reset it. Right: `session["curator"]` becomes True.
    Wrong, or during a cool-down even with the right password: `session["_sign_in_error"]` holds the
    words key of the message to show.
    """
    lockout = lockout or LOCKOUT
    client = client if isinstance(client, str) else ""  # None on localhost and in page tests
    password = str(session.get("curator_password", "") or "")
    session["curator_password"] = ""
    if lockout.locked(client):
        session["_sign_in_error"] = "catalog.locked_server"
    elif verify_password(password, stored):
        lockout.succeeded(client)
        session["curator"] = True
    else:
        lockout.failed(client)
        session["_sign_in_error"] = (
            "catalog.locked_server" if lockout.locked(client) else "catalog.wrong_password"
        )


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
