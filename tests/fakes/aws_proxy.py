"""An HTTP proxy in front of moto's server that counts API calls and can throttle, fail or delay chosen ones.

Used to show botocore's retries working end to end (moto never throttles), to fail a call the way a
broken gateway does (an HTML page), to hold a call so that a test can signal deploy.py at a known phase,
and, in bench/deploy, to count the API calls a tool makes.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

THROTTLING_XML = (
    b'<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type>'
    b"<Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>proxy</RequestId></ErrorResponse>"
)


@dataclass
class Hold:
    """Hold the first call of `action` made after a call of `after` (if given) for `seconds`; `reached` is set then."""

    action: str
    seconds: float = 30.0
    after: str | None = None
    reached: threading.Event = field(default_factory=threading.Event)
    armed: bool = False


@dataclass
class Failure:
    """Answer the first `count` calls of an action with this status and body instead of forwarding them."""

    status: int
    body: bytes
    content_type: str = "text/html"
    count: int = 1000


class CountingProxy:
    def __init__(self, upstream: str, throttle: dict[str, int] | None = None, *, hold: Hold | list[Hold] | None = None,
                 fail: dict[str, Failure] | None = None, drop_after: str | None = None) -> None:
        self.upstream = upstream.rstrip("/")
        self.calls: Counter[str] = Counter()
        self.throttled: Counter[str] = Counter()
        self.throttle = dict(throttle or {})  # action -> how many of its first calls to refuse
        self.holds = hold if isinstance(hold, list) else [hold] if hold else []
        self.drop_after = drop_after  # once this action has been forwarded, every later call loses its connection
        self.dropping = False
        self.fail = dict(fail or {})
        self.failed: Counter[str] = Counter()
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

    def _failure(self, action: str) -> Failure | None:
        with self._lock:
            failure = self.fail.get(action)
            if failure is None or self.failed[action] >= failure.count:
                return None
            self.failed[action] += 1
            return failure

    def _hold_if_chosen(self, action: str) -> None:
        for hold in self.holds:
            with self._lock:
                if hold.after is None or action == hold.after:
                    hold.armed = True
                chosen = hold.armed and action == hold.action and not hold.reached.is_set()
                if chosen:
                    hold.reached.set()
            if chosen:
                time.sleep(hold.seconds)

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
                failure = proxy._failure(action)
                if failure is not None:
                    self._reply(failure.status, {"Content-Type": failure.content_type}, failure.body)
                    return
                if proxy.dropping:
                    self.close_connection = True  # no answer at all: the client sees the connection closed
                    return
                proxy._hold_if_chosen(action)
                if action == proxy.drop_after:
                    proxy.dropping = True
                request = urllib.request.Request(proxy.upstream + self.path, data=body or None, method=self.command,
                                                 headers={k: v for k, v in self.headers.items() if k.lower() != "host"})
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        self._reply(response.status, dict(response.headers), response.read())
                except urllib.error.HTTPError as error:
                    self._reply(error.code, dict(error.headers), error.read())

            def _reply(self, status: int, headers: dict[str, str], payload: bytes) -> None:
                try:
                    self._send(status, headers, payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client is gone (a test signalled it while its call was held)

            def _send(self, status: int, headers: dict[str, str], payload: bytes) -> None:
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
