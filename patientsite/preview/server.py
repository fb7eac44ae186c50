"""Server: the preview over HTTP (tornado) — the site's files from memory, livereload's script, the problems'
stylesheet, and the reload websocket; every request checked to be addressed to the preview itself.

Pages are served exactly as built, with two additions (pages.py): `<script src="/livereload.js?snipver=N">`
before `</head>`, where N counts the rebuilds that changed what is served, and while there are problems
their list and its stylesheet. The script is livereload's; its websocket back to the same host and port is
'self' under the pages' Content-Security-Policy, and speaks the protocol of reload.py.
"""

from __future__ import annotations

import asyncio
import re
import threading

from livereload.handlers import LiveReloadJSHandler
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.netutil import bind_sockets

from patientsite.preview.hosts import OwnHostOnly, allowed_hosts
from patientsite.preview.pages import PROBLEMS_STYLESHEET, problems_stylesheet
from patientsite.preview.reload import OpenPages, ReloadSocket
from patientsite.preview.state import Preview


class PreviewServer:
    """Serves a Preview over HTTP and its reload websocket; `reload_pages` may be called from any thread."""

    def __init__(self, preview: Preview, host: str, port: int):
        self.preview = preview
        self.sockets = bind_sockets(port, host)  # bound now: port 0 has its real number at once
        self.host = host
        self.port = self.sockets[0].getsockname()[1]
        self.open_pages = OpenPages(self._generation)
        self.loop: IOLoop | None = None
        self.stopping: asyncio.Event | None = None
        self.started = threading.Event()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def run(self) -> None:
        """Serve until stop() (or Ctrl+C when run in the main thread)."""
        asyncio.run(self._serve())

    def reload_pages(self) -> None:
        if self.loop is not None:
            self.loop.add_callback(self.open_pages.reload_all)

    def stop(self) -> None:
        if self.loop is not None and self.stopping is not None:
            self.loop.add_callback(self.stopping.set)

    def _generation(self) -> int:
        with self.preview.lock:
            return self.preview.generation

    def _application(self) -> web.Application:
        hosts = {"hosts": allowed_hosts(self.host, self.port)}
        return web.Application(
            [
                (r"/livereload", ReloadSocket, {"pages": self.open_pages, **hosts}),
                (r"/livereload\.js", _ReloadScriptHandler, hosts),
                (re.escape(PROBLEMS_STYLESHEET), _ProblemsStylesheetHandler, hosts),
                (r"/(.*)", _PreviewHandler, {"preview": self.preview, **hosts}),
            ],
            log_function=lambda handler: None,
        )

    async def _serve(self) -> None:
        server = HTTPServer(self._application())
        server.add_sockets(self.sockets)
        self.loop, self.stopping = IOLoop.current(), asyncio.Event()
        self.started.set()
        try:
            await self.stopping.wait()
        finally:
            server.stop()
            self.open_pages.close_all()
            await server.close_all_connections()


class _PreviewHandler(OwnHostOnly):
    def initialize(self, preview: Preview, hosts: frozenset[str]) -> None:  # type: ignore[override]
        super().initialize(hosts)
        self.preview = preview

    def get(self, path: str) -> None:
        reply = self.preview.page(path)
        self.set_status(reply.status)
        self.set_header("Content-Type", reply.content_type)
        self.set_header("Cache-Control", "no-store")
        if reply.location is not None:
            self.set_header("Location", reply.location)
        self.write(reply.body)


class _ReloadScriptHandler(OwnHostOnly, LiveReloadJSHandler):
    pass


class _ProblemsStylesheetHandler(OwnHostOnly):
    def get(self) -> None:
        self.set_header("Content-Type", "text/css; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(problems_stylesheet())
