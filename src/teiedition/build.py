"""Orchestrate builds: validate, run each output target into a staging folder, swap it in atomically."""

from __future__ import annotations

import fcntl
import importlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from teiedition import corpus, manifest
from teiedition.diagnostics import Diagnostic, InvalidCorpus

# Each target is a module with build(context); the folders it owns in the output tree.
TARGETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "html": ("teiedition.site", ("site",)),
    "text": ("teiedition.text", ("text",)),
    "pdf": ("teiedition.pdf", ("print", "edition.pdf")),
}
ALL = tuple(TARGETS)


class BuildBusy(Exception):
    """Another build holds the output folder."""


class BuildFailed(Exception):
    """A target could not be built; the previous output is untouched."""


@dataclass
class BuildContext:
    """What a target gets: the corpus files, where to write, and how."""

    sources: list[Path]
    out: Path
    previous: Path | None
    jobs: int
    options: dict = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    progress: Callable[[int], None] | None = None

    def report(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)


@dataclass
class BuildResult:
    out: Path
    targets: tuple[str, ...]
    files: int
    diagnostics: list[Diagnostic]


@contextmanager
def exclusive(out: Path):
    """Hold the output folder's lock for the whole build, or stop at once with BuildBusy."""
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out.parent / f".{out.name}.lock"
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildBusy(f"{out}: another build is writing this folder; try again when it "
                            "has finished") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _carry_over(previous: Path, staging: Path, rebuilt: Iterable[str]) -> None:
    """Copy the parts of the previous output that this build does not rebuild."""
    owned = {name for target in rebuilt for name in TARGETS[target][1]}
    for entry in previous.iterdir():
        if entry.name in owned or entry.name == manifest.FILE_NAME:
            continue
        if entry.is_dir():
            shutil.copytree(entry, staging / entry.name, symlinks=True)
        else:
            shutil.copy2(entry, staging / entry.name)


def _swap(staging: Path, out: Path) -> None:
    retired = None
    if out.exists():
        retired = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.rename(out, retired)
    os.rename(staging, out)
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)


def build(paths: Iterable[str | Path], out: str | Path = "build", targets: Iterable[str] = ALL,
          jobs: int | None = None, validate: bool = True, strict: bool = False,
          options: dict | None = None, progress=None) -> BuildResult:
    """Build the named targets of a corpus into out; on any failure out is left as it was."""
    from teiedition.validation import check_corpus, job_count

    targets = tuple(t for t in ALL if t in set(targets))
    out = Path(out)
    sources = corpus.find_files(paths)
    diagnostics: list[Diagnostic] = []
    if validate:
        report = check_corpus(sources, jobs)
        if report.failing(strict):
            raise InvalidCorpus(report.diagnostics)
        diagnostics.extend(report.diagnostics)
    else:
        for path in sources:
            corpus.parse(path)  # refuses unsafe or unreadable input even without validation
    with exclusive(out):
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
        try:
            previous = out if out.is_dir() else None
            if previous is not None:
                _carry_over(previous, staging, targets)
            context = BuildContext(sources, staging, previous, job_count(jobs), dict(options or {}),
                                   progress=progress)
            for target in targets:
                module = importlib.import_module(TARGETS[target][0])
                module.build(context)
            manifest.write(staging)
            _swap(staging, out)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return BuildResult(out, targets, len(sources), diagnostics + context.diagnostics)
