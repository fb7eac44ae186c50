"""Reload: the livereload protocol (version 7) over a websocket, for the pages open in one preview.

livereload.js, in each page, connects and says hello with the page's stamp (`snipver`, the generation the
page was served at); the preview answers hello, and from then on sends `reload` whenever a rebuild changed
what is served. A page stamped before the latest rebuild (the editor saved while it was still loading) is
told to reload at once, so no save is lost between a page's load and its connection.

The open pages belong to one server (`OpenPages`), not to the handler class: two previews in one process
never reload each other's pages. Everything here runs on the server's event loop.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import urlsplit

from tornado.websocket import WebSocketClosedError, WebSocketHandler

from patientsite.preview.hosts import OwnHostOnly

PROTOCOL = "http://livereload.com/protocols/official-7"
HELLO = {"command": "hello", "protocols": [PROTOCOL], "serverName": "patientsite-preview"}
RELOAD = {"command": "reload", "path": "*", "liveCSS": False, "liveImg": False}


class OpenPages:
    """The pages connected to one preview's reload socket; `generation()` stamps what is served now."""

    def __init__(self, generation: Callable[[], int]):
        self.generation = generation
        self.sockets: set[ReloadSocket] = set()

    def reload_all(self) -> None:
        for socket in list(self.sockets):
            socket.send(RELOAD)

    def close_all(self) -> None:
        for socket in list(self.sockets):
            socket.close()
        self.sockets.clear()


class ReloadSocket(OwnHostOnly, WebSocketHandler):
    """One page's connection, accepted only from a page of the preview's own origin."""

    def initialize(self, hosts: frozenset[str], pages: OpenPages) -> None:  # type: ignore[override]
        super().initialize(hosts)
        self.pages = pages

    def check_origin(self, origin: str) -> bool:
        return urlsplit(origin).netloc.lower() in self.hosts

    def on_message(self, message: str | bytes) -> None:
        try:
            hello = json.loads(message)
        except ValueError:
            return  # not the protocol: nothing to answer
        if not isinstance(hello, dict) or hello.get("command") != "hello":
            return  # 'info' and the like: the page says what it is, nothing to answer
        self.pages.sockets.add(self)  # before the stamp is read: no reload falls between the two
        self.send(HELLO)
        if hello.get("snipver") not in (None, self.pages.generation()):
            self.send(RELOAD)  # None: a page not stamped by this preview

    def on_close(self) -> None:
        self.pages.sockets.discard(self)

    def send(self, message: dict) -> None:
        try:
            self.write_message(message)
        except WebSocketClosedError:
            self.pages.sockets.discard(self)  # the page closed meanwhile
