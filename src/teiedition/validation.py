"""Validate a corpus: well-formedness, the XSD, per-file rules in worker processes, then cross-file rules."""

from __future__ import annotations

import gc
import json
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from teiedition import corpus, mentions, rules, schema
from teiedition.diagnostics import Diagnostic, InvalidCorpus, failing, sort

# Below this many files a worker pool costs more to start than it saves.
PARALLEL_THRESHOLD = 40
# How much of a file declared_kind reads to find the root start tag.
HEAD_BYTES = 4096


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


def check_file(path: Path, names: mentions.NameTable | None = None) -> FileResult:
    """Everything that can be checked from one file alone; runs inside a worker.

    names: the register names a document's text is checked against (mention.untagged); without
    them that rule is not checked.
    """
    result = FileResult(str(path))
    try:
        tree = corpus.parse(path)
    except corpus.ParseFailure as failure:
        result.diagnostics.append(failure.diagnostic)
        return result
    result.diagnostics.extend(schema.check_tree(str(path), tree))
    dates: list = []
    result.index = corpus.index(str(path), tree, dates)
    result.index.facts = rules.collect(tree, result.index.kind)
    result.diagnostics.extend(rules.check_file(str(path), tree, result.index, dates))
    if names is not None and result.index.kind == "document":
        # Last: it cuts the tagged elements out of the tree.
        result.diagnostics.extend(mentions.check_mentions(str(path), tree, names))
    return result


def job_count(jobs: int | None) -> int:
    return max(1, jobs or os.cpu_count() or 1)


# The register names of the corpus being checked, set in each worker process by _start_worker.
_worker_names: mentions.NameTable | None = None


def _start_worker(names: mentions.NameTable | None) -> None:
    """Worker initializer: compile the schema once per process, keep the register names."""
    global _worker_names
    gc.enable()  # forked from check_corpus, which pauses it
    schema.warm_up()
    _worker_names = names


def _check_in_worker(path: Path) -> tuple:
    return _compact(check_file(path, _worker_names))


def _compact(result: FileResult) -> tuple:
    """A FileResult as plain tuples: what crosses the process boundary (dataclasses pickle slowly)."""
    index, facts = result.index, result.index and result.index.facts
    return (result.path, [d.fields() for d in result.diagnostics],
            None if index is None else (
                index.kind, index.root_id, index.ids, index.pointers,
                None if facts is None else (facts.root_line, facts.categories, facts.doc_type,
                                            facts.roles, facts.entries, facts.names)))


def _expand(compact: tuple) -> FileResult:
    path, found, index = compact
    result = FileResult(path, [Diagnostic(*d) for d in found])
    if index is not None:
        kind, root_id, ids, pointers, facts = index
        result.index = corpus.FileIndex(path, kind, root_id, ids, pointers,
                                        None if facts is None else rules.Facts(*facts))
    return result


