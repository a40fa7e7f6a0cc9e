"""Reproducible builds: the same input gives byte-identical trees, and the manifest says so."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from conftest import DATA

from teiedition import build as builder
from teiedition import manifest
from teiedition import record as build_record

MINIMAL = DATA / "hostile" / "minimal"
EPOCH = "1700000000"


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def build_elsewhere(workspace: Path, hash_seed: str, targets: tuple[str, ...]) -> Path:
    """Build a copy of the corpus from its own working folder, in a fresh process; the out folder.

    A different absolute path, working folder and hash seed per build: anything in the output that
    depends on where or in which process it was built shows up as a difference.
    """
    workspace.mkdir(parents=True)
    shutil.copytree(MINIMAL, workspace / "corpus")
    environment = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, PYTHONHASHSEED=hash_seed)
    completed = subprocess.run([sys.executable, "-m", "teiedition", "build", *targets, "corpus",
                                "--out", "out", "--quiet"], cwd=workspace, env=environment,
                               capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stderr
    return workspace / "out"


def comparable(tree: dict[str, bytes]) -> dict[str, bytes]:
    """The tree without .cache/, which is build state, not output (the manifest leaves it out too).

    pagefind writes its filter and metadata files in hash-map order, which changes from run to run;
    the build rewrites them in one canonical order (search_index.canonicalise), so the whole search
    bundle is compared too.
    """
    return {name: content for name, content in tree.items() if not name.startswith(".cache/")}


def test_two_builds_of_every_target_are_byte_identical(tmp_path):
    first = build_elsewhere(tmp_path / "first-checkout", "1", ("all",))
    second = build_elsewhere(tmp_path / "a" / "second", "2", ("all",))
    one, two = comparable(tree_bytes(first)), comparable(tree_bytes(second))
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
    assert {"site", "text", "print", "edition.pdf"} <= {name.split("/")[0] for name in one}
    assert any(name.startswith("site/pagefind/filter/") for name in one)
    for name, content in one.items():  # nothing names the folder it was built in
        assert str(tmp_path).encode() not in content, name


@pytest.fixture(scope="module")
def text_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reproducible") / "out"
    builder.build([MINIMAL], out, ["text"], jobs=1, validate=False)
    return out


def test_manifest_lists_every_output_with_its_checksum_and_size(text_build):
    listed = json.loads((text_build / manifest.FILE_NAME).read_text())["outputs"]
    on_disk = {name: content for name, content in tree_bytes(text_build).items()
               if name != manifest.FILE_NAME and not name.startswith(".cache/")}
    assert sorted(listed) == sorted(on_disk)
    for name, content in on_disk.items():
        assert listed[name] == {"sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)}


def test_manifest_names_the_versions_of_teiedition_and_its_tools(text_build):
    tools = json.loads((text_build / manifest.FILE_NAME).read_text())["tools"]
    assert tools["teiedition"] == version("teiedition")
    for name in ("lxml", "saxonche", "weasyprint", "pagefind"):
        assert tools[name] == version(name)


def test_manifest_is_the_same_bytes_when_written_again_for_the_same_tree(text_build, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(text_build, copy)
    (copy / manifest.FILE_NAME).unlink()
    manifest.write(copy)
    assert (copy / manifest.FILE_NAME).read_bytes() == (text_build / manifest.FILE_NAME).read_bytes()


def test_text_target_is_byte_identical_across_processes_and_folders(tmp_path):
    first = build_elsewhere(tmp_path / "one", "11", ("text",))
    second = build_elsewhere(tmp_path / "two" / "deeper", "12", ("text",))
    # Of .cache/, all but the record of the files the build left (their inodes and times).
    record = f".cache/{build_record.FILE}"
    assert {name: content for name, content in tree_bytes(first).items() if name != record} == \
        {name: content for name, content in tree_bytes(second).items() if name != record}
