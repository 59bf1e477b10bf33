"""Watching what goes on in AWS after a change: the ECS rollout, its strategies, the last log lines of stopped
tasks, the health verdict, and what is said when this process stops watching."""
