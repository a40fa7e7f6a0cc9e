"""Make pagefind's search bundle byte-reproducible: canonical filter and metadata files."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import cbor2

# Every pagefind data file is gzip over this signature followed by one CBOR value.
SIGNATURE = b"pagefind_dcd"


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path}: not a pagefind data file")
    return cbor2.loads(data[len(SIGNATURE):])


def _write(folder: Path, prefix: str, value, digits: int, suffix: str) -> str:
    """Write value under a name derived from its content; returns the name without suffix."""
    payload = gzip.compress(SIGNATURE + cbor2.dumps(value), compresslevel=9, mtime=0)
    name = f"{prefix}_{hashlib.sha256(payload).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(payload)
    return name


class UnknownBundle(ValueError):
    """The bundle is not laid out as the pagefind versions teiedition knows (1.x)."""


def canonicalise(bundle: Path) -> None:
    """Rewrite the filter and metadata files of a pagefind bundle in one order, whatever order
    pagefind wrote them in (it walks hash maps), renaming them after their new content."""
    try:
        _canonicalise(bundle)
    except (OSError, ValueError, KeyError, IndexError, TypeError, cbor2.CBORDecodeError) as exc:
        raise UnknownBundle(f"cannot put pagefind's index in canonical order: {exc}") from None


def _canonicalise(bundle: Path) -> None:
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, details in sorted(entry["languages"].items()):
        meta_path = bundle / f"pagefind.{details['hash']}.pf_meta"
        meta = _read(meta_path)
        # meta: [version, index chunks, fragment chunks?, filters [[name, file]], sorts, ...]
        filters = []
        for name, old in meta[3]:
            old_path = bundle / "filter" / f"{old}.pf_filter"
            filter_name, values = _read(old_path)
            values = sorted(([value, sorted(pages)] for value, pages in values),
                            key=lambda pair: pair[0])
            old_path.unlink()
            filters.append([name, _write(bundle / "filter", language, [filter_name, values], 7,
                                         ".pf_filter")])
        meta[3] = sorted(filters)
        meta_path.unlink()
        details["hash"] = _write(bundle, f"pagefind.{language}", meta, 10, ".pf_meta") \
            .removeprefix("pagefind.")
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                          encoding="utf-8")
