"""The curator lockout (issue 12, item 7): counted on the server, per client and for everyone, with a cool-down."""

from __future__ import annotations

from directory import curation
from directory.words import t

HASH = curation.hash_password("generated-test-password", n=2**4)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def attempt(lockout: curation.Lockout, password: str, client: str = "10.0.0.1") -> dict:
    """One sign-in from a brand-new session, as after a reload: nothing carries over in the session."""
    session: dict = {"curator_password": password}
    curation.sign_in(session, HASH, client, lockout=lockout)
    return session


def test_a_reload_does_not_reset_the_count():
    """Five wrong passwords from fresh sessions lock that client; the right one is then refused too."""
    lockout = curation.Lockout(clock=Clock())
    for _ in range(curation.MAX_ATTEMPTS):
        attempt(lockout, "wrong")
    session = attempt(lockout, "generated-test-password")
    assert not session.get("curator") and session["_sign_in_error"] == "catalog.locked_server"
    assert session["curator_password"] == ""


def test_the_cool_down_ends():
    clock = Clock()
    lockout = curation.Lockout(clock=clock)
    for _ in range(curation.MAX_ATTEMPTS):
        attempt(lockout, "wrong")
    clock.now += curation.COOL_DOWN_MINUTES * 60 + 1
    assert attempt(lockout, "generated-test-password").get("curator") is True


def test_other_clients_are_not_locked_by_one_until_the_overall_limit():
    """One address's lockout leaves others alone; many wrong passwords from everywhere lock everyone."""
    lockout = curation.Lockout(clock=Clock(), per_client=5, overall=12)
    for _ in range(5):
        attempt(lockout, "wrong", "10.0.0.1")
    assert attempt(lockout, "generated-test-password", "10.0.0.2").get("curator") is True
    for n in range(7):
        attempt(lockout, "wrong", f"10.0.1.{n}")
    assert (
        attempt(lockout, "generated-test-password", "10.0.0.3")["_sign_in_error"] == "catalog.locked_server"
    )


def test_a_locked_client_gets_no_password_check():
    """While locked, the password is not even verified: the page is no guessing oracle."""
    lockout = curation.Lockout(clock=Clock(), per_client=1)
    attempt(lockout, "wrong")
    assert lockout.locked("10.0.0.1")
    assert attempt(lockout, "generated-test-password")["_sign_in_error"] == "catalog.locked_server"


def test_the_message_does_not_say_reload_and_names_the_cool_down():
    text = t("catalog.locked_server")
    assert "reload" not in text.lower()
    assert f"{curation.COOL_DOWN_MINUTES} minutes" in text


def test_addresses_are_kept_hashed():
    lockout = curation.Lockout(clock=Clock())
    attempt(lockout, "wrong", "203.0.113.7")
    assert "203.0.113.7" not in repr(vars(lockout))
