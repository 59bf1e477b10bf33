"""The APIs newer than CloudFormation's and ECS's basics (DescribeEvents, drift detection, service deployments,
DeploymentMode) are optional: an endpoint that does not offer one (an emulator, an older partition, a region where it
has not arrived) is a normal place to run, so such a call means "not checked here", said once, never a failed run.
"""

from __future__ import annotations

from container_infra.aws.errors import NOT_THE_API
from container_infra.errors import AwsError

# How endpoints say "no such action": query APIs, JSON APIs, emulators.
NOT_OFFERED_CODES = frozenset(
    {
        "InvalidAction",
        "UnknownOperationException",
        "UnsupportedOperation",
        "NotImplemented",
        "NotImplementedException",
        "404",
        "501",
        "InvalidParameterValue",
    }
)


def not_offered(error: AwsError) -> bool:
    """The endpoint does not implement the call: an unknown action, a not-implemented answer, a 404 or 501, or (after
    botocore's retries) a 5xx page that is not the API's answer at all."""
    if error.code in NOT_OFFERED_CODES or error.status in (404, 501):
        return True
    return error.code == NOT_THE_API and error.status >= 500


def what_failed(error: AwsError) -> str:
    """The endpoint's answer in a few words, for the line that says what was not checked."""
    if error.code == NOT_THE_API:
        return f"{error.operation} answered HTTP {error.status}, not with the API's answer"
    return f"{error.operation}: {error.code or 'HTTP ' + str(error.status)}"


class NotOffered(Exception):
    """An optional API this endpoint (or the installed botocore) does not offer; the message says what was not
    checked and why, in one line."""
