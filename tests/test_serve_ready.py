"""Tests of the launcher's readiness (components.serve, issue 15): the health check answers "ok" only once
the search index is in memory. The catalog used is a copy of the shipped one, in a temporary folder."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from streamlit.runtime import Runtime, RuntimeState

from components import serve


@pytest.fixture
def restore_health():
    """Streamlit's own readiness answer is put back after each test."""
    original = Runtime.is_ready_for_browser_connection
    yield
    Runtime.is_ready_for_browser_connection = original


class _Started:
    """Stands in for a running Streamlit runtime: all its readiness answer reads is the state."""

    _state = RuntimeState.ONE_OR_MORE_SESSIONS_CONNECTED


def _health(runtime) -> tuple[bool, str]:
    # In a thread of its own: a browser test earlier in the run can leave an event loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, Runtime.is_ready_for_browser_connection.fget(runtime)).result()


def test_health_waits_for_the_index(restore_health):
    """Health says "not ready" while the index loads, "ok" once it is loaded; a stopped runtime stays
    unavailable whatever the index does."""
    release = threading.Event()
    thread = serve.gate_health_on(lambda: release.wait())
    assert _health(_Started()) == (False, serve.NOT_READY)
    release.set()
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert _health(_Started()) == (True, "ok")
    stopped = _Started()
    stopped._state = RuntimeState.STOPPED
    assert _health(stopped)[0] is False


def test_a_failed_load_still_lets_the_server_answer(restore_health):
    """When the index cannot be loaded the server still becomes ready (the app then says what is wrong)."""

    def broken() -> None:
        raise OSError("catalog unreadable")

    thread = serve.gate_health_on(broken)
    thread.join(timeout=60)
    assert _health(_Started()) == (True, "ok")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_launcher_is_healthy_only_with_the_index_cached(tmp_path, repo_root):
    """`python -m components.serve` (what `make run` starts) answers "ok" only after the index of its
    catalog was loaded: by then the warm-up has written the index cache beside the catalog."""
    source = repo_root / "data" / "catalog.db"
    if not source.exists():
        pytest.skip("the shipped catalog data/catalog.db is absent")
    catalog = tmp_path / "catalog.db"
    shutil.copy(source, catalog)
    cache = tmp_path / "catalog.db.index.npz"
    port = _free_port()
    env = {**os.environ, "AFTERCARE_CATALOG": str(catalog)}
    env.pop("AFTERCARE_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "components.serve", "--server.headless", "true", "--server.address",
         "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=repo_root, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        answers = []
        deadline = time.monotonic() + 120  # a deadline for a server that never starts, not a speed check
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5) as reply:
                    answers.append(reply.read().decode())
                    break
            except urllib.error.HTTPError as refused:
                answers.append(refused.read().decode())
            except OSError:
                pass
            time.sleep(0.05)
        assert answers and answers[-1] == "ok", answers
        assert cache.exists()  # the index was loaded (and cached) before "ok"
        assert set(answers[:-1]) <= {serve.NOT_READY}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


WARMED_MODULES = (
    "streamlit.emojis",  # read by the first widget label that is not plain ASCII ("Español")
    "directory.filters",
    "directory.markers",
    "components.resources",
    "PIL.PngImagePlugin",  # the page icon
    "phonenumbers.data.region_US",
)


def test_the_warm_up_does_what_a_first_run_did_and_freezes_the_heap(repo_root):
    """In a fresh interpreter, the launcher's warm-up leaves imported what a session's first run used to
    import, fills `inspect`'s table of module files (Streamlit walks the stack on the first element) and
    moves the warmed objects out of reach of later collections (a frozen generation)."""
    script = (
        "import gc, inspect, sys\n"
        "from components import serve\n"
        "assert not gc.get_freeze_count()\n"
        "serve.warm_up(); serve.freeze_warm_objects()\n"
        f"missing = [m for m in {WARMED_MODULES!r} if m not in sys.modules]\n"
        "print(len(inspect.modulesbyfile), gc.get_freeze_count(), missing)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=repo_root, capture_output=True, text=True, timeout=240, check=True
    )
    known_files, frozen, missing = out.stdout.strip().split(" ", 2)
    assert missing == "[]"
    assert int(known_files) > 500
    assert int(frozen) > 100_000
