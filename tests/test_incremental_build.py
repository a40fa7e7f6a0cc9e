"""Incremental builds: a rebuild reuses what unchanged input made, rebuilds what a change touches,
and always equals a clean build of the same input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import TEI

from teiedition import build as builder
from teiedition import cache, manifest, search_index, site_index
from teiedition.validation import check_corpus, result_from_json, result_to_json

CHANGED = "doc-4.3"


def files(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


def stable(name: str) -> bool:
    """Outputs that must be byte-identical between builds of the same input: all but .cache/ and
    the manifest (which lists it); the search index too, put in canonical order (search_index)."""
    return not name.startswith(".cache/") and name != manifest.FILE_NAME


def assert_same_as_clean(out: Path, corpus: Path, tmp_path: Path, targets, validate=True) -> None:
    clean = tmp_path / "clean"
    builder.build([corpus], clean, targets, jobs=1, validate=validate, use_cache=False)
    built, expected = files(out), files(clean)
    assert {n for n in built if stable(n)} == {n for n in expected if stable(n)}
    different = [n for n in expected if stable(n) and built[n].read_bytes() != expected[n].read_bytes()]
    assert different == []


# Small files every build writes afresh: copying them costs less than deciding not to.
ALWAYS_WRITTEN = ("site/assets/", "site/sitemap.xml")


def inodes(root: Path) -> dict[str, int]:
    return {name: path.stat().st_ino for name, path in files(root).items() if stable(name)
            and not name.startswith(ALWAYS_WRITTEN)}


@pytest.fixture()
def corpus(tmp_path) -> Path:
    copy = tmp_path / "tei"
    shutil.copytree(TEI, copy)
    return copy


def revise_first_paragraph(path: Path) -> None:
    """Add a word to the first paragraph of the text: the page changes, the site index does not."""
    text = path.read_text(encoding="utf-8")
    marker = f'<p xml:id="{path.stem}-p1">'
    assert marker in text
    path.write_text(text.replace(marker, marker + "Revised. ", 1), encoding="utf-8")


def rewritten_by_a_revision(corpus: Path, out: Path, jobs: int) -> set[str]:
    """Build the site, revise the first paragraph of CHANGED, build again: the files written anew."""
    builder.build([corpus], out, ["html"], jobs=jobs)
    before = inodes(out)
    revise_first_paragraph(corpus / "documents" / f"{CHANGED}.xml")
    builder.build([corpus], out, ["html"], jobs=jobs)
    after = inodes(out)
    return {name for name in after if before.get(name) != after[name]}


def test_rebuild_with_nothing_changed_reuses_every_output(corpus, tmp_path):
    out = tmp_path / "out"
    builder.build([corpus], out, ["html", "text"], jobs=1)
    before = inodes(out)
    builder.build([corpus], out, ["html", "text"], jobs=1)
    # The same files (hard links of the previous build's), not files written again.
    assert inodes(out) == before


def test_one_changed_document_rebuilds_its_page_and_nothing_else(corpus, tmp_path):
    out = tmp_path / "out"
    rewritten = rewritten_by_a_revision(corpus, out, jobs=1)
    # The edition is small enough for one search index, which pagefind makes again.
    assert {n for n in rewritten if not n.startswith("site/pagefind/")} == \
        {f"site/{CHANGED}.html", f"site/tei/{CHANGED}.xml"}
    assert "Revised." in (out / "site" / f"{CHANGED}.html").read_text(encoding="utf-8")
    assert_same_as_clean(out, corpus, tmp_path, ["html"])


def search_folder(name: str) -> str:
    """The search shard a file of the site belongs to: pagefind or pagefind-shards/<n>."""
    parts = name.split("/")
    return "/".join(parts[1:3]) if parts[1] == search_index.SHARDS else parts[1]


def test_one_changed_document_indexes_only_its_search_shard_again(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(search_index, "shard_count", lambda pages: 3)
    out = tmp_path / "out"
    rewritten = rewritten_by_a_revision(corpus, out, jobs=2)
    layout = dict(search_index.plan([f"doc-4.{n}.html" for n in range(1, 8)], 3))
    shard = next(folder for folder, names in layout.items() if f"{CHANGED}.html" in names)
    assert len(layout) == 3 and shard != search_index.PRIMARY
    assert {search_folder(n) for n in rewritten if n.startswith("site/pagefind")} == {shard}
    assert f"site/{shard}/fragment" in {n.rsplit("/", 1)[0] for n in rewritten}
    assert_same_as_clean(out, corpus, tmp_path, ["html"])


def cited_documents(monkeypatch) -> list[str]:
    """The documents each later build renders citations for (the real renderer, watched)."""
    cited: list[str] = []
    render = site_index._site_citations

    def watched(sources):
        found = render(sources)
        cited.extend(sorted(found))
        return found
    monkeypatch.setattr(site_index, "_site_citations", watched)
    return cited


def test_changed_text_keeps_the_documents_citations(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    builder.build([corpus], out, ["html"], jobs=1)
    cited = cited_documents(monkeypatch)
    revise_first_paragraph(corpus / "documents" / f"{CHANGED}.xml")
    builder.build([corpus], out, ["html"], jobs=1)
    assert cited == []  # a citation is made from the header: the text alone changed
    assert_same_as_clean(out, corpus, tmp_path, ["html"])


def test_changed_header_renders_the_documents_citations_again(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    builder.build([corpus], out, ["html"], jobs=1)
    cited = cited_documents(monkeypatch)
    path = corpus / "documents" / f"{CHANGED}.xml"
    text = path.read_text(encoding="utf-8")
    start = text.index('<title type="main">') + len('<title type="main">')
    path.write_text(text[:start] + "Amended: " + text[start:], encoding="utf-8")
    builder.build([corpus], out, ["html"], jobs=1)
    assert cited == [CHANGED]
    assert "Amended:" in (out / "site" / "cite" / f"{CHANGED}.bib").read_text(encoding="utf-8")
    assert_same_as_clean(out, corpus, tmp_path, ["html"])


def test_changed_register_entry_rebuilds_pages_that_show_it(corpus, tmp_path):
    out = tmp_path / "out"
    builder.build([corpus], out, ["html", "text"], jobs=1)
    register = corpus / "registers" / "persons.xml"
    text = register.read_text(encoding="utf-8")
    assert "Razin" in text
    register.write_text(text.replace("Razin", "Razinsky"), encoding="utf-8")
    builder.build([corpus], out, ["html", "text"], jobs=1)
    assert "Razinsky" in (out / "site" / "persons.html").read_text(encoding="utf-8")
    assert_same_as_clean(out, corpus, tmp_path, ["html", "text"])


def test_changed_document_title_rebuilds_its_neighbours_and_corpus_pages(corpus, tmp_path):
    out = tmp_path / "out"
    builder.build([corpus], out, ["html"], jobs=1)
    path = corpus / "documents" / f"{CHANGED}.xml"
    text = path.read_text(encoding="utf-8")
    start = text.index('<title type="main">') + len('<title type="main">')
    path.write_text(text[:start] + "Amended: " + text[start:], encoding="utf-8")
    builder.build([corpus], out, ["html"], jobs=1)
    assert "Amended:" in (out / "site" / "index.html").read_text(encoding="utf-8")
    assert_same_as_clean(out, corpus, tmp_path, ["html"])


def test_removed_document_leaves_no_page_behind(corpus, tmp_path):
    out = tmp_path / "out"
    builder.build([corpus], out, ["html"], jobs=1, validate=False)
    (corpus / "documents" / "doc-4.7.xml").unlink()
    builder.build([corpus], out, ["html"], jobs=1, validate=False)
    assert not (out / "site" / "doc-4.7.html").exists()
    # Other documents point at it: only a build without validation goes on.
    assert_same_as_clean(out, corpus, tmp_path, ["html"], validate=False)


def test_no_cache_builds_every_file_anew(corpus, tmp_path):
    out = tmp_path / "out"
    builder.build([corpus], out, ["html"], jobs=1)
    before = inodes(out)
    builder.build([corpus], out, ["html"], jobs=1, use_cache=False)
    after = inodes(out)
    assert not any(before.get(name) == number for name, number in after.items())
    assert not (out / cache.FOLDER).exists()


def test_damaged_cache_is_a_cache_miss_not_a_wrong_build(corpus, tmp_path):
    out = tmp_path / "out"
    builder.build([corpus], out, ["html"], jobs=1)
    for entry in (out / cache.FOLDER).iterdir():
        entry.write_text("{not json", encoding="utf-8")
    (out / "site" / f"{CHANGED}.html").unlink()  # a previous output gone missing
    builder.build([corpus], out, ["html"], jobs=1)
    assert_same_as_clean(out, corpus, tmp_path, ["html"])


def test_cache_from_other_code_is_ignored(corpus, tmp_path):
    out = tmp_path / "out"
    builder.build([corpus], out, ["html"], jobs=1)
    for ledger in (out / cache.FOLDER).glob("*.json"):
        data = json.loads(ledger.read_text(encoding="utf-8"))
        data["fingerprint"] = "another version of teiedition"
        ledger.write_text(json.dumps(data), encoding="utf-8")
    before = inodes(out)
    builder.build([corpus], out, ["html"], jobs=1)
    assert before[f"site/{CHANGED}.html"] != inodes(out)[f"site/{CHANGED}.html"]


def test_cached_validation_gives_the_same_findings(tmp_path):
    invalid = Path(__file__).parent / "data" / "invalid"
    sources = [TEI, invalid] if invalid.is_dir() else [TEI]
    fresh = check_corpus(sources, jobs=1)
    store = cache.Store("validation", None)
    check_corpus(sources, jobs=1, store=store)
    reread = cache.Store("validation", None)
    reread.old = json.loads(json.dumps(store.new))
    cached = check_corpus(sources, jobs=1, store=reread)
    assert cached.diagnostics == fresh.diagnostics
    assert len(reread.new) == len(store.new) > 0


def test_file_result_survives_its_json_form():
    from teiedition.validation import check_file

    result = check_file(TEI / "documents" / f"{CHANGED}.xml")
    assert result_from_json(json.loads(json.dumps(result_to_json(result)))) == result


def test_output_edited_by_hand_is_built_again_not_reused(corpus, tmp_path):
    out = tmp_path / "out"
    builder.build([corpus], out, ["html"], jobs=1)
    page = out / "site" / f"{CHANGED}.html"
    page.write_text("edited by hand", encoding="utf-8")
    builder.build([corpus], out, ["html"], jobs=1)
    assert page.read_text(encoding="utf-8") != "edited by hand"
    assert_same_as_clean(out, corpus, tmp_path, ["html"])
    listed = json.loads((out / manifest.FILE_NAME).read_text(encoding="utf-8"))["outputs"]
    assert listed[f"site/{CHANGED}.html"]["sha256"] == manifest.checksum(page)
