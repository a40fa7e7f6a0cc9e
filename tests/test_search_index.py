"""pagefind's bundle is put in one canonical order, so two runs over the same pages are identical."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from teiedition.search_index import UnknownBundle, canonicalise


def bundle_bytes(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_pagefind_runs_over_the_same_pages_give_identical_bundles(built_site, tmp_path):
    bundles = []
    for run in ("one", "two"):
        site = tmp_path / run
        shutil.copytree(built_site, site, ignore=shutil.ignore_patterns("pagefind"))
        subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--silent"],
                       check=True, capture_output=True)
        canonicalise(site / "pagefind")
        bundles.append(bundle_bytes(site / "pagefind"))
    assert bundles[0] == bundles[1]
    assert any(name.startswith("filter/") for name in bundles[0])


def test_a_bundle_of_an_unknown_layout_is_a_one_line_error(tmp_path):
    (tmp_path / "pagefind-entry.json").write_text('{"languages": {"en": {"hash": "en_x"}}}')
    with pytest.raises(UnknownBundle, match="canonical order"):
        canonicalise(tmp_path)
