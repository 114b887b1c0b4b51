"""The curator password hash: format, constant-time check, configuration sources."""

import base64
import hashlib

import pytest

from directory.curation import configured_hash, hash_password, verify_password


def test_hash_round_trips_and_rejects_other_passwords():
    """A fresh hash verifies its own password and not a different one."""
    stored = hash_password("generated secret", n=2**10)
    assert stored.startswith("scrypt$1024$8$1$")
    assert verify_password("generated secret", stored)
    assert not verify_password("generated secreT", stored)


def test_pbkdf2_hashes_are_accepted():
    """A pbkdf2_sha256$iterations$salt$key hash verifies the password it was made from."""
    salt = b"generated-salt!!"
    key = hashlib.pbkdf2_hmac("sha256", b"pw-for-test", salt, 1000)
    stored = f"pbkdf2_sha256$1000${base64.b64encode(salt).decode()}${base64.b64encode(key).decode()}"
    assert verify_password("pw-for-test", stored)
    assert not verify_password("pw-for-tesT", stored)


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "plain-text-password",
        "scrypt$x$8$1$AA==$AA==",
        "scrypt$1024$8$1$%%%$AA==",
        "md5$abc",
        "scrypt$1024$8$1$AA==$",
    ],
)
def test_malformed_hashes_never_verify(stored):
    """A malformed or unknown hash is refused, never raised, and a plain-text password is not a hash."""
    assert verify_password("plain-text-password", stored) is False


@pytest.mark.parametrize(
    ("environ", "secrets", "expected"),
    [
        (
            {"AFTERCARE_CURATOR_PASSWORD_HASH": " env-hash "},
            {"curator_password_hash": "secret-hash"},
            "env-hash",
        ),
        ({}, {"curator_password_hash": "secret-hash"}, "secret-hash"),
        ({}, None, ""),
        ({}, {}, ""),
    ],
)
def test_configured_hash_prefers_the_environment(environ, secrets, expected):
    """The environment variable wins over secrets; with neither, curation is off ("")."""
    assert configured_hash(secrets, environ) == expected
