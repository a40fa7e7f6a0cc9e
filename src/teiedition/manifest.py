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


def write(root: Path, previous: Path | None = None, unchanged: dict[str, int] | None = None) -> Path:
    """List every file under root (sorted, relative, with sha256 and size) in root/manifest.json.

    A file that is a hard link of the previous build's file (an incremental build reused it) keeps
    the checksum the previous manifest gives it instead of being read again. unchanged: the inode
    of each previous file known to be as the previous build left it (build.py checks), else each
    previous file's inode and modification time are looked at.
    """
    known, written = _previous_outputs(previous)
    outputs = {}
    for relative, entry in _files(str(root), ""):
        status = entry.stat()
        old = known.get(relative)
        if old is not None and old.get("bytes") == status.st_size and (
                unchanged.get(relative) == status.st_ino if unchanged is not None
                else _same_file(status, os.path.join(previous, relative), written)):
            outputs[relative] = old
        else:
            outputs[relative] = {"sha256": checksum(Path(entry.path)), "bytes": status.st_size}
    target = root / FILE_NAME
    target.write_text(_dumps({"tools": tool_versions(), "outputs": outputs}) + "\n", encoding="utf-8")
    return target


def _dumps(manifest: dict) -> str:
    """json.dumps(manifest, indent=1, sort_keys=True), written out: with an indent json uses its
    pure-Python encoder, which takes most of a second for 10,000 files."""
    outputs, tools = manifest["outputs"], manifest["tools"]
    usual = outputs and tools and all(
        type(entry) is dict and entry.keys() == {"bytes", "sha256"} and type(entry["bytes"]) is int
        and type(entry["sha256"]) is str for entry in outputs.values()) and all(
        type(value) is str for value in tools.values())
    if not usual:
        return json.dumps(manifest, indent=1, sort_keys=True)
    files = ",\n".join(f'  {json.dumps(name)}: {{\n   "bytes": {entry["bytes"]},\n   "sha256": '
                       f'{json.dumps(entry["sha256"])}\n  }}' for name, entry in sorted(outputs.items()))
    versions = ",\n".join(f"  {json.dumps(name)}: {json.dumps(value)}"
                          for name, value in sorted(tools.items()))
    return f'{{\n "outputs": {{\n{files}\n }},\n "tools": {{\n{versions}\n }}\n}}'


def _files(folder: str, prefix: str):
    """(relative path, os.DirEntry) of every file under folder but .cache/ and the manifest."""
    with os.scandir(folder) as entries:
        for entry in entries:
            relative = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if relative != ".cache":
                    yield from _files(entry.path, relative + "/")
            elif entry.is_file() and relative != FILE_NAME:
                yield relative, entry


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
