"""Timing whole processes: wall time as a user waits for it, and the command's peak memory.

Each command runs as a fresh process, started by the small launcher ``launch.py``, which takes
its time and its peak resident set (``ru_maxrss`` from ``os.wait4``) so that the benchmark's own
memory is never charged to the command (see the launcher's docstring).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

LAUNCHER = Path(__file__).resolve().parent / "launch.py"


@dataclass
class Sample:
    seconds: float
    peak_bytes: int
    code: int
    stderr: str = ""
    stdout: str = ""
    cpu: float = 0.0      # user + system CPU seconds: less disturbed than wall time by a busy machine


class CommandFailed(RuntimeError):
    def __init__(self, argv: Sequence[str], sample: Sample) -> None:
        tail = sample.stderr.strip().splitlines()[-3:]
        super().__init__(f"exit {sample.code}: {' '.join(argv)}: {' | '.join(tail)}")
        self.sample = sample


def run_once(argv: Sequence[str], *, cwd: Path, env: dict[str, str], capture: bool = False,
             check: bool = True) -> Sample:
    """Run ``argv`` once, stdin empty (as in a script), and measure it. Output goes to files, never
    to pipes, so a command that writes much is not slowed down by the reader. ``capture`` keeps
    its standard output in the sample."""
    with open(os.devnull, "rb") as stdin, tempfile.TemporaryFile() as err, \
            (tempfile.TemporaryFile() if capture else open(os.devnull, "wb")) as out, \
            tempfile.NamedTemporaryFile("r", suffix=".bench") as result:
        launcher = subprocess.run([sys.executable, "-S", str(LAUNCHER), result.name, *argv], cwd=cwd,
                                  env=env, stdin=stdin, stdout=out, stderr=err)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
        if launcher.returncode != 0:
            raise RuntimeError(f"the launcher failed on {' '.join(argv)}: {text[-2000:]}")
        seconds, peak, code, cpu = result.read().split()
        output = ""
        if capture:
            out.seek(0)
            output = out.read().decode("utf-8", "replace")
    sample = Sample(float(seconds), int(peak), int(code), text, output, float(cpu))
    if check and sample.code != 0:
        raise CommandFailed(argv, sample)
    return sample


@dataclass
class Series:
    """The samples of one command measured several times."""

    name: str
    argv: list[str]
    samples: list[Sample] = field(default_factory=list)

    @property
    def times(self) -> list[float]:
        return [s.seconds for s in self.samples]

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def cpu_median(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def peak_bytes(self) -> int:
        return max(s.peak_bytes for s in self.samples)

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "argv": self.argv, "median_s": round(self.median, 4),
                "min_s": round(min(self.times), 4), "max_s": round(max(self.times), 4),
                "runs": len(self.samples), "peak_mb": round(self.peak_bytes / 2**20, 1),
                "cpu_median_s": round(self.cpu_median, 4),
                "times_s": [round(t, 4) for t in self.times]}


# A command to measure: called before each run (untimed) with the run's number (warm-up runs are
# negative), it prepares what the run needs (a fresh copy of a store, a new name) and returns the
# argv and the folder to run it in.
Prepare = Callable[[int], tuple[list[str], Path]]


def fixed(argv: Sequence[str], cwd: Path) -> Prepare:
    """A command that is the same on every run."""
    return lambda _run: (list(argv), cwd)


def interleaved(commands: dict[str, Prepare], *, env: dict[str, str], runs: int,
                warmup: int = 1) -> dict[str, Series]:
    """Measure the commands in turn, round after round, so that a slow spell of the machine falls on
    all of them alike; the order rotates each round."""
    names = list(commands)
    series: dict[str, Series] = {}
    for n in range(warmup):
        for name in names:
            argv, cwd = commands[name](-1 - n)
            run_once(argv, cwd=cwd, env=env)
    for round_no in range(runs):
        shift = round_no % len(names)
        for name in names[shift:] + names[:shift]:
            argv, cwd = commands[name](round_no)
            found = series.setdefault(name, Series(name, argv))
            found.samples.append(run_once(argv, cwd=cwd, env=env))
    return {name: series[name] for name in names}


def percentile(values: Sequence[float], fraction: float) -> float:
    """The ``fraction`` quantile (0.9 for the 90th percentile), by linear interpolation."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
