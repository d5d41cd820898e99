"""What bench/measure.py reads from /proc while wrk runs: each server's processes, CPU and peak memory.

The process ids come from bench/run in the environment (BENCH_*_PID); the
PostgreSQL backends are found by the benchmark database's name on their
command line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

ENV = os.environ
CLK_TCK = os.sysconf("SC_CLK_TCK")


def stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # fields from the 3rd (state) on


def all_parents() -> dict[int, int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := stat_fields(int(entry.name))):
            parents[int(entry.name)] = int(fields[1])
    return parents


def tree(root: int, parents: dict[int, int]) -> list[int]:
    pids, frontier = [root], [root]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier]
        pids += children
        frontier = children
    return pids


def cpu_ticks(pids: list[int]) -> dict[int, int]:
    """utime+stime, plus the time of children already reaped (cutime+cstime)."""
    ticks = {}
    for pid in pids:
        if fields := stat_fields(pid):
            ticks[pid] = sum(int(fields[i]) for i in (11, 12, 13, 14))
    return ticks


def vm_hwm_mb(pid: int) -> float:
    try:
        match = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    except OSError:
        return 0.0
    return int(match.group(1)) / 1024 if match else 0.0


def postgres_backends() -> list[int]:
    """The PostgreSQL server processes serving the benchmark's database."""
    name = ENV["BENCH_DB_NAME"].encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if name in (entry / "cmdline").read_bytes():
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


def server_groups() -> dict[str, list[int]]:
    parents = all_parents()
    groups = {
        name: tree(int(ENV[var]), parents)
        for name, var in (
            ("web", "BENCH_WEB_PID"),
            ("web_nocache", "BENCH_WEB_NOCACHE_PID"),
            ("nginx", "BENCH_NGINX_PID"),
            ("nginx_capped", "BENCH_NGINX_CAPPED_PID"),
            ("redis", "BENCH_REDIS_PID"),
            ("worker", "BENCH_WORKER_PID"),
        )
    }
    groups["postgres"] = postgres_backends()
    return groups
