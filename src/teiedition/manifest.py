"""Write build/manifest.json: every output file with its checksum, and the tool versions used."""

from __future__ import annotations

import hashlib
import json
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


def write(root: Path) -> Path:
    """List every file under root (sorted, relative, with sha256 and size) in root/manifest.json."""
    outputs = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root).as_posix()
        if relative == FILE_NAME or relative.startswith(".cache/"):
            continue
        outputs[relative] = {"sha256": checksum(path), "bytes": path.stat().st_size}
    target = root / FILE_NAME
    target.write_text(json.dumps({"tools": tool_versions(), "outputs": outputs}, indent=1,
                                 sort_keys=True) + "\n", encoding="utf-8")
    return target
