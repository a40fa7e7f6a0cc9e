"""Parallel builds give the same output as serial ones; progress is reported per phase, and only to a
terminal."""

from __future__ import annotations

import importlib.util
import sys

import pytest
from click.testing import CliRunner
from conftest import ROOT, TEI

from teiedition import build as builder
from teiedition import corpus, site
from teiedition.cli import main

_spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
generate = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = generate  # dataclasses look their module up while the file loads
_spec.loader.exec_module(generate)


@pytest.fixture(scope="module")
def large_corpus(tmp_path_factory):
    """Just enough documents that the html target renders them in a pool of processes."""
    folder = tmp_path_factory.mktemp("large") / "tei"
    generate.generate(TEI, folder, site.PARALLEL_THRESHOLD + 2)
    return folder


def tree(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_pool_of_workers_renders_the_same_pages_as_one_process(large_corpus, tmp_path):
    options = {"no_search": True}  # pagefind's own indexes are not byte-stable; pages are the point
    builder.build([large_corpus], tmp_path / "one", ["html"], jobs=1, validate=False,
                  options=options, use_cache=False)
    builder.build([large_corpus], tmp_path / "two", ["html"], jobs=2, validate=False,
                  options=options, use_cache=False)
    one, two = tree(tmp_path / "one" / "site"), tree(tmp_path / "two" / "site")
    assert len([n for n in one if n.endswith(".html")]) > site.PARALLEL_THRESHOLD
    assert one.keys() == two.keys()
    assert [n for n in one if one[n] != two[n]] == []


def test_progress_is_reported_per_phase_for_every_file(tmp_path):
    phases: dict[str, list[int]] = {}

    def progress(label, total):
        steps = phases.setdefault(label, [total, 0])
        return lambda step: steps.__setitem__(1, steps[1] + step)

    builder.build([TEI], tmp_path / "out", ["html"], jobs=1, progress=progress)
    files = len(corpus.find_files([TEI]))
    documents = len(list((TEI / "documents").glob("*.xml")))
    assert phases["validating"] == [files, files]
    assert phases["building html"] == [files, documents]


def test_progress_is_reported_for_reused_pages_too(tmp_path):
    out = tmp_path / "out"
    builder.build([TEI], out, ["html"], jobs=1)
    (out / "site" / "about.html").unlink()  # else the build would find out as it left it and stop
    steps = []
    builder.build([TEI], out, ["html"], jobs=1,
                  progress=lambda label, total: (lambda step: steps.append((label, step))))
    assert sum(step for label, step in steps if label == "building html") == \
        len(list((TEI / "documents").glob("*.xml")))


def test_no_progress_bar_when_output_is_not_a_terminal(tmp_path):
    result = CliRunner().invoke(main, ["build", "html", str(TEI), "--out", str(tmp_path / "out"),
                                       "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "%" not in result.output and "building html" not in result.output
    assert result.output.strip().startswith("built html from")


def test_text_rendered_in_parts_equals_text_rendered_in_one_pass(large_corpus):
    from teiedition import text

    sources = corpus.find_files([large_corpus])
    whole = text.render_texts(sources, 72, chunk=len(sources) + 1)
    in_parts = text.render_texts(sources, 72, jobs=2, chunk=7)
    assert len(whole) == len(in_parts) > site.PARALLEL_THRESHOLD
    assert [name for name in whole if whole[name] != in_parts.get(name)] == []


def test_text_of_the_real_edition_in_parts_equals_one_pass():
    from teiedition import text

    sources = corpus.find_files([TEI])
    assert text.render_texts(sources, 60, chunk=2) == text.render_texts(sources, 60, chunk=100)
