"""The PDF target builds in a process of its own, beside the others: the build reports it as if it
had run in turn (the same diagnostics, in the same order; one line when it fails) and the output
folder changes only when every target has finished."""

from __future__ import annotations

import multiprocessing
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from teiedition import build as builder
from teiedition.cli import main
from teiedition.diagnostics import InvalidCorpus

FIXTURE = Path(__file__).resolve().parent / "data" / "text"


def snapshot(root: Path) -> dict[str, tuple]:
    entries = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        content = path.read_bytes() if stat.S_ISREG(info.st_mode) else None
        entries[path.relative_to(root).as_posix()] = (info.st_ino, content)
    return entries


@pytest.fixture()
def staged(tmp_path) -> Path:
    """The text fixture with an element that neither text.xsl nor print.xsl handles."""
    copy = tmp_path / "corpus"
    shutil.copytree(FIXTURE, copy)
    document = copy / "documents" / "doc-9.2.xml"
    document.write_text(document.read_text(encoding="utf-8").replace(
        "<p>Secret.</p>", "<p>Secret <stage>aside</stage>.</p>"), encoding="utf-8")
    return copy


@pytest.fixture()
def started(monkeypatch) -> list:
    """The target processes started while the test runs (apart.Apart), in order."""
    from teiedition import apart

    processes = []
    spawn = apart.Apart.__init__

    def recording(self, target):
        spawn(self, target)
        processes.append(self)

    monkeypatch.setattr(apart.Apart, "__init__", recording)
    return processes


def test_pdf_failure_is_one_line_and_leaves_the_output_as_it_was(staged, tmp_path):
    out = tmp_path / "out"
    builder.build([staged], out, ["text"], jobs=1, validate=False)
    before = snapshot(out)
    result = CliRunner().invoke(main, ["build", "text", "pdf", str(staged), "--no-validate", "--out",
                                       str(out), "--pdf-variant", "pdf/x-9", "--quiet"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "pdf/x-9" in lines[0] and lines[0].endswith(f"{out} was not changed")
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["corpus", ".out.lock", "out"])
    assert multiprocessing.active_children() == []


def test_warnings_of_the_pdf_process_join_the_others_as_if_run_in_turn(staged, tmp_path):
    out = tmp_path / "out"
    result = builder.build([staged], out, ["text", "pdf"], jobs=1, validate=False)
    unhandled = [d.message for d in result.diagnostics if d.rule == "render.unhandled"]
    assert unhandled == ["<stage> has no rule in text.xsl, print.xsl; rendered as its text"]
    assert (out / "edition.pdf").read_bytes().startswith(b"%PDF")
    # The text built again, the PDF reused: its stored warnings join the text's the same way.
    (out / "text" / "edition.txt").unlink()
    again = builder.build([staged], out, ["text", "pdf"], jobs=1, validate=False)
    assert again.diagnostics == result.diagnostics


def test_pdf_process_ends_when_validation_stops_the_build(staged, tmp_path):
    broken = staged / "documents" / "doc-9.1.xml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("</TEI>", "<TEI/></TEI>"),
                      encoding="utf-8")
    with pytest.raises(InvalidCorpus):
        builder.build([staged], tmp_path / "out", ["text", "pdf"], jobs=1)
    assert multiprocessing.active_children() == []
    assert not (tmp_path / "out").exists()


