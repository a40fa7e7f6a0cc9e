"""Write build/manifest.json: every output file with its checksum, and the tool versions used."""

from __future__ import annotations

import hashlib
import json
import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

FILE_NAME = "manifest.json"
TOOLS = ("teiedition", "lxml", "saxonche", "xmlschema", "weasyprint", "citeproc-py", "pagefind")


def tool_versions() -> dict[str, str]:
    found = {}
    for name in TOOLS:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def write(root: Path, previous: Path | None = None) -> Path:
    """List every file under root (sorted, relative, with sha256 and size) in root/manifest.json.

    A file that is a hard link of the previous build's file (an incremental build reused it) keeps
    the checksum the previous manifest gives it instead of being read again.
    """
    known, written = _previous_outputs(previous)
    outputs = {}
    for folder, subfolders, names in os.walk(root):
        relative_folder = os.path.relpath(folder, root)
        if relative_folder == ".cache":
            subfolders.clear()
            continue
        for name in names:
            path = os.path.join(folder, name)
            relative = name if relative_folder == "." else f"{relative_folder}/{name}"
            if relative == FILE_NAME or not os.path.isfile(path):
                continue
            status = os.stat(path)
            entry = known.get(relative)
            if entry is not None and entry.get("bytes") == status.st_size and \
                    _same_file(status, os.path.join(previous, relative), written):
                outputs[relative] = entry
            else:
                outputs[relative] = {"sha256": checksum(Path(path)), "bytes": status.st_size}
    target = root / FILE_NAME
    target.write_text(json.dumps({"tools": tool_versions(), "outputs": outputs}, indent=1,
                                 sort_keys=True) + "\n", encoding="utf-8")
    return target


def _previous_outputs(previous: Path | None) -> tuple[dict, int]:
    """The previous manifest's outputs and when it was written (nanoseconds)."""
    try:
        path = previous / FILE_NAME
        written = path.stat().st_mtime_ns
        outputs = json.loads(path.read_text(encoding="utf-8"))["outputs"]
    except (TypeError, OSError, ValueError, KeyError):
        return {}, 0
    return (outputs, written) if isinstance(outputs, dict) else ({}, 0)


def _same_file(status: os.stat_result, other: str, written: int) -> bool:
    """The previous build's file itself (a hard link), unchanged since its manifest was written."""
    try:
        found = os.stat(other)
    except OSError:
        return False
    return (found.st_ino, found.st_dev) == (status.st_ino, status.st_dev) and \
        status.st_mtime_ns <= written
