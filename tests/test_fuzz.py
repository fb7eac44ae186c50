"""Fuzz: no edit of the content, however wrong, breaks the build, the site or the machine it runs on.

Hypothesis edits the small test project's content files the way hurried editors and strangers' pull requests
do — truncated YAML, wrong types, huge strings, deep nesting, YAML aliases and tags, binary bytes, bad UTF-8,
a BOM, CRLF line ends, tabs, duplicate keys, empty files, raw HTML, script links, event attributes, SVG with
script, links out of the site, very long lines — and builds it. For every edit:

  - the build succeeds, or fails with ContentError whose every problem is one line naming a file and line,
    what is wrong and how to fix it;
    any other exception is a bug (in this process), and no traceback reaches stderr (through build.py);
  - it ends within SECONDS_PER_EXAMPLE (an alarm turns a hang into a failure);
  - a failed build leaves the last good site byte for byte, and no staging folder;
  - nothing is written outside the output folder;
  - a good build's pages hold no element, attribute, script or link the templates did not put there
    (html_safety.py), and no link out of the site.

PATIENTSITE_FUZZ_EXAMPLES sets how many edits the in-process test tries (default 300, about a minute on two
cores); the build.py test tries a twentieth of that, at least 10. A long local run:

    PATIENTSITE_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py -p no:cacheprovider -s
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from html_safety import template_vocabulary, unsafe_parts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from projects import MINIMAL_CONTENT, make_project, run_build, snapshot

from patientsite.checks.grading import Grader
from patientsite.pipeline import Project, build_site
from patientsite.problems import ContentError

EXAMPLES = int(os.environ.get("PATIENTSITE_FUZZ_EXAMPLES", "300"))
SUBPROCESS_EXAMPLES = max(10, EXAMPLES // 20)
SECONDS_PER_EXAMPLE = 60
PROBLEM_LINE = re.compile(r"^(content|templates|static)/[^\n]*?:[1-9]\d*: (warning: )?[^\n]+ — [^\n]+$")

CONTENT_FILES = sorted(
    p.relative_to(MINIMAL_CONTENT).as_posix() for p in MINIMAL_CONTENT.rglob("*") if p.is_file()
)
NEW_FILES = ["anaemia/new.md", "anaemia/faq.md", "anaemia/notes.yaml", "other/topic.yaml", "extra.md"]

# What editors and attackers type: YAML that means something else, Markdown that tries to escape.
HOSTILE = [
    ": ",
    "- ",
    "-",
    "\t",
    "  ",
    "    ",
    "#",
    "# comment",
    "---\n",
    "...\n",
    "\n",
    "\n\n",
    "'",
    '"',
    "|\n",
    ">\n",
    "&anchor ",
    "*anchor",
    "<<: *anchor\n",
    "!!python/object/apply:os.system ['true']",
    "!!binary aGk=",
    "!custom x",
    "? [a, b]\n: c\n",
    "{",
    "}",
    "[",
    "]",
    "{a: 1}",
    "[a, b]",
    "%YAML 1.1\n",
    "%TAG ! tag:x,2000:\n",
    "2026-13-45",
    "2026-02-30",
    "2026-11-01 10:00:00",
    "2026-11-01T10:00:00+99:00",
    "0x" + "f" * 40,
    "9" * 5000,
    "1e999",
    ".nan",
    ".inf",
    "yes",
    "No",
    "off",
    "~",
    "null",
    "0o777",
    "1_000",
    "12:30:00",
    "title: again\n",
    "sources: []\n",
    "sections: [causes.md, causes.md]\n",
    "updated:\n",
    "draft: true\n",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg/onload=alert(1)>",
    "<a href='javascript:alert(1)'>x</a>",
    "<!-- c -->",
    "<?php x ?>",
    "</p>",
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x]( javascript:alert(1))",
    "<javascript:alert(1)>",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](vbscript:x)",
    '<https://example.org/"onclick=x>',
    "[x](../../../etc/passwd)",
    "[x](/etc/passwd)",
    "[x](//evil.example)",
    "[x](%2e%2e/%2e%2e/x.md)",
    "[x](..\\..\\x.md)",
    "[x](../../x.md 't')",
    "[x](<../../x y.md>)",
    "[x][r]\n\n[r]: ../../x.md\n",
    "[r]: javascript:alert(1)\n",
    "\\`[x](../../x.md)`",
    "```\n\n[x](../../x.md)\n",
    "![p](../../p.png)",
    "![p](x.svg)",
    '## Heading {onclick="alert(1)"}\n',
    "{: onmouseover=alert(1) }",
    "[x](causes.md){: onclick=x }",
    "[x](page:../../../etc/passwd)",
    "[x](faq.yaml#nowhere)",
    "[x](causes.md)",
    "[x](../index.md)",
    "[@nhs-anaemia]",
    "[@nobody]",
    "[@",
    "[@a; @b]",
    '!!! urgent "<script>"\n    x\n',
    "| a | b |\n|---|---|\n| c | d |\n",
    "# H1\n",
    "&#x3C;script&#x3E;",
    "&lt;b&gt;",
    "</script><script>x</script>",
    "{{ 7*7 }}",
    "{% raw %}",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u202e",
    "\u200b",
    "\x85",
    "\x00",
    "\x1b[31m",
    "\x7f",
    "\x0b",
    "\x0c",
    "\r",
    "\r\n",
    "é",
    "🩸",
    "𝕏",
    "\\",
    "\\\\",
    "`",
    "``",
    "***",
    "___",
    "> ",
    "1. ",
    "* ",
]
# Large pieces: long lines, deep nesting, the shapes that make Markdown libraries slow.
LARGE = [
    "x" * 30_000,
    "word " * 5_000,
    "[" * 20_000,
    "[[]" * 5_000,
    "[a](b(c)" * 2_000,
    "![" * 10_000,
    "> " * 2_000 + "x",
    "".join("    " * level + "- x\n" for level in range(120)),
    "a\n: b\n" * 800,
    "*" * 10_000,
    "_a " * 5_000,
    "<a " * 3_000,
    "[" * 100 + "]" * 100,
    "{" * 100 + "}" * 100,
    "- " * 100 + "x",
    "a: " * 100 + "b",
    "&a x\n" * 100,
    "x: &a [*a]\n",
    "\n" * 50_000,
    " " * 50_000 + "x",
    "\t" * 1_000,
]
WHOLE_FILES = [
    b"",
    b"\n",
    b"\xef\xbb\xbf",
    b"---\n---\n",
    b"---\n",
    b"- a\n- b\n",
    b"just text",
    b"\x00\xff\xfe",
    b"title: [",
    b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b]\n",
    b"a: " + b"[" * 100_000 + b"]" * 100_000,
    b"x" * 200_001,
    b"\xff" * 100,
]


def encoded(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


pieces = st.one_of(
    st.sampled_from(HOSTILE).map(encoded),
    st.text(max_size=40).map(encoded),
    st.binary(max_size=16),
    st.sampled_from(LARGE).map(encoded),
)


def insert(draw, data: bytes) -> bytes:
    at = draw(st.integers(0, len(data)))
    return data[:at] + draw(pieces) + data[at:]


def append(draw, data: bytes) -> bytes:
    """At the end: in a Markdown file, the text; the edits most likely still to build
    (and so to be rendered)."""
    return data + b"\n" + draw(pieces) + b"\n"


def replace_value(draw, data: bytes) -> bytes:
    lines = data.split(b"\n")
    at = draw(st.integers(0, len(lines) - 1))
    key = lines[at].partition(b":")[0]
    lines[at] = key + b": " + draw(pieces)
    return b"\n".join(lines)


def delete(draw, data: bytes) -> bytes:
    start = draw(st.integers(0, len(data)))
    end = draw(st.integers(start, len(data)))
    return data[:start] + data[end:]


def truncate(draw, data: bytes) -> bytes:
    return data[: draw(st.integers(0, len(data)))]


def repeat_line(draw, data: bytes) -> bytes:
    lines = data.split(b"\n")
    at = draw(st.integers(0, len(lines) - 1))
    return b"\n".join(lines[: at + 1] + lines[at:])


def recode(draw, data: bytes) -> bytes:
    change = draw(st.sampled_from(["crlf", "cr", "bom", "tabs", "latin-1", "utf-16", "no final newline"]))
    if change == "crlf":
        return data.replace(b"\n", b"\r\n")
    if change == "cr":
        return data.replace(b"\n", b"\r")
    if change == "bom":
        return b"\xef\xbb\xbf" + data
    if change == "tabs":
        return data.replace(b"  ", b"\t")
    if change == "no final newline":
        return data.rstrip(b"\n")
    return data.decode("utf-8").encode(change, "replace")


def whole_file(draw, data: bytes) -> bytes:
    return draw(st.sampled_from(WHOLE_FILES))


EDITS: list[Callable] = [
    insert,
    insert,
    append,
    append,
    replace_value,
    replace_value,
    delete,
    truncate,
    repeat_line,
    recode,
    whole_file,
]


@st.composite
def edits(draw) -> list[tuple[str, bytes]]:
    """One to three edits, each a content file and its new bytes."""
    changed = []
    for name in draw(st.lists(st.sampled_from(CONTENT_FILES + NEW_FILES), min_size=1, max_size=3)):
        original = (MINIMAL_CONTENT / name).read_bytes() if (MINIMAL_CONTENT / name).is_file() else b""
        changed.append((name, draw(st.sampled_from(EDITS))(draw, original)))
    return changed


@functools.cache
def vocabulary():
    return template_vocabulary()


class Hang(BaseException):
    """A build that did not end in time (BaseException, so that no `except Exception` swallows it)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def stop(signum, frame):
        raise Hang(f"the build did not end within {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def apply(project: Path, changed: list[tuple[str, bytes]]) -> None:
    shutil.rmtree(project / "content")
    shutil.copytree(MINIMAL_CONTENT, project / "content")
    for name, data in changed:
        path = project / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def everything_but(root: Path, out: Path) -> dict[str, bytes]:
    """Every file under root except those in out and the build cache: what a build must never change."""
    return {
        name: data
        for name, data in snapshot(root).items()
        if not name.startswith((out.name + "/", ".build-cache/"))
    }


def assert_problems_name_file_and_line(problems: list[str]) -> None:
    """Each problem is one line: 'file:line: field: what is wrong — how to fix it'."""
    assert problems, "a failed build must say why"
    for problem in problems:
        assert PROBLEM_LINE.match(problem), f"not one line of 'file:line: field: what — fix': {problem!r}"


def assert_site_is_safe(out: Path, vocabulary) -> None:
    assert (out / "index.html").is_file() and (out / ".nojekyll").is_file(), "the site is incomplete"
    for page in out.rglob("*.html"):
        unsafe = unsafe_parts(page.read_text(encoding="utf-8"), page.relative_to(out).as_posix(), vocabulary)
        assert not unsafe, f"{page.relative_to(out)}: {unsafe}"


def assert_no_staging_left(out: Path) -> None:
    leftovers = [p.name for p in out.parent.iterdir() if p.name.startswith((".building-", ".retired-"))]
    assert not leftovers, f"left behind: {leftovers}"


@pytest.fixture(scope="module")
def tally(pytestconfig) -> Iterator[Counter]:
    """Counts what the fuzz tests tried, and says so at the end of the run
    (pass or fail is pytest's to say)."""
    counts: Counter = Counter()
    yield counts
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None or not counts:
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(
            f"\nfuzz: {counts['in-process']} edits built in-process ({counts['in-process built']} built, "
            f"{counts['in-process refused']} refused), {counts['build.py']} through build.py "
            f"({counts['build.py built']} built, {counts['build.py refused']} refused); "
            f"slowest {counts['slowest ms'] / 1000:.1f} s"
        )


@pytest.fixture(scope="module")
def good_project(tmp_path_factory) -> Iterator[Path]:
    """The small project, built once: the last good site every edit starts from.

    In this process, reading grades are measured here rather than by a grader process started for each
    build (the path taken where fork does not exist), so the dictionary is loaded once, not once an edit.
    """
    project = make_project(tmp_path_factory.mktemp("fuzz") / "project")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Grader, "start", classmethod(lambda cls, language="en": None))
        build_site(Project(project), project / "site")
        yield project


