"""Preview a built site on localhost: a small static file server (search needs http, not file://)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _SiteHandler(SimpleHTTPRequestHandler):
    """Serves only the site folder, with the types pagefind's files need, and logs nothing."""

    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".xml": "application/xml",
        ".svg": "image/svg+xml",
        ".pagefind": "application/octet-stream",
        ".pf_fragment": "application/octet-stream",
        ".pf_index": "application/octet-stream",
        ".pf_meta": "application/octet-stream",
        ".pf_filter": "application/octet-stream",
    }

    def end_headers(self) -> None:
        # A preview must always show the latest build.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        pass


def server(site: Path, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """A server for the site folder, bound but not yet serving; port 0 picks a free port."""
    handler = functools.partial(_SiteHandler, directory=str(Path(site).resolve()))
    return ThreadingHTTPServer((host, port), handler)


def url_of(http_server: ThreadingHTTPServer) -> str:
    host, port = http_server.server_address[:2]
    return f"http://{host}:{port}/"


def serve(site: Path, host: str = "127.0.0.1", port: int = 8000,
          announce: Callable[[str], None] = print) -> None:
    """Serve the site until interrupted (Ctrl-C), after announcing its address."""
    with server(site, host, port) as http_server:
        announce(url_of(http_server))
        try:
            http_server.serve_forever()
        except KeyboardInterrupt:
            pass
