"""When this process stops watching but the operation goes on in AWS: Ctrl-C or a lost connection while following.

Both are normal events. Neither stops what CloudFormation or ECS is doing, so each ends in one line that says so and
how to follow it; only the words differ between a deploy, a destroy, a rollout and `--follow`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from container_infra.errors import ConnectionLost, DeployFailed, Interrupted


@contextmanager
def goes_on_in_aws(*, interrupted: str, connection_lost: str) -> Iterator[None]:
    """Ctrl-C (or SIGTERM, SIGHUP) becomes Interrupted(interrupted); a lost connection DeployFailed(connection_lost)."""
    try:
        yield
    except KeyboardInterrupt:
        raise Interrupted(interrupted) from None
    except ConnectionLost:
        raise DeployFailed(connection_lost) from None
