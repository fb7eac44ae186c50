"""Hosts: the preview answers only requests addressed to it (Host 127.0.0.1, localhost or the --host given,
with its port), and its websocket only pages of its own origin: a page of another site, even through DNS
rebinding, can read neither the drafts nor the problems."""

from __future__ import annotations

from tornado import web


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The Host headers (and origins' host:port) the preview answers: its own address, by number or name."""
    names = {"127.0.0.1", "localhost", host.lower()}
    names = {f"[{name}]" if ":" in name else name for name in names}
    addresses = {f"{name}:{port}" for name in names}
    return frozenset(addresses | names if port == 80 else addresses)


class OwnHostOnly(web.RequestHandler):
    """Answers only requests addressed to the preview: another Host is a page of another site (DNS
    rebinding) trying to read the drafts."""

    def initialize(self, hosts: frozenset[str]) -> None:
        self.hosts = hosts

    def prepare(self) -> None:
        if self.request.host.lower() not in self.hosts:
            raise web.HTTPError(403, reason="Not this preview's address")

    def write_error(self, status_code: int, **kwargs: object) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"{status_code}: {self._reason}\n")
