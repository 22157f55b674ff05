"""kundkit's performance benchmark (issue 10): builds a synthetic business with kundkit's own
commands, measures whole kundkit processes against references taken in the same run, prints every
figure with its reference and goal, and writes the results as JSON.

    python bench/run.py            # the full run: 10k customers, 100k lines (+ a 300k import)
    python bench/run.py --quick    # a small one: 1k customers, 10k lines (+ a 30k import)

Results: bench/results/latest.json and bench/results/<timestamp>.json (a quick run writes
latest-quick.json instead); the business it measured stays in bench/work/<mode>/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from business import bench_env, build, kundkit_argv
from generate import Spec
from measure import CommandFailed
from targets import Bench, Check, Settings

HERE = Path(__file__).resolve().parent

MODES: dict[str, tuple[Spec, Settings]] = {
    "full": (Spec(customers=10_000, lines=100_000), Settings(runs=9, import_runs=5, scale=300_000)),
    "quick": (Spec(customers=1_000, lines=10_000), Settings(runs=5, import_runs=3, scale=30_000, rounds=2)),
    # For the smoke test: every target runs, in seconds; the figures mean nothing.
    "tiny": (Spec(customers=40, lines=300, products=30, staff=8, feedback=2),
             Settings(runs=1, import_runs=1, scale=900, workers=3, rounds=1, warmup=0, sweep=3)),
}


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _failed(title: str, target: str, exc: Exception) -> Check:
    return Check(target, title, "-", 0, "max", status="ERROR", note=str(exc))


def run(mode: str, work: Path) -> dict[str, Any]:
    spec, settings = MODES[mode]
    env = bench_env()
    started = time.perf_counter()
    load_before = _load()
    _log(f"kundkit benchmark ({mode}): building the business in {work}")
    business = build(spec, work, env, log=_log)
    bench = Bench(business, spec, settings, env, _log)
    checks: list[Check] = []
    steps = [("1", "kundkit --help", bench.target_1),
             ("2", "purchase add / customer add / customer show", bench.targets_2_and_4),
             ("5", "reports", bench.target_5),
             ("3", "purchase import", bench.target_3)]
    for target, title, step in steps:
        try:
            checks += step()
        except CommandFailed as exc:
            checks.append(_failed(title, target, exc))
            if target == "2":
                checks.append(_failed(title, "4", exc))
    try:
        skipped = bench.memory_sweep()
        version = bench.series.get("kundkit --version")
        checks += bench.target_6(version, skipped) if version else [
            _failed("peak memory", "6", RuntimeError("no reference: kundkit --version failed"))]
    except CommandFailed as exc:
        checks.append(_failed("peak memory", "6", exc))
    try:
        checks += bench.target_7()
    except CommandFailed as exc:
        checks.append(_failed("8 staff at once", "7", exc))
    checks.sort(key=lambda c: c.target)
    return {
        "mode": mode,
        "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "duration_s": round(time.perf_counter() - started, 1),
        "command": f"python bench/run.py{'' if mode == 'full' else ' --' + mode}",
        "kundkit": _kundkit_version(env, business.store),
        "git_commit": _git_commit(),
        # Other work on the machine slows references and figures alike, but not always equally.
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(), "load_before": load_before, "load_after": _load()},
        "size": {"customers": spec.customers, "purchase_lines": spec.lines, "products": spec.products,
                 "staff": spec.staff, "feedback_items": spec.feedback_items, "seed": spec.seed,
                 "import_scale_lines": settings.scale, "workers": settings.workers,
                 "rounds": settings.rounds},
        "settings": {"runs": settings.runs, "import_runs": settings.import_runs},
        "build_s": {k: round(v, 2) for k, v in business.steps.items()},
        "notes": business.notes,
        "targets": [c.as_dict() for c in checks],
        "series": [s.as_dict() for s in bench.series.values()],
    }


def _load() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def _kundkit_version(env: dict[str, str], cwd: Path) -> str:
    out = subprocess.run(kundkit_argv() + ["--version"], env=env, cwd=cwd, capture_output=True, text=True)
    return out.stdout.strip()


def _git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True,
                             text=True, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "kundkit"], cwd=HERE.parent,
                               capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip() + (" + uncommitted changes in kundkit/" if dirty else "")


def _value(part: dict[str, Any] | None) -> str:
    if not part or part.get("value") is None:
        return "-"
    if part.get("text"):
        return str(part["text"])
    unit = part["unit"]
    value = part["value"]
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value} {unit}"


def table(result: dict[str, Any]) -> str:
    """The results as a plain-text table: each figure with its reference, ratio, goal and verdict."""
    rows = [("#", "what", "figure", "reference", "ratio", "per round", "cpu", "goal", "result")]
    for check in result["targets"]:
        ref = check["reference"]
        ref_text = f"{_value(ref)} ({ref['label']})" if ref and ref.get("value") is not None else "-"
        rows.append((check["target"], check["title"], _value(check["figure"]), ref_text,
                     f"{check['ratio']:.2f}×" if check["ratio"] is not None else "",
                     f"{check['paired_ratio']:.2f}×" if check.get("paired_ratio") is not None else "",
                     f"{check['cpu_ratio']:.2f}×" if check.get("cpu_ratio") is not None else "",
                     check["goal"]["text"], check["status"]))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    for check in result["targets"]:
        if check["note"]:
            lines.append(f"  {check['target']}: {check['note']}")
        if check["figure"] and check["figure"].get("command"):
            lines.append(f"  {check['target']}: measured: {check['figure']['command']}")
    for note in result["notes"]:
        lines.append(f"  note: {note}")
    lines.append("  ratio: of the medians of wall time (the verdict); per round: the median of the ratios "
                 "within each round; cpu: of the medians of CPU time (user + system). The last two are "
                 "steadier when the machine is busy.")
    return "\n".join(lines)


def write(result: dict[str, Any], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    suffix = "" if result["mode"] == "full" else f"-{result['mode']}"
    text = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    paths = [out / f"{stamp}{suffix}.json", out / f"latest{suffix}.json"]
    for path in paths:
        path.write_text(text, encoding="utf-8")
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="kundkit's performance benchmark (issue 10).")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_const", const="quick", dest="mode",
                      help="a small run: 1k customers, 10k purchase lines")
    size.add_argument("--tiny", action="store_const", const="tiny", dest="mode",
                      help="a run of seconds that only checks that the benchmark works")
    parser.add_argument("--work", type=Path, help="folder for the generated business "
                                                  "(default: bench/work/<mode>)")
    parser.add_argument("--out", type=Path, default=HERE / "results", help="folder for the JSON results")
    args = parser.parse_args(argv)
    mode = args.mode or "full"
    result = run(mode, args.work or HERE / "work" / mode)
    print(f"kundkit benchmark, {mode} run: {result['size']['customers']} customers, "
          f"{result['size']['purchase_lines']} purchase lines; {result['machine']['cpus']} CPUs, "
          f"Python {result['machine']['python']}; {result['kundkit']}; took {result['duration_s']} s")
    print(table(result))
    for path in write(result, args.out):
        print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
