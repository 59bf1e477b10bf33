"""An HTTP proxy in front of moto's server that counts API calls and can answer some with Throttling.

Used to show botocore's retries working end to end (moto never throttles) and, in bench/deploy,
to count the API calls a tool makes.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

THROTTLING_XML = (
    b'<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type>'
    b"<Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>proxy</RequestId></ErrorResponse>"
)


class CountingProxy:
    def __init__(self, upstream: str, throttle: dict[str, int] | None = None) -> None:
        self.upstream = upstream.rstrip("/")
        self.calls: Counter[str] = Counter()
        self.throttled: Counter[str] = Counter()
        self.throttle = dict(throttle or {})  # action -> how many of its first calls to refuse
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> "CountingProxy":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _decide(self, action: str) -> bool:
        """Count the call; True when it is to be answered with Throttling."""
        with self._lock:
            self.calls[action] += 1
            if self.throttled[action] < self.throttle.get(action, 0):
                self.throttled[action] += 1
                return True
            return False

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                action = _action(self.path, body, self.headers.get("X-Amz-Target"), self.command)
                if proxy._decide(action):
                    self._reply(400, {"Content-Type": "text/xml"}, THROTTLING_XML)
                    return
                request = urllib.request.Request(proxy.upstream + self.path, data=body or None, method=self.command,
                                                 headers={k: v for k, v in self.headers.items() if k.lower() != "host"})
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        self._reply(response.status, dict(response.headers), response.read())
                except urllib.error.HTTPError as error:
                    self._reply(error.code, dict(error.headers), error.read())

            def _reply(self, status: int, headers: dict[str, str], payload: bytes) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    if key.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

        return Handler


def _action(path: str, body: bytes, target: str | None, method: str) -> str:
    if target:
        return target.rsplit(".", 1)[-1]
    form = urllib.parse.parse_qs(body.decode("utf-8", "replace")) if body else {}
    query = urllib.parse.parse_qs(urllib.parse.urlparse(path).query)
    action = (form.get("Action") or query.get("Action") or [None])[0]
    return action or f"{method} {urllib.parse.urlparse(path).path.split('/')[1] if '/' in path else path}"
