"""The benchmark's goals (docs/performance.md) and the Markdown tables bench/measure.py writes."""

from __future__ import annotations

import os
from pathlib import Path

GOALS = {
    "uncached": (
        "≤ 4 ms app CPU",
        lambda r: cpu(r, "uncached") <= 4,
        lambda r: f"{cpu(r, 'uncached'):.2f} ms",
    ),
    "classes": ("≤ 4 ms app CPU", lambda r: cpu(r, "classes") <= 4, lambda r: f"{cpu(r, 'classes'):.2f} ms"),
    "home": ("≤ 2 ms app CPU", lambda r: cpu(r, "home") <= 2, lambda r: f"{cpu(r, 'home'):.2f} ms"),
    "app_cache": (
        "≤ 0.3 ms app CPU",
        lambda r: cpu(r, "app_cache") <= 0.3,
        lambda r: f"{cpu(r, 'app_cache'):.3f} ms",
    ),
    "comment_post": (
        "≤ 5 ms server CPU, p95 < 150 ms",
        lambda r: r["comment_post"]["server_cpu_ms_per_request"] <= 5 and r["comment_post"]["p95_ms"] < 150,
        lambda r: (
            f"{r['comment_post']['server_cpu_ms_per_request']:.2f} ms, p95 {r['comment_post']['p95_ms']:.1f} ms"
        ),
    ),
    "spam_wave": (
        "≥ 90 % of app_cache req/s",
        lambda r: r["spam_wave"]["rps"] >= 0.9 * r["app_cache"]["rps"],
        lambda r: f"{r['spam_wave']['rps'] / r['app_cache']['rps']:.1%}",
    ),
    "nginx_cache": (
        "≥ 85 % of nginx static",
        lambda r: ratio(r, "nginx_cache") >= 0.85,
        lambda r: f"{ratio(r, 'nginx_cache'):.1%}",
    ),
    "rss": ("each web worker < 120 MB", lambda r: max_rss(r) < 120, lambda r: f"max {max_rss(r):.0f} MB"),
}
NEEDED = {  # the targets each goal reads, when it is not its own key alone
    "app_cache": ["app_cache"],
    "spam_wave": ["spam_wave", "app_cache"],
    "nginx_cache": ["nginx_cache", "nginx_static"],
    "rss": [],
}


def cpu(results: dict, key: str) -> float:
    return results[key]["app_cpu_ms_per_request"]


def ratio(results: dict, key: str) -> float:
    return results[key]["rps"] / results["nginx_static"]["rps"]


def max_rss(results: dict) -> float:
    return max(r["worker_rss_mb"] for r in results.values() if r.get("worker_rss_mb"))


def table(results: dict) -> str:
    rows = [
        "| target | req/s | ÷ nginx static | ÷ floor | p50 ms | p95 ms | p99 ms | app CPU ms/req "
        "| server CPU ms/req | worker peak RSS MB |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]

    def share(r: dict, key: str) -> str:
        return f"{r['rps'] / results[key]['rps']:.3f}" if key in results and results[key]["rps"] else "–"

    for r in results.values():
        errors = sum(r["errors"].values())
        note = f" ({errors} errors)" if errors else ""
        if r["accepted"] or r["rejected"]:
            note += f" ({r['accepted']} accepted, {r['rejected']} rejected)"
        rows.append(
            f"| {r['target']}{note} | {r['rps']:,.0f} | {share(r, 'nginx_static')} | {share(r, 'floor')} | "
            f"{r['p50_ms']:.2f} | {r['p95_ms']:.2f} | "
            f"{r['p99_ms']:.2f} | {r['app_cpu_ms_per_request']:.3f} | {r['server_cpu_ms_per_request']:.3f} | "
            f"{r['worker_rss_mb']:.0f} |"
        )
    return "\n".join(rows)


def goals(results: dict) -> str:
    rows = ["| goal | target | measured | met |", "|---|---|---|---|"]
    for key, (wanted, met, shown) in GOALS.items():
        needed = NEEDED.get(key, [key])
        if not all(k in results for k in needed) or not results:
            rows.append(f"| {key} | {wanted} | not measured | – |")
            continue
        rows.append(f"| {key} | {wanted} | {shown(results)} | {'yes' if met(results) else '**no**'} |")
    return "\n".join(rows)


def machine() -> str:
    cpu = next(
        (
            row.split(":", 1)[1].strip()
            for row in Path("/proc/cpuinfo").read_text().splitlines()
            if row.startswith("model name")
        ),
        "unknown CPU",
    )
    return f"{len(os.sched_getaffinity(0))} cores ({cpu})"
