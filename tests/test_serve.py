"""The live preview: a save rebuilds and the open page reloads by itself; a broken file shows what is wrong,
in the browser and the terminal, until it is fixed; the preview serves the built pages plus one script."""

from __future__ import annotations

import http.server
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import support
from playwright.sync_api import Browser, Page, expect
from projects import MINIMAL_CONTENT, REPO, make_project, snapshot

from patientsite.engine.cache import BuildCache
from patientsite.pipeline import Project, build_site, make_build
from patientsite.preview import state
from patientsite.preview.serve import TerminalReport, print_outcome, running_preview
from patientsite.preview.server import PreviewServer
from patientsite.preview.state import Outcome
from patientsite.problems import Problem

CAUSES = "content/anaemia/causes.md"
WAIT_MS = 30_000  # a bound on waiting, not a speed requirement: the machine may be busy with other tests
CONNECTED = "() => !!(window.LiveReload && window.LiveReload.connector._isSocketConnected())"
GREETED = "() => !!(window.LiveReload && window.LiveReload.connector.protocol === 7)"  # server said hello
RELOAD_SCRIPT = re.compile(
    rb'<script src="/livereload\.js\?snipver=\d+"></script>\n'
)  # stamped with the rebuild


class Outcomes:
    """What the preview reports after each rebuild, to wait for in order."""

    def __init__(self) -> None:
        self.queue: queue.Queue[tuple[str, Outcome]] = queue.Queue()

    def __call__(self, what: str, outcome: Outcome) -> None:
        self.queue.put((what, outcome))

    def wait_for_full_build(self) -> Outcome:
        while True:
            what, outcome = self.queue.get(timeout=WAIT_MS / 1000)
            if what == "rebuilt":
                return outcome


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


@pytest.fixture
def outcomes() -> Outcomes:
    return Outcomes()


@pytest.fixture
def preview(project: Path, outcomes: Outcomes) -> Iterator[PreviewServer]:
    with running_preview(Project(project), report=outcomes) as server:
        yield server


@pytest.fixture
def tab(browser: Browser) -> Iterator[Page]:
    with support.browser_tab(browser) as page:
        page.console_errors = []  # type: ignore[attr-defined]
        page.on(
            "console", lambda message: message.type == "error" and page.console_errors.append(message.text)
        )
        yield page


def edit(project: Path, old: str, new: str, name: str = CAUSES) -> None:
    support.edit(project / name, old, new, count=1)


def open_and_connect(tab: Page, url: str) -> None:
    tab.goto(url)
    tab.wait_for_function(CONNECTED, timeout=WAIT_MS)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _status_and_headers(opener, request) -> tuple[int, dict]:
    try:
        with opener.open(request) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def fetch(url: str | urllib.request.Request) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_a_save_rebuilds_and_the_open_page_reloads_by_itself(project, preview, tab):
    open_and_connect(tab, preview.url + "anaemia/causes.html")
    expect(tab.locator("main")).to_contain_text("Losing blood is a common cause")
    edit(project, "Losing blood is a common cause", "Bleeding is a common cause")
    expect(tab.locator("main")).to_contain_text("Bleeding is a common cause", timeout=WAIT_MS)
    assert tab.console_errors == []


def test_a_template_change_rebuilds_every_page_and_reloads(project, preview, tab):
    open_and_connect(tab, preview.url + "anaemia/faq.html")
    edit(project, "<main", '<p class="banner">Draft</p>\n<main', "templates/base.html")
    expect(tab.locator(".banner")).to_have_text("Draft", timeout=WAIT_MS)


