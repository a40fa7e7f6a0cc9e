"""Atomic builds: a failed, interrupted or concurrent build never changes or mixes the output folder."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA

from teiedition import build as builder
from teiedition import text
from teiedition.cli import main
from teiedition.diagnostics import InvalidCorpus

MINIMAL = DATA / "hostile" / "minimal"


def snapshot(root: Path) -> dict[str, tuple]:
    """Every entry under root: its kind, mode and bytes, so two trees compare byte for byte."""
    entries = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        content = path.read_bytes() if stat.S_ISREG(info.st_mode) else None
        entries[path.relative_to(root).as_posix()] = (stat.S_IFMT(info.st_mode),
                                                      stat.S_IMODE(info.st_mode), content)
    return entries


def siblings(out: Path) -> list[str]:
    """What lies beside the output folder apart from it, its lock and the corpus."""
    return sorted(p.name for p in out.parent.iterdir()
                  if p.name not in (out.name, f".{out.name}.lock", "corpus"))


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    copy = tmp_path / "corpus"
    shutil.copytree(MINIMAL, copy)
    return copy


@pytest.fixture
def previous(tmp_path, corpus_copy) -> tuple[Path, dict]:
    """A finished build of the text target, with a file of the user's own beside the outputs."""
    out = tmp_path / "out"
    builder.build([corpus_copy], out, ["text"], jobs=1, validate=False)
    (out / "README-mine.txt").write_text("kept across builds\n")
    return out, snapshot(out)


def failing_halfway(exception: BaseException):
    """A text target that writes all its files into the staging folder, then fails."""
    real = text.build

    def target(context):
        real(context)
        assert any((context.out / "text").iterdir())
        raise exception
    return target


@pytest.mark.parametrize("exception", [RuntimeError("target crashed"), KeyboardInterrupt(),
                                       OSError(28, "No space left on device")])
def test_target_failing_halfway_leaves_previous_tree_byte_identical(monkeypatch, corpus_copy,
                                                                     previous, exception):
    out, before = previous
    (corpus_copy / "documents" / "letter-1.xml").write_text(
        (corpus_copy / "documents" / "letter-1.xml").read_text().replace("Dear", "Changed"))
    monkeypatch.setattr(text, "build", failing_halfway(exception))
    expected = builder.BuildFailed if isinstance(exception, OSError) else type(exception)
    with pytest.raises(expected):
        builder.build([corpus_copy], out, ["text"], jobs=1, validate=False)
    assert snapshot(out) == before
    assert siblings(out) == []


def test_interrupted_build_says_nothing_changed_and_exits_130(monkeypatch, corpus_copy, previous):
    out, before = previous
    monkeypatch.setattr(text, "build", failing_halfway(KeyboardInterrupt()))
    result = CliRunner().invoke(main, ["build", "text", str(corpus_copy), "--no-validate",
                                       "--out", str(out)])
    assert result.exit_code == 130
    assert result.stderr.strip() == "interrupted; nothing was changed"
    assert snapshot(out) == before and siblings(out) == []


def test_invalid_input_stops_the_build_before_the_output_is_touched(corpus_copy, previous):
    out, before = previous
    letter = corpus_copy / "documents" / "letter-2.xml"
    letter.write_text(letter.read_text().replace('xml:id="letter-2-p1"', 'xml:id="letter-1-p1"'))
    with pytest.raises(InvalidCorpus) as caught:
        builder.build([corpus_copy], out, ["text"], jobs=1)
    assert any(d.rule == "id.unique" for d in caught.value.diagnostics)
    assert snapshot(out) == before and siblings(out) == []


def test_unparsable_input_without_validation_leaves_output_untouched(corpus_copy, previous):
    out, before = previous
    (corpus_copy / "documents" / "broken.xml").write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'>")
    result = CliRunner().invoke(main, ["build", "text", str(corpus_copy), "--no-validate",
                                       "--out", str(out)])
    assert result.exit_code == 2
    assert "broken.xml:1:" in result.stderr and "[xml.wellformed]" in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(out) == before and siblings(out) == []


def test_successful_rebuild_replaces_outputs_and_keeps_the_users_files(corpus_copy, previous):
    out, before = previous
    letter = corpus_copy / "documents" / "letter-1.xml"
    letter.write_text(letter.read_text().replace("Dear", "Dearest"))
    builder.build([corpus_copy], out, ["text"], jobs=1, validate=False)
    after = snapshot(out)
    assert after["README-mine.txt"] == before["README-mine.txt"]
    assert b"Dearest friend" in after["text/letter-1.txt"][2]
    assert siblings(out) == []


def test_build_holding_the_lock_makes_a_second_build_stop_with_busy(corpus_copy, previous):
    out, before = previous
    with builder.exclusive(out):
        with pytest.raises(builder.BuildBusy) as caught:
            builder.build([corpus_copy], out, ["text"], jobs=1, validate=False)
    assert "another build is writing this folder" in str(caught.value)
    assert snapshot(out) == before and siblings(out) == []


