"""How far an unsettled rollout is, while the watcher waits: on a terminal a live row per service, redrawn at every
look; elsewhere (CI logs, pipes) a plain line per service every so often, since nothing there is redrawn."""

from __future__ import annotations

from container_infra.watch.revision import runs_another_revision, waiting_stage
from container_infra.watch.watched import Verdict, WatchedService

PROGRESS_SECONDS = 15.0  # while the rollout settles, a plain line this often says it is still going and how far


def stage(watched: WatchedService) -> str:
    """The service deployment's lifecycle stage, else the primary deployment's rollout state."""
    if runs_another_revision(watched):
        return waiting_stage(watched)
    primary = watched.primary or {}
    return (watched.service_deployment or {}).get("lifecycleStage") or primary.get("rolloutState", "waiting")


def counts(watched: WatchedService) -> str:
    primary = watched.primary or {}
    return (
        f"running {primary.get('runningCount', 0)}/{primary.get('desiredCount', 0)}, "
        f"pending {primary.get('pendingCount', 0)}"
    )


def progress_line(watched: WatchedService, elapsed: float) -> str:
    """A plain line (a CI log shows each; nothing is redrawn): the elapsed time, the stage and the task counts."""
    minutes, seconds = divmod(int(elapsed), 60)
    return (
        f"  ECS {watched.logical_id}: still rolling out after {minutes}:{seconds:02d}, {stage(watched)}: "
        f"{counts(watched)}"
    )


def live_row(watched: WatchedService, verdict: Verdict) -> str:
    """A service's row in the live display (which shows the elapsed time beside it)."""
    if verdict.state != "IN_PROGRESS":
        return f"ECS {watched.logical_id}: {verdict.state}"
    return f"ECS {watched.logical_id}: rolling out, {stage(watched)}: {counts(watched)}"
