"""The search index: pagefind run over shards of the document pages, each shard cached and made
byte-reproducible (canonical filter and metadata files); the search page merges the shards."""

from __future__ import annotations

import gzip
import hashlib
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cbor2

# Every pagefind data file is gzip over this signature followed by one CBOR value.
SIGNATURE = b"pagefind_dcd"
# The first shard is the primary bundle: pagefind's scripts, styles and WebAssembly, and its index.
PRIMARY = "pagefind"
# The other shards hold only their index; the search page merges them (pagefind's mergeIndex).
SHARDS = "pagefind-shards"
# In the primary bundle: the site-relative folders of the other shards, for assets/search.js.
SHARD_LIST = "shards.json"
# What a merged shard needs; pagefind's scripts and WebAssembly come from the primary bundle.
INDEX_FILES = ("pagefind-entry.json", "index", "fragment", "filter")


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


class IndexFailed(RuntimeError):
    """pagefind could not run, failed, or wrote a bundle teiedition cannot read; one line."""


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


def shard_count(pages: int) -> int:
    """How many shards: doubled each time the pages quadruple, from 2 at 32 pages (one index
    below), so 2 at 100, 8 at 1,000, 32 at 10,000: shards of 3 to 6 times √pages pages.

    A rebuild indexes again the shard of each changed page, so shards should be small; a search
    fetches a few files from every shard, so they should be few. √n balances the two.
    """
    count = 1
    while pages >= 32 * count * count:
        count *= 2
    return count


def shard_of(page: str, shards: int) -> int:
    """The shard a page belongs to: a hash of its name alone, so that adding, removing or changing
    one page changes one shard (while the number of shards stays the same)."""
    return int.from_bytes(hashlib.sha256(page.encode("utf-8")).digest()[:8], "big") % shards


def plan(pages: list[str], shards: int | None = None) -> list[tuple[str, list[str]]]:
    """The shards with pages, in order: (site-relative folder, page names); the first is primary."""
    count = shards or shard_count(len(pages))
    members: list[list[str]] = [[] for _ in range(count)]
    for page in pages:
        members[shard_of(page, count)].append(page)
    filled = [(number, names) for number, names in enumerate(members) if names]
    return [(PRIMARY if position == 0 else f"{SHARDS}/{number}", names)
            for position, (number, names) in enumerate(filled)]


def start(site: Path, pages: list[str], page_keys: dict[str, str], outputs, fingerprint: str,
          jobs: int = 1, shards: int | None = None) -> Indexing:
    """Index the pages in shards, each run of pagefind only for a shard whose pages changed; the
    runs go on in threads while the caller writes what pagefind does not read, and finish() on
    what this returns waits for them.

    page_keys: each page's cache key (what it was made from); a shard whose pages and keys are
    those of the previous build is the previous build's folder, linked (cache.Outputs).
    """
    from teiedition import cache

    layout = plan(pages, shards)
    folders = [folder for folder, _names in layout]
    stale = []
    for folder, names in layout:
        # The primary bundle also lists the other shards; every shard depends on the layout.
        key = cache.digest(fingerprint, *folders, folder, *names, *(page_keys[n] for n in names))
        if not outputs.reuse_tree(f"site/{folder}", key):
            stale.append((folder, names, key))
    return Indexing(site, stale, folders[1:], outputs, jobs)


class Indexing:
    """The runs of pagefind for the shards whose pages changed, each in a thread (pagefind is a
    process of its own); finish() waits for them and records what they made."""

    def __init__(self, site: Path, stale: list[tuple[str, list[str], str]], others: list[str],
                 outputs, jobs: int):
        self.stale = stale
        self.outputs = outputs
        self.pool = ThreadPoolExecutor(max_workers=max(1, min(jobs, len(stale))))
        self.runs = [self.pool.submit(_index_shard, site, folder, names, others)
                     for folder, names, _key in stale]

    def finish(self) -> None:
        """Wait for every run; IndexFailed for the first that failed."""
        try:
            for run in self.runs:
                run.result()
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)
        for folder, _names, key in self.stale:
            self.outputs.made_from(f"site/{folder}", key)

    def abandon(self) -> None:
        """Wait for the runs under way and start no other (the build has stopped)."""
        self.pool.shutdown(wait=True, cancel_futures=True)


def _index_shard(site: Path, folder: str, names: list[str], others: list[str]) -> None:
    bundle = site / folder
    with tempfile.TemporaryDirectory(prefix="teiedition-search-") as scratch:
        for name in names:  # pagefind reads a folder: give it this shard's pages alone
            _link(site / name, Path(scratch) / name)
        _run_pagefind(Path(scratch), bundle)
    if folder != PRIMARY:
        for path in bundle.iterdir():
            if path.name not in INDEX_FILES and path.suffix != ".pf_meta":
                shutil.rmtree(path) if path.is_dir() else path.unlink()
    else:
        (bundle / SHARD_LIST).write_text(json.dumps(others), encoding="utf-8")
    try:
        canonicalise(bundle)
    except UnknownBundle as exc:
        raise IndexFailed(str(exc)) from None


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _pagefind_command() -> list[str]:
    """pagefind's own binary, as `python -m pagefind` finds it (the extended build first), without
    starting Python to find it; `python -m pagefind` itself when neither package says where."""
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            binary = importlib.import_module(package).get_executable()
        except Exception:  # noqa: BLE001 - not installed, or no binary for this platform
            continue
        if binary is not None and Path(binary).is_file():
            return [str(binary)]
    return [sys.executable, "-m", "pagefind"]


def _run_pagefind(pages: Path, bundle: Path) -> None:
    try:
        finished = subprocess.run([*_pagefind_command(), "--site", str(pages),
                                   "--output-path", str(bundle.resolve()), "--silent"],
                                  capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise IndexFailed(f"pagefind could not run: {exc}") from None
    if finished.returncode != 0:
        detail = " ".join((finished.stderr or finished.stdout).split())[:300]
        raise IndexFailed(f"pagefind failed (is 'pagefind[extended]' installed?): {detail}")