FUZZ_SETTINGS = {
    "deadline": None,  # time is bounded by time_limit instead: deadlines fail on a slow, busy machine
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.function_scoped_fixture,
    ],
    "print_blob": True,
}


@settings(max_examples=EXAMPLES, **FUZZ_SETTINGS)
@given(changed=edits())
def test_any_edit_builds_a_safe_site_or_reports_problems_and_keeps_the_last_good_site(
    good_project, tally, changed
):
    out = good_project / "site"
    apply(good_project, changed)
    last_good, untouchable = snapshot(out), everything_but(good_project, out)
    started = time.perf_counter()
    try:
        with time_limit(SECONDS_PER_EXAMPLE):
            build_site(Project(good_project), out)
        built = True
    except ContentError as error:
        built = False
        assert_problems_name_file_and_line([str(p) for p in error.errors + error.warnings])
    tally["slowest ms"] = max(tally["slowest ms"], int((time.perf_counter() - started) * 1000))
    tally["in-process"] += 1
    tally["in-process built" if built else "in-process refused"] += 1
    if built:
        assert_site_is_safe(out, vocabulary())
    else:
        assert snapshot(out) == last_good, "a failed build changed the last good site"
    assert everything_but(good_project, out) == untouchable, "the build wrote outside its output folder"
    assert sorted(p.name for p in good_project.parent.iterdir()) == ["project"]
    assert_no_staging_left(out)


@settings(max_examples=SUBPROCESS_EXAMPLES, **FUZZ_SETTINGS)
@given(changed=edits())
def test_build_py_never_prints_a_traceback_whatever_the_edit(good_project, tally, changed):
    out = good_project / "site"
    apply(good_project, changed)
    last_good, untouchable = snapshot(out), everything_but(good_project, out)
    started = time.perf_counter()
    result = run_build(good_project)
    tally["slowest ms"] = max(tally["slowest ms"], int((time.perf_counter() - started) * 1000))
    tally["build.py"] += 1
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert result.returncode in (0, 1), result.stderr
    tally["build.py built" if result.returncode == 0 else "build.py refused"] += 1
    lines = result.stderr.splitlines()
    if result.returncode == 1:
        assert lines[-1].endswith("nothing was written, the last good site is unchanged."), result.stderr
        assert_problems_name_file_and_line(lines[:-1])
        assert snapshot(out) == last_good, "a failed build changed the last good site"
    else:
        if lines:  # warnings
            assert_problems_name_file_and_line(lines)
        assert_site_is_safe(out, vocabulary())
    assert everything_but(good_project, out) == untouchable, "the build wrote outside its output folder"
    assert_no_staging_left(out)