def test_second_process_building_into_the_same_folder_stops_with_a_clear_message(corpus_copy,
                                                                                 previous):
    out, before = previous
    hold = ("import sys; from pathlib import Path; from teiedition.build import exclusive\n"
            "with exclusive(Path(sys.argv[1])):\n    print('holding', flush=True); sys.stdin.read()")
    holder = subprocess.Popen([sys.executable, "-c", hold, str(out)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        second = subprocess.run([sys.executable, "-m", "teiedition", "build", "text", "--no-validate",
                                 str(corpus_copy), "--out", str(out)], capture_output=True, text=True)
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    assert second.returncode == 1
    message = second.stderr.strip()
    assert "\n" not in message and "another build is writing this folder" in message
    assert snapshot(out) == before and siblings(out) == []


def test_leftovers_of_a_killed_build_are_removed_and_other_outputs_spared(corpus_copy, previous):
    out, _before = previous
    staging = out.parent / ".out.k1ll3d_x.tmp"
    retired = out.parent / ".out.old-4242"
    other = out.parent / ".out.site.abcdefgh.tmp"  # a staging folder of an output named 'out.site'
    for folder in (staging, retired, other):
        folder.mkdir()
        (folder / "half-written.html").write_text("<p>half")
    builder.build([corpus_copy], out, ["text"], jobs=1, validate=False)
    assert not staging.exists() and not retired.exists()
    assert other.exists()


def test_output_folder_gets_the_mode_of_a_plain_mkdir_not_a_private_temp_folder(corpus_copy,
                                                                                tmp_path):
    out = tmp_path / "fresh"
    old = os.umask(0o022)
    try:
        builder.build([corpus_copy], out, ["text"], jobs=1, validate=False)
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o755


@pytest.mark.parametrize("where", ["file", "corpus", "parent-of-corpus", "working-folder", "symlink"])
def test_output_folder_that_would_swallow_the_corpus_or_a_file_is_refused(tmp_path, corpus_copy,
                                                                          monkeypatch, where):
    monkeypatch.chdir(tmp_path)
    out = {"file": tmp_path / "a-file", "corpus": corpus_copy, "parent-of-corpus": tmp_path,
           "working-folder": Path("."), "symlink": tmp_path / "link"}[where]
    if where == "file":
        out.write_text("not a folder\n")
    if where == "symlink":
        (tmp_path / "real").mkdir()
        out.symlink_to(tmp_path / "real")
    before = snapshot(tmp_path)
    result = CliRunner().invoke(main, ["build", "text", str(corpus_copy), "--no-validate",
                                       "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("build stopped: ") and len(result.stderr.splitlines()) == 1
    assert snapshot(tmp_path) == before


def test_output_folder_that_cannot_be_created_gives_one_line(tmp_path, corpus_copy):
    (tmp_path / "plain-file").write_text("x")
    result = CliRunner().invoke(main, ["build", "text", str(corpus_copy), "--no-validate",
                                       "--out", str(tmp_path / "plain-file" / "out")])
    assert result.exit_code == 1
    assert result.stderr.startswith("build stopped: ") and len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.output


def _children(pid: int) -> set[int]:
    """The processes whose parent is pid (read from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if entry.name.isdigit() and int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc (Linux)")
def test_terminated_build_says_nothing_changed_and_exits_143(corpus_copy, previous):
    """SIGTERM (kill, a cancelled CI job) cleans up as Ctrl-C does: no staging folder is left
    beside the output, the PDF's process ends, and the previous output stands."""
    out, before = previous
    (corpus_copy / "documents" / "letter-1.xml").write_text(
        (corpus_copy / "documents" / "letter-1.xml").read_text().replace("Dear", "Changed"))
    command = [sys.executable, "-m", "teiedition", "build", "text", "pdf", str(corpus_copy),
               "--no-validate", "--out", str(out), "--quiet"]
    build = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    for _ in range(600):  # until the build writes into its staging folder (the PDF takes seconds)
        if siblings(out) or build.poll() is not None:
            break
        time.sleep(0.05)
    children = _children(build.pid)
    assert build.poll() is None and siblings(out) and children, "the build ended too soon"
    build.terminate()
    _, stderr = build.communicate(timeout=120)
    assert build.returncode == 143
    assert stderr.strip() == "terminated; nothing was changed"
    assert snapshot(out) == before and siblings(out) == []
    assert not any(_alive(pid) for pid in children)


def test_a_site_failing_while_pagefind_runs_leaves_the_tree_and_no_thread_behind(monkeypatch,
                                                                                corpus_copy,
                                                                                previous):
    """pagefind indexes the pages while the rest of the site is written; should that fail, the
    build waits for pagefind's runs before it removes the staging folder, and reports one line."""
    import threading

    from teiedition import search_index, site

    out, before = previous
    started = []
    start = search_index.start

    def recording(*arguments, **options):
        started.append(start(*arguments, **options))
        return started[-1]

    def disk_full(*arguments):
        raise OSError(28, "No space left on device")

    threads = threading.active_count()
    monkeypatch.setattr(search_index, "start", recording)
    monkeypatch.setattr(site, "_write_citation_files", disk_full)
    with pytest.raises(builder.BuildFailed, match="No space left on device"):
        builder.build([corpus_copy], out, ["html"], jobs=1, validate=False)
    assert len(started) == 1 and all(run.done() for run in started[0].runs)
    assert threading.active_count() == threads
    assert snapshot(out) == before
    assert siblings(out) == []
