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
                 progress=None, store=None, found: bool = False) -> Report:
    """Check files and folders; raises InputError only for input that cannot be read at all.

    With a cache.Store, a file whose bytes (and path, and the toolkit) are unchanged is not
    checked again: its diagnostics and index come from the store. Cross-file rules always run.
    found=True says paths are already the files corpus.find_files returned.
    """
    files = list(paths) if found else corpus.find_files(paths)  # found: find_files gave them
    results: dict[Path, FileResult] = {}
    keys: dict[Path, str] = {}
    if store is not None:
        from teiedition import cache

        for path in files:
            try:
                keys[path] = cache.digest(cache.fingerprint(), str(path), Path(path).read_bytes())
            except OSError:
                continue  # check_file reports an unreadable file
            entry = store.get(keys[path])
            if entry is not None:
                results[path] = result_from_json(entry)
                if progress:
                    progress(1)
    todo = [path for path in files if path not in results]
    for path, result in zip(todo, _check_files(todo, jobs, progress), strict=True):
        results[path] = result
        if path in keys:
            store.put(keys[path], result_to_json(result))
    diagnostics: list[Diagnostic] = []
    indexes: list[corpus.FileIndex] = []
    for path in files:
        diagnostics.extend(results[path].diagnostics)
        if results[path].index is not None:
            indexes.append(results[path].index)
    diagnostics.extend(rules.check_corpus(indexes))
    return Report(len(files), sort(diagnostics))


def result_to_json(result: FileResult) -> dict:
    """A file's result as plain JSON data, for the build cache (fields by hand: asdict is slow)."""
    index = result.index
    facts = None if index is None else index.facts
    return {"path": result.path,
            "diagnostics": [[d.path, d.line, d.column, d.severity, d.message, d.rule]
                            for d in result.diagnostics],
            "index": None if index is None else {
                "path": index.path, "kind": index.kind, "root_id": index.root_id,
                "ids": [[e.id, e.path, e.line, e.element] for e in index.ids],
                "pointers": [[e.target, e.path, e.line, e.element, e.attribute]
                             for e in index.pointers],
                "facts": None if facts is None else {
                    "root_line": facts.root_line, "categories": facts.categories,
                    "doc_type": facts.doc_type, "roles": facts.roles, "entries": facts.entries,
                    "names": facts.names, "text_runs": facts.text_runs}}}


def result_from_json(data: dict) -> FileResult:
    """The FileResult result_to_json wrote, with the tuples rules.Facts declares."""
    result = FileResult(data["path"], [Diagnostic(*d) for d in data["diagnostics"]])
    stored = data["index"]
    if stored is not None:
        result.index = corpus.FileIndex(stored["path"], stored["kind"], stored["root_id"],
                                        [corpus.IdEntry(*e) for e in stored["ids"]],
                                        [corpus.PointerEntry(*e) for e in stored["pointers"]])
        facts = stored["facts"]
        if facts is not None:
            result.index.facts = rules.Facts(
                facts["root_line"], {k: tuple(v) for k, v in facts["categories"].items()},
                None if facts["doc_type"] is None else tuple(facts["doc_type"]),
                tuple(facts["roles"]), [tuple(e) for e in facts["entries"]],
                [tuple(n) for n in facts["names"]], [tuple(t) for t in facts["text_runs"]])
    return result


def iter_diagnostics(paths: Iterable[str | Path], jobs: int | None = None) -> Iterator[Diagnostic]:
    yield from check_corpus(paths, jobs).diagnostics


def check(paths: Iterable[str | Path], jobs: int | None = None) -> list[Diagnostic]:
    return check_corpus(paths, jobs).diagnostics


def validate(paths: Iterable[str | Path], jobs: int | None = None, strict: bool = False) -> None:
    """Raise InvalidCorpus when the corpus has errors (or warnings, under strict)."""
    report = check_corpus(paths, jobs)
    if report.failing(strict):
        raise InvalidCorpus(report.diagnostics)
