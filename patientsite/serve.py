"""Serve: live preview — the same build, rerun on every save, served with a reload script."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from .pipeline import Project, build_site
from .problems import ContentError


def serve(project: Project, out_dir: Path | None, base_url: str | None, host: str, port: int,
          open_browser: bool) -> int:
    from livereload import Server

    preview_dir = Path(tempfile.mkdtemp(prefix="patientsite-preview-")) / "site"
    rebuild = _rebuilder(project, preview_dir, base_url)
    rebuild()
    server = Server()
    for folder in (project.content_dir, project.templates_dir, project.static_dir):
        server.watch(str(folder), rebuild, delay=0.05)
    print(f"Previewing on http://{host}:{port}/ — save a file to rebuild; press Ctrl+C to stop.")
    server.serve(root=str(preview_dir), host=host, port=port, open_url_delay=1 if open_browser else None,
                 restart_delay=0)
    return 0


def _rebuilder(project: Project, preview_dir: Path, base_url: str | None):
    def rebuild() -> None:
        started = time.perf_counter()
        try:
            report = build_site(project, preview_dir, base_url)
        except ContentError as error:
            for problem in error.errors:
                print(problem, file=sys.stderr)
            print("The preview still shows the last good build; fix the file and save.", file=sys.stderr)
            return
        print(f"rebuilt: {report.pages} pages in {time.perf_counter() - started:.2f} s")

    return rebuild
