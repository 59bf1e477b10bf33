"""A tiny web app for examples/web-service.toml: the Python standard library only.

GET /        a greeting (GREETING from the environment)
GET /health  200 "ok", for the load balancer's health check
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(os.environ.get("PORT", "8000"))


class Handler(BaseHTTPRequestHandler):
    server_version = "container-infra-example/1"

    def do_GET(self) -> None:
        if self.path == "/health":
            self._send(200, "text/plain", b"ok\n")
        elif self.path == "/":
            body = {"message": os.environ.get("GREETING", "Hello from ECS Fargate!"), "host": socket.gethostname()}
            self._send(200, "application/json", json.dumps(body).encode() + b"\n")
        else:
            self._send(404, "text/plain", b"not found\n")

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        sys.stdout.write(f"{self.address_string()} {format % args}\n")  # to the awslogs driver
        sys.stdout.flush()


def main() -> None:
    server = ThreadingHTTPServer(("0.0.0.0", PORT), Handler)
    # ECS stops a task with SIGTERM: exit cleanly instead of being killed after the stop timeout.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"listening on :{PORT}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
