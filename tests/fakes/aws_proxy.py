"""An HTTP proxy in front of moto's server that counts API calls and can throttle, fail or delay chosen ones.

Used to show botocore's retries working end to end (moto never throttles), to throttle a seeded fraction
of the CloudFormation calls as AWS does under load (with a timestamped log of every answer), to fail a call
the way a broken gateway does (an HTML page), to hold a call so that a test can signal deploy.py at a known
phase, and, in bench/deploy, to count the API calls a tool makes. bench/ does not import tests: it runs this
file as a program (`python tests/fakes/aws_proxy.py`, see `serve`), which starts moto's server with the
shims and the proxy in front of it, and answers `/__proxy__/calls` and `/__proxy__/reset`.
"""

from __future__ import annotations

import json
import random
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

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


@dataclass(frozen=True)
class Call:
    """One answered call: when the answer left the proxy (time.monotonic), the action, and whether it was throttled."""

    at: float
    action: str
    throttled: bool
    status: int


@dataclass
class Failure:
    """Answer the first `count` calls of an action with this status and body instead of forwarding them."""

    status: int
    body: bytes
    content_type: str = "text/html"
    count: int = 1000


class CountingProxy:
    def __init__(
        self,
        upstream: str,
        throttle: dict[str, int] | None = None,
        *,
        hold: Hold | list[Hold] | None = None,
        fail: dict[str, Failure] | None = None,
        drop_after: str | None = None,
        throttle_fraction: float = 0.0,
        seed: int = 0,
    ) -> None:
        self.upstream = upstream.rstrip("/")
        self.calls: Counter[str] = Counter()
        self.throttled: Counter[str] = Counter()
        self.throttle = dict(throttle or {})  # action -> how many of its first calls to refuse
        # this fraction of all CloudFormation calls (others have other error bodies) is refused, the same ones for a
        # seed
        self.throttle_fraction = throttle_fraction
        self._random = random.Random(seed)
        self.log: list[Call] = []
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

    def __enter__(self) -> CountingProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _decide(self, action: str, service: str) -> bool:
        """Count the call; True when it is to be answered with Throttling."""
        with self._lock:
            self.calls[action] += 1
            chosen = self.throttled[action] < self.throttle.get(action, 0)
            if not chosen and service == "cloudformation" and self.throttle_fraction:
                chosen = self._random.random() < self.throttle_fraction
            if chosen:
                self.throttled[action] += 1
            return chosen

    def answered(self, action: str, status: int, *, throttled: bool = False) -> None:
        with self._lock:
            self.log.append(Call(time.monotonic(), action, throttled, status))

    def first(self, action: str) -> Call:
        """The first answer to `action` that was not throttled (e.g. the ExecuteChangeSet that ended in moto at
        once)."""
        return next(call for call in self.log if call.action == action and not call.throttled and call.status < 400)

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.throttled.clear()
            self.log.clear()

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
                if self.path.startswith(CONTROL):
                    self._reply(200, {"Content-Type": "application/json"}, _control(proxy, self.path[len(CONTROL) :]))
                    return
                action = _action(self.path, body, self.headers.get("X-Amz-Target"), self.command)
                if proxy._decide(action, _service(self.headers.get("Authorization", ""))):
                    self._reply(400, {"Content-Type": "text/xml"}, THROTTLING_XML)
                    proxy.answered(action, 400, throttled=True)
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
                request = urllib.request.Request(
                    proxy.upstream + self.path,
                    data=body or None,
                    method=self.command,
                    headers={k: v for k, v in self.headers.items() if k.lower() != "host"},
                )
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        self._reply(response.status, dict(response.headers), response.read())
                        proxy.answered(action, response.status)
                except urllib.error.HTTPError as error:
                    self._reply(error.code, dict(error.headers), error.read())
                    proxy.answered(action, error.code)

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


def _service(authorization: str) -> str:
    """The service a SigV4 request is signed for: `Credential=KEY/DATE/REGION/SERVICE/aws4_request`."""
    parts = authorization.split("Credential=", 1)[-1].split(",", 1)[0].split("/")
    return parts[3] if len(parts) >= 5 else ""


CONTROL = "/__proxy__/"


def _control(proxy: CountingProxy, command: str) -> bytes:
    """The counts so far as JSON, after `reset-counts` (clear them) or `reset` (clear them and moto's state); `calls`
    only reads."""
    if command in ("reset", "reset-counts"):
        proxy.reset()
    if command == "reset":
        urllib.request.urlopen(urllib.request.Request(f"{proxy.upstream}/moto-api/reset", method="POST")).close()
    return json.dumps({"calls": dict(proxy.calls), "throttled": dict(proxy.throttled)}).encode()


def serve() -> None:
    """moto's server (with the shims) and the proxy in front of it, until stdin closes; the proxy's URL on stdout."""
    import logging

    from moto.server import ThreadedMotoServer

    from tests.fakes import moto_shims

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    moto_shims.apply()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    with CountingProxy(f"http://{host}:{port}") as proxy:
        print(proxy.url, flush=True)
        sys.stdin.read()
    server.stop()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run as a program: the repository root
    serve()
