"""A real HTTP server on 127.0.0.1 for the network tests (threaded ``http.server``).

Each path (the query string aside) answers with scripted replies, in order (the last one
repeats); every request is recorded so tests can assert what the client sent and what it never
asked for.
"""

from __future__ import annotations

import gzip
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None  # sent, and a matching If-None-Match gets a 304
    gzip: bool = False  # send the body gzip-encoded
    delay: float = 0.0  # seconds before the status line
    drip: float = 0.0  # seconds between 1 KiB pieces of the body
    stream_bytes: int = 0  # send this many bytes of filler instead of ``body``, undeclared
    on_request: Callable[[], None] | None = None  # run when the request arrives


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


class LoopbackServer:
    """Serves http, or https with ``certificate`` (certificate file, key file)."""

    def __init__(self, host: str = "127.0.0.1", certificate: tuple[str, str] | None = None):
        self.routes: dict[str, list[Reply]] = {}
        self.requests: list[Seen] = []
        self._httpd = ThreadingHTTPServer((host, 0), _handler(self))
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self.scheme = "http"
        if certificate:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*certificate)
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
            self.scheme = "https"
        self.host = host
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str, host: str | None = None) -> str:
        return f"{self.scheme}://{host or self.host}:{self.port}{path}"

    def route(self, path: str, *replies: Reply) -> None:
        self.routes[path] = list(replies)

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def next_reply(self, path: str) -> Reply:
        replies = self.routes.get(path.split("?")[0])
        if not replies:
            return Reply(404, b"not found", "text/plain")
        return replies.pop(0) if len(replies) > 1 else replies[0]


def _handler(server: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"  # the body ends when the connection closes

        def do_GET(self) -> None:  # the name http.server looks for
            server.requests.append(Seen(self.path, dict(self.headers.items())))
            reply = server.next_reply(self.path)
            if reply.on_request:
                reply.on_request()
            time.sleep(reply.delay)
            if reply.etag and self.headers.get("If-None-Match") == reply.etag:
                self.send_response(304)
                self.send_header("ETag", reply.etag)
                self.end_headers()
                return
            body = gzip.compress(reply.body) if reply.gzip else reply.body
            self.send_response(reply.status)
            if reply.content_type:
                self.send_header("Content-Type", reply.content_type)
            if reply.etag:
                self.send_header("ETag", reply.etag)
            if reply.gzip:
                self.send_header("Content-Encoding", "gzip")
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if not reply.stream_bytes:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                if reply.stream_bytes:
                    for _ in range(0, reply.stream_bytes, 65536):
                        self.wfile.write(b"x" * 65536)
                elif reply.drip:
                    for start in range(0, len(body), 1024):
                        self.wfile.write(body[start : start + 1024])
                        self.wfile.flush()
                        time.sleep(reply.drip)
                else:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up, as the size and time caps make it

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output quiet

    return Handler
