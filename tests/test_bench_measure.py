"""The benchmark's measurements (bench/measure.py): a figure taken over several runs."""

from __future__ import annotations

import importlib.util
import sys

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("bench_measure", ROOT / "bench" / "measure.py")
measure = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = measure  # dataclasses look their module up while the file loads
_spec.loader.exec_module(measure)


def test_median_of_runs_the_command_each_time_after_before_and_gives_the_middle_run(tmp_path):
    counter = tmp_path / "runs"
    counter.write_text("")
    command = [sys.executable, "-c", f"open({str(counter)!r}, 'a').write('r')"]
    calls = []
    figure = measure.median_of("appending", command, 5, lambda: calls.append(counter.read_text()))
    assert counter.read_text() == "rrrrr"
    assert calls == ["", "r", "rr", "rrr", "rrrr"]  # before() ahead of each run, in turn
    assert figure.ok and figure.label == "appending" and figure.status == 0
    fastest, slowest = (float(part.split()[-2]) for part in figure.note.split(";")[1].split(","))
    assert figure.note.startswith("median of 5;") and fastest <= round(figure.seconds, 2) <= slowest


def test_median_of_reports_a_failing_run_as_the_figure():
    figure = measure.median_of("failing", [sys.executable, "-c", "raise SystemExit(3)"], 3)
    assert not figure.ok and "exit 3" in figure.skipped
