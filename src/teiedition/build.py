"""Orchestrate builds: validate, run each output target into a staging folder, swap it in atomically."""

from __future__ import annotations

import ctypes
import fcntl
import importlib
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from teiedition import cache, corpus, manifest, record, text
from teiedition.context import BuildContext, BuildFailed  # noqa: F401  (where targets import them from)
from teiedition.diagnostics import Diagnostic, InvalidCorpus, error, failing

# Each target is a module with build(context); the folders it owns in the output tree.
TARGETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "html": ("teiedition.site", ("site",)),
    "text": ("teiedition.text", ("text",)),
    "pdf": ("teiedition.pdf", ("print", "edition.pdf")),
}
ALL = tuple(TARGETS)
# Room for a suffix such as '.html' within the 255 bytes most file systems allow.
MAX_NAME_BYTES = 200


class BuildBusy(Exception):
    """Another build holds the output folder."""


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
        # Hard links: nothing in a build writes into an existing file (cache.write_new).
        if entry.is_dir():
            cache.carry_tree(entry, staging / entry.name)
        else:
            cache.link_or_copy(entry, staging / entry.name)


def file_name_problem(name: str) -> str | None:
    """Why a name cannot be one output file name (a path component), or None when it can."""
    if not name or name in (".", ".."):
        return "is empty or a dot name"
    if any(character in name for character in "/\\\0") or not name.isprintable():
        return "holds a slash, a backslash or a control character"
    if name.startswith("."):
        return "starts with a dot (a hidden file)"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return f"is longer than {MAX_NAME_BYTES} bytes"
    return None