def test_a_broken_file_shows_its_problems_over_the_last_good_page_until_it_is_fixed(
    project, preview, tab, outcomes
):
    open_and_connect(tab, preview.url + "anaemia/causes.html")
    edit(project, "[@medlineplus-anemia]", "[@no-such-source]")
    alert = tab.get_by_role("alert")
    expect(alert).to_contain_text(
        f"{CAUSES}:8: citation: 'no-such-source' is not in the source list — add a source", timeout=WAIT_MS
    )
    expect(tab.locator("h1")).to_have_text("Causes")  # the last good page, under the list
    expect(tab.locator("main")).to_contain_text("Not eating enough iron")
    assert any("no-such-source" in problem.message for problem in outcomes.wait_for_full_build().errors)

    tab.wait_for_function(CONNECTED, timeout=WAIT_MS)  # the page with the list reloads by itself too
    edit(project, "[@no-such-source]", "[@medlineplus-anemia]")
    expect(alert).to_have_count(0, timeout=WAIT_MS)
    expect(tab.locator("h1")).to_have_text("Causes")
    assert outcomes.wait_for_full_build().errors == []
    assert tab.console_errors == []


def test_the_problems_over_a_page_keep_to_its_csp_and_are_styled(project, preview, tab, outcomes):
    edit(project, "[@medlineplus-anemia]", "[@no-such-source]")
    outcomes.wait_for_full_build()
    tab.goto(preview.url + "anaemia/faq.html")
    alert = tab.get_by_role("alert")
    expect(alert).to_contain_text("no-such-source")
    assert alert.evaluate("element => getComputedStyle(element).position") == "sticky"
    assert tab.console_errors == [], "the problem list broke the page's Content-Security-Policy"


BROKEN_LINKS = {  # site: (its content, the page, its file, a link in it, the link broken)
    "test site": (MINIMAL_CONTENT, "anaemia/causes.html", CAUSES, "(faq.yaml)", "(faq.yaml#no-such-place)"),
    "shipped site, translated": (
        REPO / "content",
        "leucopenia/causes.html",
        "content/leucopenia/causes.md",
        "(numbers.md#duffy)",
        "(numbers.md#no-such-place)",
    ),
}


@pytest.mark.parametrize("site", BROKEN_LINKS)
def test_a_broken_link_is_the_first_thing_the_page_shows_after_the_save(site, tmp_path, outcomes, tab):
    """No reload shows the broken page as if it were fine, to be replaced by its problems a moment later:
    open pages are told to reload only once the rebuild, its link checks included, has finished."""
    content, page_path, file, link, broken = BROKEN_LINKS[site]
    project = make_project(tmp_path / "project", content)
    served: list[bytes] = []  # the page as served after the save

    with running_preview(Project(project), report=outcomes) as server:
        real_page = server.preview.page

        def page(path: str):
            reply = real_page(path)
            if path.endswith(page_path):
                served.append(reply.body)
            return reply

        open_and_connect(tab, server.url + page_path)
        server.preview.page = page  # the handlers ask the preview for each page
        edit(project, link, broken, file)
        expect(tab.get_by_role("alert")).to_contain_text("'#no-such-place' is not a heading", timeout=WAIT_MS)
        outcomes.wait_for_full_build()
        assert served and b'role="alert"' in served[0], (
            "the first reload showed the broken page as if it were fine"
        )

        tab.wait_for_function(CONNECTED, timeout=WAIT_MS)
        edit(project, broken, link, file)
        expect(tab.get_by_role("alert")).to_have_count(0, timeout=WAIT_MS)
        assert outcomes.wait_for_full_build().errors == []


def test_broken_yaml_anywhere_is_shown_and_the_server_keeps_running(project, preview, tab):
    open_and_connect(tab, preview.url + "index.html")
    edit(project, "title: Test guide", "title: [Test guide", "content/site.yaml")
    expect(tab.get_by_role("alert")).to_contain_text(
        "content/site.yaml:2: YAML: cannot be read", timeout=WAIT_MS
    )
    edit(project, "title: [Test guide", "title: Test guide", "content/site.yaml")
    expect(tab.get_by_role("alert")).to_have_count(0, timeout=WAIT_MS)
    expect(tab.locator("h1")).to_have_text("Welcome")


