"""Pages: what the preview adds to the site's pages — the reload script, and while something is wrong the list
of problems over the page, or the error page when there is no good build to show.

The site's Content-Security-Policy (default-src 'self') forbids inline scripts and styles, and livereload's
own injected snippet is inline, so the reload script and the problems' stylesheet are same-origin files. The
problem list and the error page are the templates in preview/templates/: the site's own templates may be
what is broken, so these depend on nothing of the site.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2

from patientsite.problems import Problem

RELOAD_SCRIPT = '<script src="/livereload.js?snipver={generation}"></script>\n'  # livereload.js sends snipver
PREVIEW_TEMPLATES = Path(__file__).parent / "templates"
PROBLEMS_STYLESHEET = "/__preview__/problems.css"  # served by the preview, never part of the site
HEAD_END = b"</head>"
BODY_START = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)

_templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(PREVIEW_TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def served_page(page: bytes, generation: int, errors: list[Problem]) -> bytes:
    """A page as the preview serves it: the reload script, and the problems over it while there are any."""
    if errors:
        page = with_problems(page, errors)
    return with_reload_script(page, generation)


def with_reload_script(page: bytes, generation: int) -> bytes:
    """The page with the reload script before </head>: the one difference between preview and build."""
    script = RELOAD_SCRIPT.format(generation=generation).encode()
    if HEAD_END not in page:
        return page + script
    return page.replace(HEAD_END, script + HEAD_END, 1)


def with_problems(page: bytes, errors: list[Problem]) -> bytes:
    """The last good page with the list of problems at the top of its body, and the list's stylesheet."""
    stylesheet = f'<link rel="stylesheet" href="{PROBLEMS_STYLESHEET}">\n'.encode()
    problems = _templates.get_template("problems.html").render(problems=errors, count=_count(errors)).encode()
    page = page.replace(HEAD_END, stylesheet + HEAD_END, 1) if HEAD_END in page else stylesheet + page
    found = BODY_START.search(page)
    at = found.end() if found else len(page)
    return page[:at] + b"\n" + problems + page[at:]


def error_page(errors: list[Problem]) -> bytes:
    """The whole page while there is no good build to show: the problems, as the terminal prints them."""
    page = _templates.get_template("error.html")
    return page.render(problems=errors, count=_count(errors), stylesheet=PROBLEMS_STYLESHEET).encode()


def problems_stylesheet() -> bytes:
    """The style of the problem list and of the error page (read each time: it may be edited meanwhile)."""
    return (PREVIEW_TEMPLATES / "problems.css").read_bytes()


def _count(errors: list[Problem]) -> str:
    return f"{len(errors)} problem{'s' if len(errors) != 1 else ''}"
