"""The Fargate task sizes: which memory sizes (MiB) each CPU size (units) allows."""

from __future__ import annotations

from itertools import pairwise


def _steps(first: int, last: int, step: int) -> tuple[int, ...]:
    return tuple(range(first, last + 1, step))


FARGATE_MEMORY_BY_CPU: dict[int, tuple[int, ...]] = {
    256: (512, 1024, 2048),
    512: _steps(1024, 4096, 1024),
    1024: _steps(2048, 8192, 1024),
    2048: _steps(4096, 16384, 1024),
    4096: _steps(8192, 30720, 1024),
    8192: _steps(16384, 61440, 4096),
    16384: _steps(32768, 122880, 8192),
}

CPU_SIZES: tuple[int, ...] = tuple(FARGATE_MEMORY_BY_CPU)
ALL_MEMORY_SIZES: tuple[int, ...] = tuple(sorted({mem for sizes in FARGATE_MEMORY_BY_CPU.values() for mem in sizes}))


def describe_memory_range(cpu: int) -> str:
    """'1024-4096 in steps of 1024' or '512, 1024, 2048': what a person reads in an error."""
    sizes = FARGATE_MEMORY_BY_CPU[cpu]
    steps = {b - a for a, b in pairwise(sizes)}
    if len(sizes) > 3 and len(steps) == 1:
        return f"{sizes[0]}-{sizes[-1]} in steps of {steps.pop()}"
    return ", ".join(str(size) for size in sizes)
