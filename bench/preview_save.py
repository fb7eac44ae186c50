"""In the preview, the time from saving a page's file to the change visible in Chromium.

`build.py serve --port P` runs as a subprocess of its own, on 127.0.0.1, in a project folder made by
bench/corpus.py, exactly as an editor runs it. A section page is open in headless Chromium (Playwright,
the system's Chromium, --no-sandbox). Each save appends a new sentence to the page's file; the time runs
from just before the file is written to when Chromium shows that sentence, however the preview gets it
there (a reload or a change in place): to the first frame painted with it, as the page itself reports by
the system clock, and (as measured before) to when Playwright's wait for the text returns. Before each
save the page's live-reload connection is waited for, whatever its kind: an open WebSocket of the page,
when it has one. The server is stopped at the end, with its process group (every process it started), by
its id.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.measure import process_tree
from bench.tools import our_env

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
FIRST_BUILD_SECONDS = 900  # the first build of a large corpus on a loaded machine
SAVE_SECONDS = 60
CONNECT_SECONDS = 5
IDLE_SECONDS = 120  # at most this long for the preview to finish the work of the previous save
QUIET = (0.5, 0.02)  # idle: this many CPU seconds or fewer over this many seconds of wall time


# In every document the tab opens: once its first frame with the page's text has been painted (a second
# animation frame runs after the first is drawn), tell the benchmark when, by the system clock, and the text.
PAINTED_SCRIPT = """
addEventListener("DOMContentLoaded", () => requestAnimationFrame(() => requestAnimationFrame(() =>
  window.__painted(performance.timeOrigin + performance.now(), document.body.innerText))));
"""


def save_to_visible(
    project: Path, page: str, python: str, saves: int, log=print
) -> tuple[list[float], list[float]]:
    """Seconds from each of `saves` saves of content/`page`.md to its new sentence shown in Chromium: by the
    page's first painted frame that holds it, and by Playwright's wait for the text (the figure before; it
    polls a new document only after a back-off of up to half a second, so it reads later than the paint)."""
    from playwright.sync_api import sync_playwright

    source = project / "content" / page.replace(".html", ".md")
    original = source.read_text(encoding="utf-8")
    port = free_port()
    server = start_preview(project, python, port)
    painted_after: list[float] = []
    waited_for: list[float] = []
    paints: list[tuple[float, str]] = []  # (seconds since the epoch, the painted page's text)
    try:
        url = f"http://127.0.0.1:{port}/{page}"
        wait_until_served(url, server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=_chromium(), headless=True, args=CHROMIUM_ARGS
            )
            tab = browser.new_page()
            tab.expose_binding("__painted", lambda _source, at, text: paints.append((at / 1000, text)))
            tab.add_init_script(PAINTED_SCRIPT)
            sockets: list = []
            tab.on("websocket", lambda websocket: sockets.append(websocket))
            tab.goto(url, wait_until="load")
            for number in range(1, saves + 1):
                wait_until_idle(server.pid)
                _wait_for_connection(tab, sockets)
                sentence = f"Benchmark save {number} of {saves} is here."
                started, started_epoch = time.perf_counter(), time.time()
                source.write_text(f"{original.rstrip()}\n\n{sentence}\n", encoding="utf-8")
                tab.wait_for_selector(f"text={sentence}", state="visible", timeout=SAVE_SECONDS * 1000)
                waited_for.append(time.perf_counter() - started)
                painted_after.append(_first_paint_with(sentence, paints, tab) - started_epoch)
                log(
                    f"  preview save {number}: painted after {painted_after[-1] * 1000:.0f} ms "
                    f"(Playwright's wait: {waited_for[-1] * 1000:.0f} ms)"
                )
            browser.close()
    finally:
        source.write_text(original, encoding="utf-8")
        stop(server)
    return painted_after, waited_for


def _first_paint_with(sentence: str, paints: list[tuple[float, str]], tab) -> float:
    """When the first frame holding `sentence` was painted (seconds since the epoch); its report may still
    be on its way when the text is found."""
    deadline = time.monotonic() + CONNECT_SECONDS
    while time.monotonic() < deadline:
        found = [at for at, text in paints if sentence in text]
        if found:
            return found[0]
        tab.wait_for_timeout(10)
    raise RuntimeError(f"no painted frame reported {sentence!r}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_preview(project: Path, python: str, port: int) -> subprocess.Popen:
    log = open(project / "serve.log", "wb")  # noqa: SIM115 - the server writes to it until stopped
    command = [python, str(project / "build.py"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    return subprocess.Popen(
        command,
        cwd=project,
        env=our_env(),
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )


def wait_until_served(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + FIRST_BUILD_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"build.py serve exited with {server.returncode} before serving {url}")
        try:
            with urllib.request.urlopen(url, timeout=5) as reply:
                if reply.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)  # polling the server while it builds; not a stand-in for a signal we could get
    raise RuntimeError(f"the preview did not serve {url} within {FIRST_BUILD_SECONDS} s")


def wait_until_idle(pid: int) -> None:
    """Until the server's processes are at rest: over a window of QUIET[0] seconds, next to no CPU used
    and no thread runnable. The previous save's work (a full rebuild after a quick update, say) is then
    done, so a save is timed from a preview at rest, as an editor's next save is. A thread waiting for a
    CPU on a loaded machine is runnable ("R"), so a starved rebuild is not taken for rest."""
    window, most = QUIET
    deadline = time.monotonic() + IDLE_SECONDS
    while time.monotonic() < deadline:
        before, busy = cpu_seconds(pid), 0
        for _ in range(10):
            time.sleep(window / 10)
            busy += runnable(pid)
        if busy <= 1 and cpu_seconds(pid) - before <= most:
            return


def runnable(pid: int) -> bool:
    """Whether any thread of `pid` or its descendants is running or waiting for a CPU."""
    for member in process_tree(pid):
        try:
            tasks = os.listdir(f"/proc/{member}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{member}/task/{task}/stat", encoding="ascii", errors="replace") as stat:
                    if stat.read().rsplit(")", 1)[1].split()[0] == "R":
                        return True
            except OSError:
                continue
    return False


def cpu_seconds(pid: int) -> float:
    """User + sys seconds of `pid` and its descendants so far, from /proc/<pid>/stat."""
    ticks = 0
    for member in process_tree(pid):
        try:
            with open(f"/proc/{member}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of proc(5)
    return ticks / os.sysconf("SC_CLK_TCK")


def _wait_for_connection(tab, sockets: list) -> None:
    """Until the page has an open WebSocket, for at most CONNECT_SECONDS (a preview may use none)."""
    tab.wait_for_load_state("load")
    deadline = time.monotonic() + CONNECT_SECONDS
    while time.monotonic() < deadline and not any(not ws.is_closed() for ws in sockets):
        tab.wait_for_timeout(10)


def stop(server: subprocess.Popen) -> None:
    """Ctrl+C to the server's process group, as an editor stops it; SIGKILL if still there after 10 s."""
    group = server.pid  # start_new_session: the server leads a process group of its own
    for stop_signal, grace in ((signal.SIGINT, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(group, stop_signal)
        except ProcessLookupError:
            break
        try:
            server.wait(timeout=grace)
            break
        except subprocess.TimeoutExpired:
            continue
    try:
        os.killpg(group, signal.SIGKILL)  # anything of the group still there (the server has exited)
    except ProcessLookupError:
        pass


def _chromium() -> str | None:
    import shutil

    return shutil.which("chromium") or shutil.which("chromium-browser")