def test_script_without_a_main_guard_can_build_the_pdf(staged, tmp_path):
    """The PDF's process is a new interpreter: it does not run the calling script again."""
    out = tmp_path / "out"
    script = tmp_path / "make_edition.py"
    script.write_text("from teiedition import build\n"
                      f"print(build.build([{str(staged)!r}], {str(out)!r}, ['pdf'], validate=False).out)\n",
                      encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [str(out)]
    assert (out / "edition.pdf").read_bytes().startswith(b"%PDF")


def test_the_pdf_process_asks_the_main_process_for_the_parts_and_lays_out_the_same_book(
        staged, tmp_path, monkeypatch):
    """The main process runs print.xsl for the PDF's process: the body ahead, with the job, then
    each part the layout asks for, the final HTML while the indexes are laid out; the book is the
    one laid out in a single process."""
    from teiedition import paged, pdf

    made = []
    run = paged._made

    def recording(corpus_file, part, *pages):
        made.append(part)
        return run(corpus_file, part, *pages)

    monkeypatch.setattr(paged, "_made", recording)
    out = tmp_path / "out"
    result = builder.build([staged], out, ["pdf"], jobs=1, validate=False)
    assert made == ["body", "index", "all", "front"]  # the final HTML asked ahead of the front
    unhandled = [d.message for d in result.diagnostics if d.rule == "render.unhandled"]
    assert unhandled == ["<stage> has no rule in print.xsl; rendered as its text"]
    from teiedition import corpus

    pdf.write(corpus.find_files([staged]), tmp_path / "alone.html", tmp_path / "alone.pdf")
    assert (out / "edition.pdf").read_bytes() == (tmp_path / "alone.pdf").read_bytes()
    assert (out / "print" / "edition.html").read_text() == (tmp_path / "alone.html").read_text()

    # The PDF reused (only the text's width changed): the main process makes no part of it.
    made.clear()
    builder.build([staged], out, ["text", "pdf"], jobs=1, validate=False, options={"width": 60})
    assert made == []


def test_the_main_process_builds_its_own_targets_once_the_layout_has_every_part(
        staged, tmp_path, monkeypatch):
    """Both cores lay the book out (halves.py) while the main process only answers; the main
    process builds the text while the PDF is written. The diagnostics keep the order of targets
    built in turn."""
    from teiedition import paged, text

    events = []
    run, build_text = paged._made, text.build

    def recording(corpus_file, part, *pages):
        events.append(part)
        return run(corpus_file, part, *pages)

    def building_text(context):
        events.append("text")
        build_text(context)

    monkeypatch.setattr(paged, "_made", recording)
    monkeypatch.setattr(text, "build", building_text)
    result = builder.build([staged], tmp_path / "out", ["text", "pdf"], jobs=2, validate=False)
    assert events == ["body", "index", "all", "front", "text"]
    unhandled = [d.message for d in result.diagnostics if d.rule == "render.unhandled"]
    assert unhandled == ["<stage> has no rule in text.xsl, print.xsl; rendered as its text"]


def test_a_build_with_nothing_to_do_ends_the_pdf_process_the_command_started(staged, tmp_path,
                                                                          started):
    from teiedition import apart

    out = tmp_path / "out"
    arguments = ["build", "text", "pdf", str(staged), "--no-validate", "--out", str(out), "--quiet"]
    assert CliRunner().invoke(main, arguments).exit_code == 0
    assert CliRunner().invoke(main, arguments).exit_code == 0  # the previous build stands
    assert len(started) == 2 and apart._started == {}
    assert all(process.process.poll() is not None for process in started)


@pytest.mark.parametrize("failure", ["render", "disk"])
def test_a_part_the_main_process_cannot_make_stops_the_build_and_ends_the_pdf_process(
        staged, tmp_path, monkeypatch, started, failure):
    from teiedition import paged
    from teiedition.render import RenderError

    run = paged._made
    raised, expected = {
        "render": (RenderError("print.xsl: the index cannot be made"), RenderError),
        "disk": (OSError(28, "No space left on device"), builder.BuildFailed),
    }[failure]

    def failing(corpus_file, part, *pages):
        if part == "index":
            raise raised
        return run(corpus_file, part, *pages)

    monkeypatch.setattr(paged, "_made", failing)
    out = tmp_path / "out"
    builder.build([staged], out, ["text"], jobs=1, validate=False)
    before = snapshot(out)
    with pytest.raises(expected, match="the index cannot be made|No space left on device"):
        builder.build([staged], out, ["text", "pdf"], jobs=1, validate=False)
    assert snapshot(out) == before
    assert len(started) == 1 and started[0].process.poll() is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["corpus", ".out.lock", "out"])


def test_without_an_interpreter_to_start_the_pdf_is_built_in_turn(staged, tmp_path, monkeypatch):
    """Embedded Python (no sys.executable): no process is started; the book is the same."""
    from teiedition import apart, corpus, pdf

    started = []
    monkeypatch.setattr(apart.Apart, "__init__", lambda self, target: started.append(target))
    monkeypatch.setattr(sys, "executable", "")
    out = tmp_path / "out"
    result = builder.build([staged], out, ["text", "pdf"], jobs=1, validate=False)
    assert started == []
    unhandled = [d.message for d in result.diagnostics if d.rule == "render.unhandled"]
    assert unhandled == ["<stage> has no rule in text.xsl, print.xsl; rendered as its text"]
    pdf.write(corpus.find_files([staged]), tmp_path / "alone.html", tmp_path / "alone.pdf")
    assert (out / "edition.pdf").read_bytes() == (tmp_path / "alone.pdf").read_bytes()


# The target's side of the exchange, as the PDF's layout has it for a large book: questions asked
# ahead and long (the mention pages of thousands of mentions), answers long too (HTML); each far
# longer than a pipe holds.
CROSSING = """
import pickle, sys
questions, answers = sys.stdin.buffer, sys.stdout.buffer
job, fingerprint, ready = pickle.load(questions)
for number in range(3):
    pickle.dump(("ask", ("part", number, "m-1=1 " * 100_000)), answers)
    answers.flush()
got = [pickle.load(questions) for number in range(3)]
pickle.dump(("quiet", None), answers)
answers.flush()
pickle.dump(("done", [len(answer) for answer in got]), answers)
answers.flush()
"""


def test_long_questions_and_long_answers_cross_without_either_side_waiting_forever(tmp_path,
                                                                                   monkeypatch):
    """Both sides write more than a pipe holds at once: the build answers in a thread of its own,
    so that it goes on reading the target's questions while the target has not read its answers."""
    import threading

    from teiedition import apart, paged
    from teiedition.context import BuildContext

    class Answers:
        def __init__(self, context):
            pass

        def ready(self):
            return {"body": "<html/>"}

        def answer(self, question):
            return "<p/>" * 250_000

        def close(self):
            pass

    monkeypatch.setattr(paged, "Answers", Answers)
    target = apart.Apart("pdf", [sys.executable, "-c", CROSSING])
    outcome = []

    def exchange():
        target.start(BuildContext([], tmp_path, None, 1))
        target.answer_until_quiet()
        outcome.append(target.finish())

    running = threading.Thread(target=exchange, daemon=True)
    running.start()
    running.join(60)
    stuck = running.is_alive()
    target.stop()  # a stuck exchange fails once the target has ended
    running.join(10)
    assert not stuck, "the build and the target waited for each other"
    assert outcome == [[1_000_000] * 3]
    assert target.writer is None
