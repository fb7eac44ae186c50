"""Session fixtures: the shipped content built once, a Chromium to open it in, and a server for it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import CHROMIUM_ARGS, build_site, serve_folder
from playwright.sync_api import Browser, sync_playwright


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content, built once per session into a temporary folder (never into site/)."""
    return build_site(tmp_path_factory.mktemp("built") / "site")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium from the system (Debian's chromium); Playwright downloads no browser here."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "Chromium is not installed, and the browser tests need it: run `python3 dev.py test`, "
            "which installs it, or `sudo apt-get install chromium`",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def served_site(built_site: Path) -> Iterator[str]:
    """The built site on 127.0.0.1 under /repo/, as GitHub Pages serves a project site; its base URL."""
    with serve_folder(built_site) as base_url:
        yield base_url


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A skipped test fails the run: in CI nothing may pass by not being tried (a missing browser, a
    missing file). Deselected tests (-k, -m) are not skipped ones."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if skipped and exitstatus == pytest.ExitCode.OK:
        reporter.write_line(f"{len(skipped)} test(s) skipped: the suite allows none", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