def test_a_first_build_that_fails_shows_the_problems_as_the_whole_page(project, outcomes, tab):
    edit(project, "[@medlineplus-anemia]", "[@no-such-source]")
    with running_preview(Project(project), report=outcomes) as server:
        open_and_connect(tab, server.url + "anaemia/causes.html")
        expect(tab.locator("h1")).to_contain_text("cannot be built: 1 problem to fix")
        expect(tab.locator("main")).to_contain_text(f"{CAUSES}:8: citation: 'no-such-source'")
        assert tab.locator("main").evaluate("element => getComputedStyle(element).maxWidth") != "none"
        assert not any("Content Security Policy" in error for error in tab.console_errors), tab.console_errors
        edit(project, "[@no-such-source]", "[@medlineplus-anemia]")
        expect(tab.locator("h1")).to_have_text("Causes", timeout=WAIT_MS)


def test_an_error_of_the_generator_in_a_rebuild_is_shown_and_the_next_save_is_tried_again(
    project, preview, tab, outcomes, monkeypatch
):
    real_build = state.make_build

    def failing_build(*args, **kwargs):
        if "Bleeding" in (project / CAUSES).read_text(encoding="utf-8"):
            raise RuntimeError("a bug")
        return real_build(*args, **kwargs)

    monkeypatch.setattr(state, "make_build", failing_build)
    open_and_connect(tab, preview.url + "anaemia/causes.html")
    edit(project, "Losing blood is a common cause", "Bleeding is a common cause")
    expect(tab.get_by_role("alert")).to_contain_text("RuntimeError: a bug", timeout=WAIT_MS)
    assert outcomes.wait_for_full_build().errors[0].field == "preview"
    tab.wait_for_function(CONNECTED, timeout=WAIT_MS)
    edit(project, "Bleeding is a common cause", "Blood loss is a common cause")
    expect(tab.get_by_role("alert")).to_have_count(0, timeout=WAIT_MS)
    expect(tab.locator("main")).to_contain_text("Blood loss is a common cause")


