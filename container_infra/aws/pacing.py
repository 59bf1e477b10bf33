"""Client-side pacing under throttling: when AWS throttles, this client's calls slow down, retries stay short,
and a deadline can cap them.

Why not botocore alone: standard mode retries a throttled call after rand(0, 1) x 1, 2, 4 s (up to 7 s for one
call; a run ended 18 s after its stack had), and adaptive mode's rate limiter paces down to 0.5 calls/s with no
way to bound a wait, so a run could not end within seconds of the event that ended the operation. Here:
- each throttled answer doubles this client's spacing between requests (0.1 s, growing to MAX_SPACING; to
  PATIENT_SPACING for a call throttled again and again), and each answer that is not throttled shrinks it again
  (x RELAX), so a poll loop slows down instead of piling up retries, and speeds up once AWS lets it;
- a throttled call is retried after about one spacing, for THROTTLE_ATTEMPTS attempts (about 20 s), then fails
  as botocore's would (callers that poll just look again later);
- `deadline(client, seconds)`: no throttled retry starts after it (the last reads of a run that is done);
- the first throttled answer is said in one line; the others are not (a storm of lines helps nobody).
Other errors (5xx, timeouts) are left to botocore's standard mode and to session.py's connection retries.
"""

from __future__ import annotations

import contextlib
import random
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

THROTTLING_CODES = frozenset({"Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded"})
THROTTLE_ATTEMPTS = 15
FIRST_SPACING = 0.1
MAX_SPACING = 0.5
PATIENT_AFTER_ATTEMPTS = 5  # a call throttled this often in a row: AWS means it, wait longer between its attempts
PATIENT_SPACING = 2.0
RELAX = 0.7
NO_SPACING_BELOW = 0.02

_PACERS: weakref.WeakKeyDictionary[Any, Pacer] = weakref.WeakKeyDictionary()


@dataclass
class Pacer:
    """One client's pace: the spacing between its requests, and a deadline for throttled retries."""

    service: str
    say: Callable[[str], None]
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = random.random
    spacing: float = 0.0
    deadline: float | None = None
    throttled: int = 0
    _last_send: float = field(default=float("-inf"), repr=False)

    def before_send(self, **_: Any) -> None:
        """botocore's before-send hook (every attempt): wait until the spacing since the last request has passed."""
        if self.spacing:
            wait = self._last_send + self.spacing - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last_send = self.clock()

    def needs_retry(
        self, *, attempts: int, response: tuple[Any, dict[str, Any]] | None = None, operation: Any = None, **_: Any
    ) -> float | bool | None:
        """botocore's needs-retry hook: a delay to retry a throttled answer, False to give it up, None for others."""
        if response is None:
            return None  # no answer at all: session.py's connection retries
        code = str((response[1] or {}).get("Error", {}).get("Code", ""))
        if code not in THROTTLING_CODES:
            self.spacing = self.spacing * RELAX if self.spacing * RELAX >= NO_SPACING_BELOW else 0.0
            return None  # success or another error: botocore's standard mode decides
        ceiling = PATIENT_SPACING if attempts >= PATIENT_AFTER_ATTEMPTS else MAX_SPACING
        self.spacing = min(max(self.spacing * 2, FIRST_SPACING), max(ceiling, self.spacing))
        self.throttled += 1
        if self.throttled == 1:
            self.say(
                f"AWS is throttling {self.service} calls ({getattr(operation, 'name', 'a call')}): "
                "slowing down and retrying"
            )
        delay = self.spacing * (0.5 + self.jitter() / 2)
        if attempts >= THROTTLE_ATTEMPTS or (self.deadline is not None and self.clock() + delay > self.deadline):
            return False  # botocore raises the Throttling error to the caller
        return delay


def install(client: Any, service: str, say: Callable[[str], None]) -> Pacer:
    """Pace `client` (botocore's hooks on this client only)."""
    pacer = Pacer(service, say)
    client.meta.events.register("before-send", pacer.before_send)
    # botocore calls the handlers of the most specific event name first, and takes the first answer that is not None:
    # first for this service's own name, so the pace decides before standard mode's backoff does.
    client.meta.events.register_first(
        f"needs-retry.{client.meta.service_model.service_id.hyphenize()}", pacer.needs_retry
    )
    _PACERS[client] = pacer
    return pacer


def pacer_of(client: Any) -> Pacer | None:
    return _PACERS.get(client)


@contextlib.contextmanager
def deadline(client: Any, seconds: float) -> Iterator[None]:
    """No throttled retry of `client`'s calls starts later than `seconds` from now (a client without a pacer: no limit)."""
    pacer = pacer_of(client)
    if pacer is None:
        yield
        return
    earlier, pacer.deadline = pacer.deadline, pacer.clock() + seconds
    try:
        yield
    finally:
        pacer.deadline = earlier
