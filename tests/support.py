"""What many test files do alike: edit a project's file, read a built page, give a subprocess the engine to
import, and open Chromium tabs that are closed again however the test ends."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page

REPO = Path(__file__).resolve().parent.parent
PHONE = {"width": 360, "height": 740}  # a small phone's viewport, in CSS pixels


def edit(file: Path, old: str, new: str, count: int = -1) -> None:
    """Replace `old` by `new` in the file (every time, or the first `count` times), as an editor saves it.

    An `old` that is not in the file fails the test: the edit it meant to make would silently not happen.
    """
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {file}"
    file.write_text(text.replace(old, new, count), encoding="utf-8")


def read(site: Path, page: str) -> str:
    """A built page's HTML, `page` relative to the site folder."""
    return (site / page).read_text(encoding="utf-8")


def lines_until(stream: Iterable[str], start: str) -> list[str]:
    """The lines a running command prints, read up to the first that starts with `start` (its last), or to
    the end of its output if none does."""
    lines = []
    for line in stream:
        lines.append(line)
        if line.startswith(start):
            break
    return lines


def python_env(root: Path = REPO, **variables: str) -> dict[str, str]:
    """This process's environment for a Python subprocess that imports the engine from `root`, plus
    `variables`; a PYTHONPATH already set stays after root."""
    path = os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path, **variables}


@contextmanager
def browser_context(browser: Browser, **options) -> Iterator[BrowserContext]:
    """A fresh browser context (`options` as for Browser.new_context), closed at the end."""
    context = browser.new_context(**options)
    try:
        yield context
    finally:
        context.close()


@contextmanager
def browser_tab(browser: Browser, **options) -> Iterator[Page]:
    """A tab in a context of its own (`options` as for Browser.new_context), closed at the end."""
    with browser_context(browser, **options) as context:
        yield context.new_page()