def test_a_fix_saved_while_the_error_page_was_still_loading_brings_the_page_back(
    project, preview, outcomes, tab
):
    """The editor fixes the file before the error page's reload script connected: the fix is not missed."""
    edit(project, "[@medlineplus-anemia]", "[@no-such-source]")
    outcomes.wait_for_full_build()
    held = []  # the page's request for its reload script, held until the fix is built
    tab.route("**/livereload.js*", lambda route: held.append(route), times=1)
    tab.goto(preview.url + "anaemia/causes.html", wait_until="commit")
    for _ in range(WAIT_MS // 20):
        if held:
            break
        tab.wait_for_timeout(20)
    assert held, "the page never asked for its reload script"
    edit(project, "[@no-such-source]", "[@medlineplus-anemia]")
    assert outcomes.wait_for_full_build().errors == []
    held[0].continue_()
    expect(tab.get_by_role("alert")).to_have_count(0, timeout=WAIT_MS)
    expect(tab.locator("h1")).to_have_text("Causes")


def test_the_reload_script_and_its_websocket_work_under_the_pages_csp(preview, tab):
    open_and_connect(tab, preview.url + "anaemia/index.html")
    policy = tab.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert tab.locator('script[src^="/livereload.js?snipver="]').count() == 1
    assert tab.console_errors == [], "the page broke its own Content-Security-Policy"


def test_livereloads_own_inline_snippet_would_be_refused_by_the_csp(preview, tab):
    """Why the preview injects a script file: livereload's injected snippet is inline, and the CSP says no."""
    livereload_snippet = (
        '<script type="text/javascript">(function(){var s=document.createElement("script");'
        'var port=window.location.port;s.src="//"+window.location.hostname+":"+port'
        '+ "/livereload.js?port=" + port;document.head.appendChild(s);})();</script>'
    )
    _, page = fetch(preview.url + "index.html")
    tab.route(
        preview.url + "inline.html",
        lambda route: route.fulfill(
            content_type="text/html", body=RELOAD_SCRIPT.sub(livereload_snippet.encode(), page)
        ),
    )
    tab.goto(preview.url + "inline.html")
    assert any("Content Security Policy" in error for error in tab.console_errors), tab.console_errors


def test_preview_pages_are_the_built_pages_plus_the_reload_script(project, preview, tmp_path):
    build_site(Project(project), tmp_path / "built", cache=BuildCache.in_memory())
    built = snapshot(tmp_path / "built")
    for path, content in built.items():
        status, served = fetch(preview.url + path)
        assert status == 200, path
        if path.endswith(".html"):
            served, scripts = RELOAD_SCRIPT.subn(b"", served)
            assert scripts == 1, path
        assert served == content, f"{path} differs from the build"


def test_after_saves_the_preview_holds_exactly_what_a_cold_build_writes(project, preview, outcomes, tmp_path):
    edit(project, "Losing blood is a common cause", "Bleeding is a common cause")
    outcomes.wait_for_full_build()
    edit(project, "title: Anaemia", "title: Anaemia and you", "content/anaemia/topic.yaml")
    outcomes.wait_for_full_build()
    edit(project, "Most of the time it is not serious.", "It is rarely serious.", "content/anaemia/faq.yaml")
    outcomes.wait_for_full_build()
    build_site(Project(project), tmp_path / "cold", cache=BuildCache.in_memory())
    assert preview.preview.files == snapshot(tmp_path / "cold")
    assert not (project / "site").exists(), "the preview wrote pages into the project"


def test_the_work_of_a_save_in_the_preview_is_kept_for_the_next_build_once_it_stops(project, outcomes):
    with running_preview(Project(project), report=outcomes):
        edit(project, "Losing blood is a common cause", "Bleeding is a common cause")
        outcomes.wait_for_full_build()
    stages: list[str] = []
    make_build(
        Project(project), cache=BuildCache.for_project(project), progress=lambda s, *_: stages.append(s)
    )
    assert "converting" not in stages, "the edited page was converted again: the preview kept nothing"


def test_markdown_nested_too_deeply_is_shown_and_the_preview_keeps_watching(project, preview, outcomes):
    deep = "".join("    " * level + "- x\n" for level in range(300))
    edit(project, "Losing blood is a common cause", deep + "\nLosing blood is a common cause")
    assert any("nested too deeply" in problem.message for problem in outcomes.wait_for_full_build().errors)
    edit(project, deep + "\nLosing blood is a common cause", "Bleeding is a common cause")
    assert outcomes.wait_for_full_build().errors == []
    assert b"Bleeding is a common cause" in fetch(preview.url + "anaemia/causes.html")[1]


def test_a_missing_page_is_the_sites_404_and_nothing_outside_the_site_is_served(preview):
    status, body = fetch(preview.url + "no-such-page.html")
    assert status == 404 and b"Page not found" in body
    assert fetch(preview.url + "../../../etc/passwd")[0] == 404
    assert fetch(preview.url + "%2e%2e/%2e%2e/etc/passwd")[0] == 404


def test_a_path_with_a_nul_is_refused_and_a_folder_without_its_slash_is_redirected(preview):
    assert fetch(preview.url + "etc/passwd%00.html")[0] == 400
    request = urllib.request.Request(preview.url + "anaemia", method="GET")
    opener = urllib.request.build_opener(_NoRedirect)
    status, headers = _status_and_headers(opener, request)
    assert status == 301 and headers["Location"] == "/anaemia/"
    status, body = fetch(preview.url + "anaemia")  # followed: the topic's page, whose relative links work
    assert status == 200 and b"<h1>Anaemia</h1>" in body


def test_a_request_for_another_host_is_refused(preview):
    for host in ("evil.example", f"evil.example:{preview.port}", "127.0.0.1:1"):
        request = urllib.request.Request(preview.url + "anaemia/causes.html", headers={"Host": host})
        assert fetch(request)[0] == 403, host
        request = urllib.request.Request(preview.url + "livereload.js", headers={"Host": host})
        assert fetch(request)[0] == 403, host
    for host in (f"127.0.0.1:{preview.port}", f"localhost:{preview.port}"):
        request = urllib.request.Request(preview.url + "anaemia/causes.html", headers={"Host": host})
        assert fetch(request)[0] == 200, host


OPEN_SOCKET = """url => new Promise(done => {
    const socket = new WebSocket(url);
    socket.onopen = () => { socket.close(); done("open"); };
    socket.onerror = () => done("refused");
})"""


def test_a_page_of_another_site_cannot_open_the_reload_websocket(preview, tab):
    socket = f"ws://127.0.0.1:{preview.port}/livereload"
    with _other_site() as other:
        tab.goto(other)
        assert tab.evaluate(OPEN_SOCKET, socket) == "refused"
    tab.goto(preview.url + "index.html")
    assert tab.evaluate(OPEN_SOCKET, socket) == "open"  # the same request from the preview's own page


def test_two_previews_in_one_process_keep_their_open_pages_apart(tmp_path, browser):
    """Each preview reloads its own pages only: the open pages belong to the server, not to a class."""
    first, second = make_project(tmp_path / "first"), make_project(tmp_path / "second")
    context = browser.new_context()
    with running_preview(Project(first)) as one, running_preview(Project(second)) as other:
        for server in (one, other):
            tab = context.new_page()
            tab.goto(server.url + "index.html")
            tab.wait_for_function(GREETED, timeout=WAIT_MS)
        assert [len(one.open_pages.sockets), len(other.open_pages.sockets)] == [1, 1]
    context.close()


@contextmanager
def _other_site() -> Iterator[str]:
    """Another site on this machine: another origin (another port), as a page on the web would be."""

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<!doctype html><title>Another site</title><p>Another site")

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_each_problem_is_printed_once_for_a_save(project, capsys):
    outcomes = Outcomes()
    terminal = TerminalReport()

    def report(what: str, outcome: Outcome) -> None:
        terminal(what, outcome)
        outcomes(what, outcome)

    with running_preview(Project(project), report=report):
        edit(project, "[@medlineplus-anemia]", "[@no-such-source]")
        outcomes.wait_for_full_build()
        edit(project, "[@no-such-source]", "[@no-such-source] ")  # saved again, the same mistake in it
        outcomes.wait_for_full_build()
    assert capsys.readouterr().err.count("'no-such-source' is not in the source list") == 1


def test_problems_are_printed_in_the_terminal_as_file_line_field(capsys):
    problem = Problem("content/anaemia/causes.md", 7, "citation", "'x' is not in the source list", "fix it")
    print_outcome("rebuilt", Outcome(1, [problem], 0.01))
    assert (
        "content/anaemia/causes.md:7: citation: 'x' is not in the source list — fix it"
        in capsys.readouterr().err
    )


def test_serve_command_listens_where_asked_opens_no_browser_and_stops_on_ctrl_c(project, tmp_path):
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser"
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    browser.chmod(0o755)
    port = _free_port()
    env = support.python_env(BROWSER=str(browser))
    command = [sys.executable, str(project / "build.py"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(
        command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        lines = support.lines_until(server.stdout, "Previewing on")
        assert lines[-1].startswith(f"Previewing on http://127.0.0.1:{port}/"), "".join(lines)
        status, body = fetch(f"http://127.0.0.1:{port}/anaemia/causes.html")
        assert status == 200 and RELOAD_SCRIPT.search(body)
    finally:
        server.send_signal(signal.SIGINT)
        output, errors = server.communicate(timeout=WAIT_MS / 1000)
    assert server.returncode == 0, errors
    assert "Preview stopped." in output
    assert not opened.exists(), "serve opened a browser without --open"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
