"""Time one command in a subprocess (wall time, peak RSS, exit status) and describe the machine."""

from __future__ import annotations

import os
import platform
import re
import subprocess
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

GNU_TIME = "/usr/bin/time"

@dataclass
class Measurement:
    """One figure of the benchmark; skipped (with the reason) when it could not be taken."""

    label: str
    documents: int | None = None
    size: int | str | None = None  # the corpus: a generated size, or "edition"
    seconds: float | None = None
    cpu_seconds: float | None = None  # user + system time of the command and the workers it waited for
    peak_rss_mb: float | None = None
    status: int | None = None
    skipped: str | None = None
    note: str | None = None

    @property
    def ok(self) -> bool:
        return self.skipped is None and self.seconds is not None

    @property
    def per_second(self) -> float | None:
        if not self.ok or not self.documents or not self.seconds:
            return None
        return self.documents / self.seconds

    @property
    def problem(self) -> str:
        """Why there is no figure: 'failed (...)' for a command that failed, else 'skipped: reason'."""
        text = self.skipped or ""
        return text if text.startswith("failed") else f"skipped: {text}"

    def as_dict(self) -> dict:
        return asdict(self) | {"documents_per_second": self.per_second}


def skipped(label: str, reason: str, documents: int | None = None) -> Measurement:
    return Measurement(label, documents, skipped=reason)


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:200] if lines else "no message"


def run(label: str, command: list[str], documents: int | None = None, cwd: Path | None = None,
        accept: tuple[int, ...] = (0,), env: dict | None = None) -> Measurement:
    """Run command once; its exit status must be in accept, or the figure is marked failed.

    Peak RSS is the largest of the process and the descendants it waited for (worker pools
    included), not their sum. It is read through GNU time where installed: Linux charges a child
    the RSS of the process it was forked from until it calls exec, so wait4 from this (larger)
    Python process would floor every figure at the driver's own size.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as rss:
        wrapped = ([GNU_TIME, "-f", "%M", "-o", rss.name, *command] if os.access(GNU_TIME, os.X_OK)
                   else command)
        started = time.perf_counter()
        try:
            process = subprocess.Popen(wrapped, cwd=cwd, stdout=out, stderr=err, env=env)
        except OSError as exc:
            return skipped(label, f"cannot start {command[0]}: {exc.strerror}", documents)
        _, wait_status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(wait_status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        reported = rss.read().split()
    peak_kb = int(reported[-1]) if reported and reported[-1].isdigit() else usage.ru_maxrss
    measurement = Measurement(label, documents, seconds=seconds, cpu_seconds=usage.ru_utime + usage.ru_stime,
                              peak_rss_mb=peak_kb / 1024, status=process.returncode)
    if process.returncode == 127 and "No such file" in stderr:
        return skipped(label, f"cannot start {command[0]}: no such program", documents)
    if process.returncode not in accept:
        measurement.skipped = f"failed (exit {process.returncode}): {last_line(stderr)}"
    return measurement


def best_of(label: str, command: list[str], times: int, **options) -> Measurement:
    """The fastest of several runs: for start-up figures, where one slow run is noise."""
    runs = [run(label, command, **options) for _ in range(times)]
    done = [m for m in runs if m.ok]
    if not done:
        return runs[0]
    best = min(done, key=lambda m: m.seconds)
    best.note = f"best of {times}; median {sorted(m.seconds for m in done)[len(done) // 2]:.3f} s"
    return best


def median_of(label: str, command: list[str], times: int, before=None, **options) -> Measurement:
    """The median of several runs (before() is called ahead of each): for a figure judged against
    a target on a machine whose speed varies from run to run; the note gives the spread."""
    runs = []
    for _ in range(times):
        if before is not None:
            before()
        runs.append(run(label, command, **options))
    done = sorted((m for m in runs if m.ok), key=lambda m: m.seconds)
    if len(done) < len(runs):
        return next(m for m in runs if not m.ok)
    middle = done[len(done) // 2]
    middle.note = (f"median of {times}; fastest {done[0].seconds:.2f} s, slowest "
                   f"{done[-1].seconds:.2f} s")
    return middle


def _first(path: str, pattern: str) -> str | None:
    try:
        match = re.search(pattern, Path(path).read_text(), re.MULTILINE)
    except OSError:
        return None
    return match.group(1).strip() if match else None


def _version(command: list[str], pattern: str) -> str | None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(pattern, done.stdout + done.stderr)
    return match.group(1) if match else None


def load() -> str:
    """The 1, 5 and 15 minute load averages: other work on the machine stretches wall times."""
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def machine() -> dict:
    """What the figures were measured on."""
    memory_kb = _first("/proc/meminfo", r"^MemTotal:\s+(\d+)")
    commit = _version(["git", "rev-parse", "--short", "HEAD"], r"(\w+)")
    dirty = _version(["git", "status", "--porcelain", "--untracked-files=no"], r"(\S)")
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "load": load(),
        "cpu": _first("/proc/cpuinfo", r"^model name\s*:\s*(.+)$") or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "memory_gib": round(int(memory_kb) / 1024 / 1024, 1) if memory_kb else None,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "java": _version(["java", "-version"], r'version "([^"]+)"'),
        "jing": _version(["jing"], r"Jing version (\S+)"),
        "commit": (commit or "unknown") + (" (with uncommitted changes)" if dirty else ""),
    }
