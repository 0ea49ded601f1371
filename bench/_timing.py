"""Shared measuring helpers: interleaved rounds, medians and ratios, nothing asserted."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable

__all__ = ["Comparison", "compare_async", "median_startup"]


class Comparison:
    """Median seconds per operation of a candidate and its baseline, measured in one run."""

    def __init__(self, name: str, candidate: float, baseline: float, unit: str = "call") -> None:
        self.name = name
        self.candidate = candidate
        self.baseline = baseline
        self.unit = unit

    @property
    def ratio(self) -> float:
        return self.candidate / self.baseline

    def line(self) -> str:
        return (
            f"{self.name}: {self.candidate * 1e6:,.0f} us/{self.unit} vs baseline "
            f"{self.baseline * 1e6:,.0f} us/{self.unit} -> {self.ratio:.2f}x"
        )


async def compare_async(
    name: str,
    candidate: Callable[[], Awaitable[object]],
    baseline: Callable[[], Awaitable[object]],
    *,
    calls: int,
    rounds: int = 7,
    unit: str = "call",
) -> Comparison:
    """Alternate rounds of both so drift of the machine hits them alike."""
    for _ in range(min(calls, 50)):
        await candidate()
        await baseline()
    candidate_times: list[float] = []
    baseline_times: list[float] = []
    for _ in range(rounds):
        for run, times in ((candidate, candidate_times), (baseline, baseline_times)):
            start = time.perf_counter()
            for _ in range(calls):
                await run()
            times.append((time.perf_counter() - start) / calls)
    return Comparison(
        name, statistics.median(candidate_times), statistics.median(baseline_times), unit
    )


def median_startup(code: str, runs: int = 15) -> float:
    """Median wall time of a fresh interpreter running ``code``."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)