def _unsafe_names(path: Path, tree) -> list[Diagnostic]:
    """A document's xml:id names its output files: refuse one that would leave the output folder.

    Validation already requires NCNames; this guards builds run with --no-validate.
    """
    found = []
    for element in tree.getroot().iter(corpus.TEI + "TEI", corpus.TEI + "teiCorpus"):
        identifier = element.get(corpus.XML_ID)
        problem = identifier is not None and file_name_problem(identifier)
        if problem:
            found.append(error(path, element.sourceline, f"xml:id {identifier[:80]!r} cannot name an "
                               f"output file: it {problem}", "id.file-name"))
    return found


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2); False where that is unavailable."""
    try:
        rename = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_cwd, exchange = -100, 2  # AT_FDCWD, RENAME_EXCHANGE
    return rename(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), exchange) == 0


def _swap(staging: Path, out: Path) -> None:
    # With an exchange the output folder never goes missing, not even for a moment.
    if out.is_dir() and not out.is_symlink() and _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)
        return
    retired = None
    if out.exists():
        retired = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.rename(out, retired)
    os.rename(staging, out)
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)


def _remove_leftovers(out: Path) -> None:
    """Remove staging and retired folders that a killed build left beside out (we hold the lock)."""
    # Exactly the names _staging_folder and _swap give, so another output's folders never match.
    ours = re.compile(re.escape(f".{out.name}.") + r"(?:[a-z0-9_]{8}\.tmp|old-\d+)")
    for leftover in out.parent.iterdir():
        if ours.fullmatch(leftover.name) and leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


def _check_out(out: Path, sources: list[Path]) -> None:
    """Refuse an output folder that is not a plain folder, or that holds the corpus or the working folder."""
    if out.exists() and not out.is_dir():
        raise BuildFailed(f"{out} exists and is not a folder")
    if out.is_symlink():
        raise BuildFailed(f"{out} is a symbolic link; give the real folder as --out")
    resolved = out.resolve()
    # Out holds a source exactly when it holds the folder the file really lies in: resolve each
    # folder once (a linked file: its target's folder).
    folders = {(source.resolve() if source.is_symlink() else source).parent for source in sources}
    inside = [Path.cwd().resolve(), *{folder.resolve() for folder in folders}]
    if any(path == resolved or resolved in path.parents for path in inside):
        raise BuildFailed(f"{out} holds the corpus or the working folder; choose another --out")


def _staging_folder(out: Path) -> Path:
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    # mkdtemp makes it private (0700); the output should get the mode a plain mkdir would give.
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)
    return staging


def build(paths: Iterable[str | Path], out: str | Path = "build", targets: Iterable[str] = ALL,
          jobs: int | None = None, validate: bool = True, strict: bool = False,
          options: dict | None = None, progress=None, use_cache: bool = True) -> BuildResult:
    """Build the named targets of a corpus into out; on any failure out is left as it was.

    With use_cache (the default) whatever the previous build in out made from unchanged input
    is reused (see cache.py), and a build asked for exactly what made out, from the same input,
    leaves out untouched (_previous_build); use_cache=False builds everything from scratch. progress,
    when given, is called as progress(label, total) as each phase starts ("validating", "building
    html", ...) and returns None or a function to call with each number of files done.
    """
    targets = tuple(t for t in ALL if t in set(targets))
    out = Path(out)
    sources = corpus.find_files(paths)
    options = dict(options or {}, cache=use_cache)
    digests = _read_sources(sources) if use_cache else {}
    request = record.request(digests, targets, validate, options) if use_cache and \
        len(digests) == len(sources) else None
    previous = record.Previous()
    from teiedition.apart import APART, Apart, stop_early

    if use_cache and out.is_dir():
        unchanged, previous = _previous_build(out, request, sources, targets, strict)
        if unchanged is not None:
            stop_early()  # nothing to build: a process the command started for a target ends
            return unchanged
    apart: dict[str, Apart] = {}
    try:
        for target in targets:
            if target in APART and sys.executable:  # no interpreter to start (embedded): in turn
                apart[target] = Apart.take(target)
        return _validate_and_build(sources, out, targets, jobs, validate, strict, options, progress,
                                   use_cache, digests, request, apart, previous)
    finally:
        for process in apart.values():
            process.stop()


def _validate_and_build(sources, out, targets, jobs, validate, strict, options, progress, use_cache,
                        digests, request, apart, previous) -> BuildResult:
    from teiedition.validation import check_corpus

    diagnostics: list[Diagnostic] = []
    # Read without the lock: a damaged or vanishing cache file only means a cache miss.
    checked = cache.Store("validation", out if out.is_dir() else None, use_cache)
    if validate:
        report = check_corpus(sources, jobs, _phase(progress, "validating", len(sources)), checked,
                              found=True, keys=digests)
        if report.failing(strict):
            raise InvalidCorpus(report.diagnostics)
        checked.freeze()
        diagnostics.extend(report.diagnostics)
    else:
        unsafe = []
        for path in sources:
            tree = corpus.parse(path)  # refuses unsafe or unreadable input even without validation
            unsafe.extend(_unsafe_names(path, tree))
        if unsafe:
            raise InvalidCorpus(unsafe)
    _check_out(out, sources)
    try:
        with exclusive(out):
            _remove_leftovers(out)
            result = _build_locked(sources, out, targets, jobs, options, progress, diagnostics,
                                   checked if validate else None, digests, apart, previous)
            if request is not None:
                record.write(out, request, diagnostics, result.diagnostics[len(diagnostics):])
            return result
    except OSError as exc:  # a folder that cannot be written, a full disk: one line, not a traceback
        where = exc.filename or out
        raise BuildFailed(f"{where}: {exc.strerror or exc}") from None


def _read_sources(sources: list[Path]) -> dict[str, str]:
    """Each source's cache.source_key, every file read once; empty when one cannot be read (the
    build then reports it as it always does)."""
    try:
        return {str(path): cache.source_key(path, Path(path).read_bytes()) for path in sources}
    except OSError:
        return {}


def _previous_build(out: Path, request: str | None, sources: list[Path], targets: tuple[str, ...],
                    strict: bool) -> tuple[BuildResult | None, record.Previous]:
    """The previous build's result when it was asked exactly this and out is as it left it (None
    when out must be built, also when another build holds it: that path says so); and what
    changed in out since."""
    try:
        last = json.loads((out / cache.FOLDER / record.FILE).read_text(encoding="utf-8"))
        if last["format"] != cache.FORMAT:
            return None, record.Previous()
        with exclusive(out):
            state = record.tree_state(out)
        recorded = last["tree"]
        changed = frozenset(name for name in state.keys() | recorded.keys()
                            if state.get(name) != recorded.get(name))
        found = record.Previous(changed, {name: entry[4] for name, entry in recorded.items()
                                          if name not in changed})
        if changed or last["fingerprint"] != cache.fingerprint() or last["request"] != request:
            return None, found
        validation = [Diagnostic(*stored) for stored in last["validation"]]
        reported = [Diagnostic(*stored) for stored in last["targets"]]
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, BuildBusy):
        return None, record.Previous()
    if failing(validation, strict):  # --strict and stored warnings: as validation would stop
        raise InvalidCorpus(validation)
    _check_out(out, sources)
    return BuildResult(out, targets, len(sources), validation + reported), found


def _phase(progress, label: str, total: int):
    """The progress callback for one phase: progress(label, total) announces it, then steps."""
    if progress is None:
        return None
    return progress(label, total)


def _build_locked(sources, out, targets, jobs, options, progress, diagnostics,
                  checked, digests, apart, found) -> BuildResult:
    """Run the targets into a staging folder beside out and swap it in; on any failure remove it."""
    from teiedition.validation import job_count

    staging = _staging_folder(out)
    try:
        previous = out if out.is_dir() else None
        if previous is not None:
            _carry_over(previous, staging, targets)
        if not options.get("cache", True):  # a clean build leaves no cache to be trusted later
            shutil.rmtree(staging / cache.FOLDER, ignore_errors=True)
        # The previous build's record describes the previous tree; this build writes its own.
        (staging / cache.FOLDER / record.FILE).unlink(missing_ok=True)
        context = BuildContext(sources, staging, previous, job_count(jobs), dict(options or {}),
                               digests=digests, changed=found.changed,
                               verified=found.unchanged is not None)
        for target in apart:
            apart[target].start(context)
        for target in apart:  # first the parts its layout needs, while both cores lay it out
            _phase(progress, f"laying out {target}", len(sources))
            apart[target].answer_until_quiet()
        for target in targets:
            if target not in apart:
                context.progress = _phase(progress, f"building {target}", len(sources))
                importlib.import_module(TARGETS[target][0]).build(context)
        for target in apart:  # after the others: their diagnostics come first, as run in turn
            _phase(progress, f"building {target}", len(sources))
            text.merge(context, apart[target].finish())
        if checked is not None and options.get("cache", True):
            checked.save(staging)
        manifest.write(staging, previous, found.unchanged)
        _swap(staging, out)
    except BaseException:
        for process in apart.values():  # before the removal: they write into the staging folder
            process.stop()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BuildResult(out, targets, len(sources), diagnostics + context.diagnostics)
