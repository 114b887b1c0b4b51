"""Harness for end-to-end tests: a real `streamlit run` server and headless Chromium driven by Playwright.

Every test under tests/browser/ is marked `browser`. Chromium comes from Debian (/usr/bin/chromium);
`playwright install` needs the internet and is never used.
"""

import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Frame, Page, Route, sync_playwright

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--disable-quic",
]
# Marker clicks near the bottom of a map miss at the default 720 px height.
VIEWPORT = {"width": 1280, "height": 1100}
HEALTH_TIMEOUT_S = 30.0
# Where each running server's stdout.log and stderr.log are, by base URL (`server_log`).
SERVER_LOGS: dict[str, Path] = {}
STOP_GRACE_S = 5.0
# Schemes that never leave the machine.
LOCAL_SCHEMES = {"data", "blob", "about", "chrome", "chrome-extension", "devtools", "javascript"}
# WCAG 2.1 A and AA: the level the app promises. axe's "best-practice" rules are advice, not a gate.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test in this folder `browser`, so `-m "not browser"` leaves them out."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


def is_external(url: str) -> bool:
    """True when loading `url` would reach a host other than this machine (the offline rule)."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES or not parts.scheme:
        return False
    host = (parts.hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


# --------------------------------------------------------------------------- Chromium


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's Chromium (or $AFTERCARE_CHROMIUM); skips the browser tests when missing, fails them under CI."""
    override = os.environ.get("AFTERCARE_CHROMIUM")
    if override:
        candidates = [Path(override)]
    else:
        candidates = [CHROMIUM] + [Path(found) for found in [shutil.which("chromium")] if found]
    found = next((path for path in candidates if path.is_file() and os.access(path, os.X_OK)), None)
    if found is None:
        message = "Chromium is not installed: run `make test` as root or apt-get install chromium"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return found


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[Browser]:
    """One headless Chromium for the whole session."""
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def external_requests() -> list[str]:
    """URLs of third-party requests the `page` attempted (they are blocked, and recorded here)."""
    return []


@pytest.fixture
def page_errors() -> list[str]:
    """Uncaught JavaScript errors the `page` raised."""
    return []


@pytest.fixture
def page(
    browser: Browser,
    external_requests: list[str],
    page_errors: list[str],
) -> Iterator[Page]:
    """A fresh browser tab (own cookies and storage) that blocks and records every non-loopback request."""
    context, tab = guarded_tab(browser, external_requests, page_errors)
    yield tab
    context.close()


def guarded_tab(
    browser: Browser, external_requests: list[str], page_errors: list[str] | None = None, **options
):
    """A new context and tab (`options` go to `new_context`) that block and record non-loopback requests."""
    context = browser.new_context(**({"viewport": VIEWPORT} | options))

    def guard(route: Route) -> None:
        # Aborted, not fetched: a test machine with internet must behave like one without.
        if is_external(route.request.url):
            external_requests.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    tab = context.new_page()
    # WebSockets bypass routing; record them all the same.
    tab.on("websocket", lambda ws: external_requests.append(ws.url) if is_external(ws.url) else None)
    if page_errors is not None:
        tab.on("pageerror", lambda error: page_errors.append(str(error)))
    return context, tab


@pytest.fixture
def save_screenshot() -> Callable[..., Path]:
    """Saves a full-page screenshot as tests/artifacts/<name>.png and returns its path."""

    def save(tab: Page, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        tab.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture(scope="session")
def run_axe() -> Callable[..., list[dict]]:
    """Runs axe-core (bundled offline by axe-playwright-python) and returns its WCAG 2.1 A/AA violations.

    Pass a Frame to check an iframe's document (e.g. the st_folium map); a page check does not enter it.
    Each violation is cut down to `id`, `impact`, `help` and the CSS `targets` of the failing nodes, so an
    `assert violations == []` prints something readable.
    """
    axe = Axe()

    def run(tab: Page | Frame, context: str | dict | None = None, tags=WCAG_TAGS) -> list[dict]:
        options = {"runOnly": {"type": "tag", "values": list(tags)}, "resultTypes": ["violations"]}
        results = axe.run(tab, context=context, options=options)
        return [
            {
                "id": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "targets": [node["target"] for node in violation["nodes"]],
            }
            for violation in results.response["violations"]
        ]

    return run


# --------------------------------------------------------------------------- streamlit run


@dataclass
class StreamlitServers:
    """Streamlit servers started by a fixture, each in its own process group so its children die with it."""

    workdir: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    def start(
        self,
        app_path: str | Path = "app.py",
        env: Mapping[str, str] | None = None,
        cwd: str | Path | None = None,
    ) -> str:
        """Starts the app on a free loopback port and returns its base URL once healthy.

        A relative `app_path` is taken from the repository root. `cwd` (default: the app's folder) is where
        Streamlit looks for .streamlit/config.toml; static/ is always looked up next to the app.
        """
        app = Path(app_path)
        if not app.is_absolute():
            app = REPO_ROOT / app
        port = _free_port()
        # The project's app starts the way `make run` starts it; other apps (the harness's) with streamlit run.
        launcher = ["components.serve"] if app == REPO_ROOT / "app.py" else ["streamlit", "run", str(app)]
        command = [
            sys.executable,
            "-m",
            *launcher,
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ]
        logs = self.workdir / f"streamlit-{port}"
        logs.mkdir(parents=True, exist_ok=True)
        with open(logs / "stdout.log", "wb") as out, open(logs / "stderr.log", "wb") as err:
            process = subprocess.Popen(
                command,
                cwd=str(cwd or app.parent),
                env={**os.environ, **(env or {})},
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                start_new_session=True,
            )
        self.processes.append(process)
        base_url = f"http://127.0.0.1:{port}"
        _wait_until_healthy(base_url, process, logs)
        SERVER_LOGS[base_url] = logs
        return base_url

    def stop_all(self) -> None:
        """SIGTERM each server's process group, SIGKILL what is still alive after a grace period."""
        for process in self.processes:
            _stop_group(process)
        self.processes.clear()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return ""


def _wait_until_healthy(base_url: str, process: subprocess.Popen, logs: Path) -> None:
    # /_stcore/health is the real check: /healthz answers 200 for any path.
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"streamlit exited with code {process.returncode} before it was healthy; stderr tail:\n"
                f"{_tail(logs / 'stderr.log')}\nstdout tail:\n{_tail(logs / 'stdout.log')}",
                pytrace=False,
            )
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    _stop_group(process)
    pytest.fail(
        f"streamlit at {base_url} not healthy after {HEALTH_TIMEOUT_S:.0f} s; stderr tail:\n"
        f"{_tail(logs / 'stderr.log')}",
        pytrace=False,
    )


