"""The build record, <out>/.cache/build.json: what the last build was asked, what it reported and
the state of the tree it left; a build asked the same again, with the tree as it was, stops there."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from teiedition import cache
from teiedition.diagnostics import Diagnostic

FILE = "build.json"
# Options that change what a build prints, not what it writes.
SILENT_OPTIONS = ("quiet", "cache")


def request(digests: dict[str, str], targets: tuple[str, ...], validate: bool,
             options: dict) -> str:
    """The digest of everything a build is asked to do: its input (every file's path and bytes),
    the toolkit, the targets, validation, and the options that change the output."""
    settings = {name: value for name, value in options.items() if name not in SILENT_OPTIONS}
    return cache.digest(cache.fingerprint(), json.dumps([targets, validate, settings], sort_keys=True,
                                                        default=repr), *digests.values())


def tree_state(out: Path) -> dict[str, list[int]]:
    """Every entry under out but .cache/, with its type and mode, size, modification and change
    times and inode. Writing, replacing, removing, adding or touching a file changes it (the change
    time cannot be set back by hand)."""
    entries: dict[str, list[int]] = {}
    folders = [(str(out), "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as found:
            for entry in found:
                relative = prefix + entry.name
                if relative == cache.FOLDER:
                    continue
                status = entry.stat(follow_symlinks=False)
                entries[relative] = [status.st_mode, status.st_size, status.st_mtime_ns,
                                     status.st_ctime_ns, status.st_ino]
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, relative + "/"))
    return entries


def write(out: Path, request: str, validation: list[Diagnostic],
            targets: list[Diagnostic]) -> None:
    """Remember what this build was asked, what it reported and the tree it left (after the swap:
    the previous tree's removal changes its files' link counts, hence their change times)."""
    folder = out / cache.FOLDER
    partial = folder / f".{FILE}.partial"
    try:
        folder.mkdir(exist_ok=True)
        partial.write_text(json.dumps({
            "format": cache.FORMAT, "fingerprint": cache.fingerprint(), "request": request,
            "tree": tree_state(out),
            "validation": [d.fields() for d in validation],
            "targets": [d.fields() for d in targets]}), encoding="utf-8")
        os.replace(partial, folder / FILE)
    except OSError:
        partial.unlink(missing_ok=True)  # the build stands; the next one only finds no record


@dataclass
class Previous:
    """What the last build's record says of out now: the entries changed since (never reused) and
    the inode of every file left as it was; None when there is no record to go by."""

    changed: frozenset[str] = frozenset()
    unchanged: dict[str, int] | None = None
