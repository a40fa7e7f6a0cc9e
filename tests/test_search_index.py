"""pagefind's bundle is put in one canonical order, so two runs over the same pages are identical."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from teiedition.search_index import UnknownBundle, canonicalise, plan, shard_count


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


def test_a_small_edition_has_one_index_and_shards_grow_with_the_square_root():
    assert [shard_count(n) for n in (0, 7, 31)] == [1, 1, 1]
    assert [shard_count(n) for n in (32, 100, 1000, 10000, 30000)] == [2, 2, 8, 32, 32]


def members(layout) -> dict[str, set[str]]:
    return {folder: set(names) for folder, names in layout}


def test_adding_one_page_changes_the_members_of_one_shard_only():
    pages = [f"doc-{number}.html" for number in range(1000)]
    before, after = members(plan(pages)), members(plan([*pages, "doc-new.html"]))
    assert len(before) == 8 and set(before) == set(after)
    changed = [folder for folder in after if after[folder] != before[folder]]
    assert len(changed) == 1 and after[changed[0]] - before[changed[0]] == {"doc-new.html"}
    # The first shard is the primary bundle, with pagefind's scripts; the others are merged into it.
    assert plan(pages)[0][0] == "pagefind"
    assert all(folder.startswith("pagefind-shards/") for folder, _names in plan(pages)[1:])