def _check_files(paths: list[Path], jobs: int | None, progress=None,
                 names: tuple[tuple[str, str], ...] | None = None) -> Iterator[FileResult]:
    if not paths:
        return
    workers = job_count(jobs)
    # Compiled here, once: a forked worker inherits it as it is.
    table = None if names is None else mentions.NameTable(names)
    if workers == 1 or len(paths) < PARALLEL_THRESHOLD:
        for path in paths:
            yield check_file(path, table)
            if progress:
                progress(1)
        return
    chunk = max(1, min(128, len(paths) // (workers * 8)))
    with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(table,)) as pool:
        for compact in pool.map(_check_in_worker, paths, chunksize=chunk):
            yield _expand(compact)
            if progress:
                progress(1)


def _sniff(path: Path, data: bytes | None) -> str | None:
    """corpus.declared_kind from the bytes at hand, or from the head of the file."""
    if data is None:
        try:  # plain os calls: this runs for every file before the workers start
            descriptor = os.open(path, os.O_RDONLY)
            try:
                data = os.read(descriptor, HEAD_BYTES)
            finally:
                os.close(descriptor)
        except OSError:
            return None  # check_file reports an unreadable file
    return corpus.declared_kind(data[:HEAD_BYTES])


def check_corpus(paths: Iterable[str | Path], jobs: int | None = None,
                 progress=None, store=None, found: bool = False,
                 keys: dict[str, str] | None = None) -> Report:
    """Check files and folders; raises InputError only for input that cannot be read at all.

    The registers (the files whose root start tag declares them) are checked first, so that each
    document's text is checked for untagged register names in the worker that parses it. A
    register that shows itself only when parsed (no @type) means the documents are checked again
    with every name.

    With a cache.Store, a file whose bytes (and path, and the toolkit) are unchanged is not
    checked again: its diagnostics and index come from the store. A document's entry is keyed
    on the register names too, and the cross-file rules' findings on every file's key, so a
    rebuild with nothing changed runs no rule at all.
    found=True says paths are already the files corpus.find_files returned; keys, when the
    caller has read the files already, each file's cache.source_key by str(path).
    """
    with _collector_paused():
        return _check_corpus(list(paths) if found else corpus.find_files(paths), jobs, progress,
                             store, keys or {})


@contextmanager
def _collector_paused():
    """Python's cycle collector off while the indexes pile up: they are hundreds of thousands of
    tuples and lists without a single cycle, and each collection walked them all again (at
    10,000 documents that tripled the time of the cross-file rules)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _check_corpus(files: list[Path], jobs, progress, store, known: dict[str, str]) -> Report:
    from teiedition import cache

    keys: dict[Path, str] = {}  # with a store: each file's key (its path, bytes and the toolkit)
    declared: dict[Path, str | None] = {}
    for path in files:
        data = None
        if store is not None and str(path) in known:
            keys[path] = known[str(path)]
        elif store is not None:
            try:
                data = corpus.read_bytes(path)
                keys[path] = cache.source_key(path, data)
            except OSError:
                pass  # check_file reports an unreadable file
        declared[path] = _sniff(path, data)
    done: dict[Path, FileResult | dict] = {}  # checked now, or the store's JSON entry
    made: dict[str, FileResult | dict] = {}  # store entries to put once the names are certain
    registers = [path for path in files if declared[path] == "register"]
    _check_some(registers, keys, jobs, progress, store, None, done, made)
    settled = {path for path in registers if _kind(done[path]) in ("register", None)}
    while True:
        names = mentions.register_names(index for path in files if path in settled
                                     if (index := _result(done[path]).index) is not None)
        names_key = cache.digest(json.dumps(names))
        rest = [path for path in files if path not in settled]
        rest_keys = {path: cache.digest(keys[path], names_key) for path in rest if path in keys}
        checked: dict[str, FileResult | dict] = {}
        _check_some(rest, rest_keys, jobs, progress, store, names, done, checked)
        late = [path for path in rest if _kind(done[path]) == "register"]
        if not late:
            made.update(checked)
            break
        # Registers the root start tag did not declare: the documents are checked with their names.
        made.update((keys[path], done[path]) for path in late if path in keys)
        settled.update(late)
        progress = None
    if store is not None:
        for key, result in made.items():
            store.put(key, result if isinstance(result, dict) else result_to_json(result))
    diagnostics: list[Diagnostic] = []
    for path in files:
        result = done[path]
        if isinstance(result, FileResult):
            diagnostics.extend(result.diagnostics)
        else:
            diagnostics.extend(Diagnostic(*d) for d in result["diagnostics"])
    diagnostics.extend(_check_across(files, done, keys, store))
    return Report(len(files), sort(diagnostics))


def _check_across(files, done, keys, store) -> list[Diagnostic]:
    """The cross-file rules; with a store, their findings are reused while no file changed."""
    from teiedition import cache

    key = None
    if store is not None and len(keys) == len(files):
        # Their findings depend on every file's index, and nothing else.
        key = cache.digest("cross-file rules", *(keys[path] for path in files))
        stored = store.get(key)
        if stored is not None:
            return [Diagnostic(*d) for d in stored]
    indexes = []
    for path in files:
        result = done[path]
        index = result.index if isinstance(result, FileResult) else _index_from_json(result)
        if index is not None:
            indexes.append(index)
    found = rules.check_corpus(indexes)
    if key is not None:
        store.put(key, [d.fields() for d in found])
    return found


def _check_some(paths, keys, jobs, progress, store, names, done, made) -> None:
    """Check paths (with names: the register names) unless the store holds their result."""
    todo = []
    for path in paths:
        entry = store.get(keys[path]) if store is not None and path in keys else None
        if entry is None:
            todo.append(path)
            continue
        done[path] = entry
        if progress:
            progress(1)
    for path, result in zip(todo, _check_files(todo, jobs, progress, names), strict=True):
        done[path] = result
        if path in keys:
            made[keys[path]] = result


def _kind(result: FileResult | dict) -> str | None:
    if isinstance(result, FileResult):
        return None if result.index is None else result.index.kind
    return None if result["index"] is None else result["index"]["kind"]


def _result(result: FileResult | dict) -> FileResult:
    return result if isinstance(result, FileResult) else result_from_json(result)


def _index_from_json(data: dict) -> corpus.FileIndex | None:
    """The index of a stored result as the cross-file rules read it (lists left as lists: faster)."""
    stored = data["index"]
    if stored is None:
        return None
    index = corpus.FileIndex(stored["path"], stored["kind"], stored["root_id"], stored["ids"],
                             stored["pointers"])
    if stored["facts"] is not None:
        index.facts = _facts_from_json(stored["facts"])
    return index


def result_to_json(result: FileResult) -> dict:
    """A file's result as plain JSON data, for the build cache (fields by hand: asdict is slow)."""
    index = result.index
    facts = None if index is None else index.facts
    return {"path": result.path,
            "diagnostics": [d.fields() for d in result.diagnostics],
            "index": None if index is None else {
                "path": index.path, "kind": index.kind, "root_id": index.root_id,
                "ids": index.ids, "pointers": index.pointers,
                "facts": None if facts is None else {
                    "root_line": facts.root_line, "categories": facts.categories,
                    "doc_type": facts.doc_type, "roles": facts.roles, "entries": facts.entries,
                    "names": facts.names}}}


def result_from_json(data: dict) -> FileResult:
    """The FileResult result_to_json wrote, with the tuples FileIndex and rules.Facts declare."""
    result = FileResult(data["path"], [Diagnostic(*d) for d in data["diagnostics"]])
    stored = data["index"]
    if stored is not None:
        result.index = corpus.FileIndex(stored["path"], stored["kind"], stored["root_id"],
                                        [tuple(e) for e in stored["ids"]],
                                        [tuple(e) for e in stored["pointers"]])
        if stored["facts"] is not None:
            result.index.facts = _facts_from_json(stored["facts"])
    return result


def _facts_from_json(facts: dict) -> rules.Facts:
    return rules.Facts(facts["root_line"], {k: tuple(v) for k, v in facts["categories"].items()},
                       None if facts["doc_type"] is None else tuple(facts["doc_type"]),
                       tuple(facts["roles"]), [tuple(e) for e in facts["entries"]],
                       [tuple(n) for n in facts["names"]])


def iter_diagnostics(paths: Iterable[str | Path], jobs: int | None = None) -> Iterator[Diagnostic]:
    yield from check_corpus(paths, jobs).diagnostics


def check(paths: Iterable[str | Path], jobs: int | None = None) -> list[Diagnostic]:
    return check_corpus(paths, jobs).diagnostics


def validate(paths: Iterable[str | Path], jobs: int | None = None, strict: bool = False) -> None:
    """Raise InvalidCorpus when the corpus has errors (or warnings, under strict)."""
    report = check_corpus(paths, jobs)
    if report.failing(strict):
        raise InvalidCorpus(report.diagnostics)
