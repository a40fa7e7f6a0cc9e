"""A build asked exactly what made its output folder, from the same input, leaves the folder as it is
and reports the previous build's diagnostics; any change to the input, the request or the output
makes it build."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TEI

from teiedition import build as builder
from teiedition import cache
from teiedition.cli import main
from teiedition.diagnostics import InvalidCorpus

UNUSED = '<person xml:id="nobody-at-all"><persName type="main">Nobody At All</persName></person>'


@pytest.fixture()
def corpus(tmp_path) -> Path:
    """The edition, with a register entry no document names: one validation warning."""
    copy = tmp_path / "tei"
    shutil.copytree(TEI, copy)
    persons = copy / "registers" / "persons.xml"
    persons.write_text(persons.read_text(encoding="utf-8").replace(
        "<person ", UNUSED + "<person ", 1), encoding="utf-8")
    return copy


def state(root: Path) -> dict[str, tuple]:
    """Every file and folder under root, .cache included, as the file system describes it."""
    entries = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        entries[path.relative_to(root).as_posix()] = (info.st_ino, info.st_size, info.st_mtime_ns,
                                                      info.st_ctime_ns)
    return entries


def test_rebuild_with_nothing_changed_touches_no_file_and_reports_the_same(corpus, tmp_path):
    out = tmp_path / "out"
    first = builder.build([corpus], out, ["html", "text"], jobs=1)
    assert any(d.rule == "register.referenced" for d in first.diagnostics)
    before = state(out)
    again = builder.build([corpus], out, ["html", "text"], jobs=1)
    assert state(out) == before
    assert again.diagnostics == first.diagnostics
    assert (again.files, again.targets) == (first.files, first.targets)


def test_unchanged_rebuild_prints_what_the_first_build_printed(corpus, tmp_path):
    arguments = ["build", "text", str(corpus), "--out", str(tmp_path / "out"), "--jobs", "1"]
    first = CliRunner().invoke(main, arguments)
    again = CliRunner().invoke(main, arguments)
    assert first.exit_code == again.exit_code == 0
    assert "[register.referenced]" in first.stderr
    assert again.stderr == first.stderr


def test_strict_rebuild_still_fails_on_the_stored_warnings(corpus, tmp_path):
    out = tmp_path / "out"
    first = builder.build([corpus], out, ["text"], jobs=1)
    before = state(out)
    with pytest.raises(InvalidCorpus) as caught:
        builder.build([corpus], out, ["text"], jobs=1, strict=True)
    assert [d for d in caught.value.diagnostics] == [d for d in first.diagnostics
                                                      if d.rule == "register.referenced"]
    assert state(out) == before


def test_deleted_output_is_built_again(corpus, tmp_path):
    out = tmp_path / "out"
    builder.build([corpus], out, ["html"], jobs=1)
    page = out / "site" / "doc-4.3.html"
    expected = page.read_bytes()
    page.unlink()
    builder.build([corpus], out, ["html"], jobs=1)
    assert page.read_bytes() == expected


def test_output_edited_to_the_same_size_is_built_again(corpus, tmp_path):
    out = tmp_path / "out"
    builder.build([corpus], out, ["text"], jobs=1)
    text = out / "text" / "edition.txt"
    expected = text.read_bytes()
    text.write_bytes(expected.upper())
    builder.build([corpus], out, ["text"], jobs=1)
    assert text.read_bytes() == expected


def test_output_edited_with_its_size_and_modification_time_kept_is_built_again(corpus, tmp_path):
    out = tmp_path / "out"
    builder.build([corpus], out, ["html", "text"], jobs=1)
    edited = [out / "text" / "edition.txt", out / "site" / "doc-4.3.html"]
    expected = [path.read_bytes() for path in edited]
    for path in edited:
        info = path.stat()
        path.write_bytes(path.read_bytes().upper())
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    builder.build([corpus], out, ["html", "text"], jobs=1)
    assert [path.read_bytes() for path in edited] == expected


def test_file_added_to_a_target_folder_is_not_kept(corpus, tmp_path):
    out = tmp_path / "out"
    builder.build([corpus], out, ["text"], jobs=1)
    (out / "text" / "stray.txt").write_text("not built\n", encoding="utf-8")
    builder.build([corpus], out, ["text"], jobs=1)
    assert not (out / "text" / "stray.txt").exists()


def test_changed_option_or_targets_build_again(corpus, tmp_path):
    out = tmp_path / "out"
    builder.build([corpus], out, ["text"], jobs=1, options={"width": 72})
    narrow = out / "text" / "edition.txt"
    wide = narrow.read_text(encoding="utf-8")
    builder.build([corpus], out, ["text"], jobs=1, options={"width": 40})
    assert narrow.read_text(encoding="utf-8") != wide
    assert not (out / "site").exists()
    builder.build([corpus], out, ["text", "html"], jobs=1, options={"width": 40})
    assert (out / "site" / "index.html").is_file()


def test_changed_input_builds_again(corpus, tmp_path):
    out = tmp_path / "out"
    builder.build([corpus], out, ["text"], jobs=1)
    letter = corpus / "documents" / "doc-4.3.xml"
    letter.write_text(letter.read_text(encoding="utf-8").replace(
        '<p xml:id="doc-4.3-p1">', '<p xml:id="doc-4.3-p1">Revised. ', 1), encoding="utf-8")
    builder.build([corpus], out, ["text"], jobs=1)
    assert "Revised." in (out / "text" / "edition.txt").read_text(encoding="utf-8")


def test_build_without_cache_writes_every_file_and_no_record(corpus, tmp_path):
    out = tmp_path / "out"
    builder.build([corpus], out, ["text"], jobs=1)
    before = state(out)
    builder.build([corpus], out, ["text"], jobs=1, use_cache=False)
    after = state(out)
    assert not any(before.get(name, (None,))[0] == entry[0] for name, entry in after.items()
                   if not name.endswith("/") and (out / name).is_file())
    assert not (out / cache.FOLDER).exists()
