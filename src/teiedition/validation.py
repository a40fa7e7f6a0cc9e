"""Validate a corpus: well-formedness, the XSD, per-file rules in worker processes, then cross-file rules."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from teiedition import corpus, rules, schema
from teiedition.diagnostics import Diagnostic, InvalidCorpus, failing, sort

# Below this many files a worker pool costs more to start than it saves.
PARALLEL_THRESHOLD = 40


@dataclass
class FileResult:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    index: corpus.FileIndex | None = None


@dataclass
class Report:
    files: int
    diagnostics: list[Diagnostic]

    def failing(self, strict: bool = False) -> bool:
        return failing(self.diagnostics, strict)


def check_file(path: Path) -> FileResult:
    """Everything that can be checked from one file alone; runs inside a worker."""
    result = FileResult(str(path))
    try:
        tree = corpus.parse(path)
    except corpus.ParseFailure as failure:
        result.diagnostics.append(failure.diagnostic)
        return result
    result.diagnostics.extend(schema.check_tree(str(path), tree))
    result.index = corpus.index(str(path), tree)
    result.index.facts = rules.collect(tree, result.index.kind)
    result.diagnostics.extend(rules.check_file(str(path), tree, result.index))
    return result


def job_count(jobs: int | None) -> int:
    return max(1, jobs or os.cpu_count() or 1)


def _check_files(paths: list[Path], jobs: int | None, progress=None) -> Iterator[FileResult]:
    workers = job_count(jobs)
    if workers == 1 or len(paths) < PARALLEL_THRESHOLD:
        for path in paths:
            yield check_file(path)
            if progress:
                progress(1)
        return
    chunk = max(1, min(64, len(paths) // (workers * 8)))
    with ProcessPoolExecutor(workers, initializer=schema.warm_up) as pool:
        for result in pool.map(check_file, paths, chunksize=chunk):
            yield result
            if progress:
                progress(1)


def check_corpus(paths: Iterable[str | Path], jobs: int | None = None,
                 progress=None) -> Report:
    """Check files and folders; raises InputError only for input that cannot be read at all."""
    files = corpus.find_files(paths)
    diagnostics: list[Diagnostic] = []
    indexes: list[corpus.FileIndex] = []
    for result in _check_files(files, jobs, progress):
        diagnostics.extend(result.diagnostics)
        if result.index is not None:
            indexes.append(result.index)
    diagnostics.extend(rules.check_corpus(indexes))
    return Report(len(files), sort(diagnostics))


def iter_diagnostics(paths: Iterable[str | Path], jobs: int | None = None) -> Iterator[Diagnostic]:
    yield from check_corpus(paths, jobs).diagnostics


def check(paths: Iterable[str | Path], jobs: int | None = None) -> list[Diagnostic]:
    return check_corpus(paths, jobs).diagnostics


def validate(paths: Iterable[str | Path], jobs: int | None = None, strict: bool = False) -> None:
    """Raise InvalidCorpus when the corpus has errors (or warnings, under strict)."""
    report = check_corpus(paths, jobs)
    if report.failing(strict):
        raise InvalidCorpus(report.diagnostics)
