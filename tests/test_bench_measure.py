"""The benchmark's measurements and report (bench/measure.py, bench/report.py): a figure taken over
several runs, and what the load average says of the wall times."""

from __future__ import annotations

import importlib.util
import sys

from conftest import ROOT


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file loads
    spec.loader.exec_module(module)
    return module


measure = load("measure")
report = load("report")


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


def test_the_report_says_other_work_stretched_the_wall_times_only_when_the_load_reached_the_cores():
    machine = {"date": "today", "cpu": "cpu", "usable_cores": 2, "cores": 2, "memory_gib": 1,
               "system": "Linux", "python": "3.11", "java": None, "jing": None, "commit": "abc",
               "load": "0.6 0.9 1.0"}
    quiet = report.render(machine, [], ROOT / "tei", "1.2 1.0 1.0")
    busy = report.render(machine, [], ROOT / "tei", "2.3 1.4 1.1")
    assert "0.6 0.9 1.0 at the start, 1.2 1.0 1.0 at the end." in quiet
    assert "other work shared the machine" not in quiet
    assert "2.3 1.4 1.1 at the end: at or above the core count, other work shared" in busy