def _stop_group(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=STOP_GRACE_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


@pytest.fixture
def streamlit_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., str]]:
    """Factory: `streamlit_server(app_path="app.py", env={...}, cwd=None) -> base URL`; stopped after the test.

    Pass e.g. `env={"AFTERCARE_CATALOG": str(path)}` to run the app on a test catalog.
    """
    servers = StreamlitServers(tmp_path_factory.mktemp("streamlit-logs"))
    yield servers.start
    servers.stop_all()


@pytest.fixture(scope="session")
def shared_streamlit_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., str]]:
    """Like `streamlit_server`, but one server per (app, env, cwd) shared by the whole session (faster)."""
    servers = StreamlitServers(tmp_path_factory.mktemp("streamlit-shared-logs"))
    started: dict[tuple, str] = {}

    def start(
        app_path: str | Path = "app.py", env: Mapping[str, str] | None = None, cwd: str | Path | None = None
    ) -> str:
        key = (str(app_path), tuple(sorted((env or {}).items())), str(cwd))
        if key not in started:
            started[key] = servers.start(app_path, env=env, cwd=cwd)
        return started[key]

    yield start
    servers.stop_all()


@pytest.fixture(scope="session")
def server_log() -> Callable[[str], str]:
    """`server_log(base_url)`: what that server (started by a fixture here) has written to stderr so far.

    A fixture rather than an import: test modules import this file as `tests.browser.conftest`, a second
    copy of the module pytest loaded, whose SERVER_LOGS would be empty.
    """

    def read(base_url: str) -> str:
        return (SERVER_LOGS[base_url] / "stderr.log").read_text(errors="replace")

    return read


APP_IDLE = (
    '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'
)


def wait_for_app_idle(tab: Page, timeout_ms: float = 30_000) -> None:
    """Waits until the app is connected and no script run is in progress (the state goes from `initial`
    through `running` to `notRunning`; after a widget interaction wait for the element you expect instead,
    since the rerun may not have started yet), and the server-drawn first screen, if any, is gone."""
    tab.locator(APP_IDLE).wait_for(timeout=timeout_ms)
    # The Find page's first screen (components/first_screen.py) gives way once the app's own cards are
    # drawn, a moment after the run: until then the page holds both.
    tab.locator("#ac-first").wait_for(state="detached", timeout=timeout_ms)


@pytest.fixture
def open_app() -> Callable[..., None]:
    """Opens a Streamlit URL in a tab and waits until its first script run has finished rendering."""

    def open_(tab: Page, url: str, timeout_ms: float = 30_000) -> None:
        tab.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
        wait_for_app_idle(tab, timeout_ms)

    return open_


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test leaves a screenshot of its tab (tests/artifacts/failed-<test>.png) and the tab's
    URL in the report, so that a failure seen once in a whole run can be read afterwards."""
    outcome = yield
    report = outcome.get_result()
    tab = item.funcargs.get("page") if report.when == "call" and report.failed else None
    if tab is None or tab.is_closed():
        return
    try:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = "".join(c if c.isalnum() or c in "-_" else "-" for c in item.name)[:120]
        path = ARTIFACTS / f"failed-{name}.png"
        tab.screenshot(path=str(path))
        report.sections.append(("failure screenshot", f"{path}\nurl: {tab.url}"))
    except Exception as error:  # the tab may be gone with the failure; the report stays as it was
        report.sections.append(("failure screenshot", f"not taken: {error}"))
