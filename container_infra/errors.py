"""Errors that end a run with one clear line and a known exit code."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_CHANGES = 3  # --diff --exit-code: the diff is not empty
EXIT_INTERRUPTED = 130


class UserError(Exception):
    """Bad input, a refusal or a decline: printed as one line, exit code 2. A refusal about many things says them as
    `details`: the line stays short, and each thing is an item of a list under it."""

    exit_code = EXIT_USAGE

    def __init__(self, *args: object, details: tuple[str, ...] | list[str] = ()) -> None:
        super().__init__(*args)
        self.details = tuple(details)


class ConfigError(UserError):
    """A config value that is missing, mistyped or outside what AWS allows."""


class DeployFailed(Exception):
    """The deployment failed in AWS: exit code 1."""

    exit_code = EXIT_FAILED


class Interrupted(Exception):
    """Ctrl-C, SIGTERM or SIGHUP: what was cleaned up, or what goes on without us. Exit code 130, 143 or 129."""

    exit_code = EXIT_INTERRUPTED


class AwsError(Exception):
    """An AWS call that failed, as the project's own error: only `container_infra.aws` sees boto3 and botocore.

    The message is AWS's own; `code` is AWS's error code ("" when there was no answer), `operation` the API call
    (CreateChangeSet), `status` the HTTP status of the answer (0 when there was none)."""

    exit_code = EXIT_FAILED

    def __init__(self, message: str, *, code: str = "", operation: str = "", status: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.operation = operation
        self.status = status

    @property
    def throttled(self) -> bool:
        """AWS asked this client to slow down (and kept asking through botocore's retries)."""
        return self.code in THROTTLING_CODES


class ConnectionLost(AwsError):
    """No answer from AWS: no connection, a timeout, or a connection dropped mid-answer."""


THROTTLING_CODES = frozenset({"Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded"})
