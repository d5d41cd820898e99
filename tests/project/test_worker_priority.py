"""The task worker runs below the web workers, in production and in bench/run alike.

A spam wave's checks (docs/performance.md, "The spam wave") then use the CPU
readers leave over: the checks wait, saved in the task table, and reads keep
their speed.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"


def nice_of(unit: str) -> int:
    found = re.findall(r"^Nice=(-?\d+)$", (UNITS / unit).read_text(), flags=re.MULTILINE)
    return int(found[-1]) if found else 0


def test_the_task_worker_is_niced_below_the_web_workers():
    assert nice_of("backcare-worker.service") >= 10
    assert nice_of("backcare-web.service") == 0


def test_bench_run_starts_its_worker_as_niced_as_production():
    start = next(line for line in (ROOT / "bench" / "run").read_text().splitlines() if "db_worker" in line)
    default = re.search(r'\bnice -n "\$\{BENCH_WORKER_NICE:-(\d+)\}"', start)
    assert default is not None
    assert int(default.group(1)) == nice_of("backcare-worker.service")
