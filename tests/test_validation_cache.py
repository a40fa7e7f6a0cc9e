"""Validation with the register names known first, and with the build cache: same findings, less work."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import DATA

from teiedition import cache, rules, validation

VALID = DATA / "valid"
MENTION = DATA / "invalid" / "mention.untagged.xml"


def mention_corpus(folder: Path, documents: int) -> Path:
    """The valid corpus and copies of the mention fixture, each naming 'Moscow' untagged."""
    shutil.copytree(VALID, folder)
    text = MENTION.read_text(encoding="utf-8")
    for number in range(documents):
        (folder / "documents" / f"mention-{number}.xml").write_text(
            text.replace("fixture-mention-untagged", f"mention-{number}"), encoding="utf-8")
    return folder


def disguise(register: Path) -> None:
    """Still a register, but not one its root start tag's bytes declare: the parser knows it."""
    text = register.read_text(encoding="utf-8")
    register.write_text(text.replace(' type="register"', ' type="&#114;egister"', 1),
                        encoding="utf-8")


def lines(report) -> list[str]:
    return [d.format() for d in report.diagnostics]


@pytest.mark.parametrize("jobs", [1, 2])
def test_register_known_only_once_parsed_still_gives_its_names_to_the_mention_check(tmp_path, jobs):
    documents = validation.PARALLEL_THRESHOLD + 5 if jobs > 1 else 3
    typed = validation.check_corpus([mention_corpus(tmp_path / "typed", documents)], jobs=jobs)
    folder = mention_corpus(tmp_path / "disguised", documents)
    disguise(folder / "registers" / "places.xml")
    disguised = validation.check_corpus([folder], jobs=jobs)
    mentions = [line for line in lines(disguised) if line.endswith("[mention.untagged]")]
    assert len(mentions) == documents
    assert all("'Moscow' names register entry '#moscow'" in line for line in mentions)
    assert [line.replace("/disguised/", "/") for line in lines(disguised)] == \
        [line.replace("/typed/", "/") for line in lines(typed)]


def reread(store: cache.Store) -> cache.Store:
    """The store as the next build reads it back from its JSON file."""
    again = cache.Store("validation", None)
    again.old = json.loads(json.dumps(store.new))
    return again


def test_rebuild_with_nothing_changed_checks_no_file_and_runs_no_rule(tmp_path, monkeypatch):
    folder = mention_corpus(tmp_path / "corpus", 2)
    store = cache.Store("validation", None)
    first = validation.check_corpus([folder], jobs=1, store=store)
    assert any(d.rule == "mention.untagged" for d in first.diagnostics)

    def refuse(*arguments, **options):
        raise AssertionError("checked again although nothing changed")

    monkeypatch.setattr(validation, "check_file", refuse)
    monkeypatch.setattr(rules, "check_corpus", refuse)
    again = validation.check_corpus([folder], jobs=1, store=reread(store))
    assert again.diagnostics == first.diagnostics


def test_rebuild_after_one_changed_document_checks_that_file_only(tmp_path, monkeypatch):
    folder = mention_corpus(tmp_path / "corpus", 2)
    store = cache.Store("validation", None)
    validation.check_corpus([folder], jobs=1, store=store)
    changed = folder / "documents" / "mention-1.xml"
    changed.write_text(changed.read_text(encoding="utf-8").replace(
        "News came from Moscow today.", 'News came from <placeName ref="#moskva">Moscow</placeName>.'),
        encoding="utf-8")
    checked = []
    check_file = validation.check_file
    monkeypatch.setattr(validation, "check_file", lambda path, names=None: checked.append(path)
                        or check_file(path, names))
    again = validation.check_corpus([folder], jobs=1, store=reread(store))
    assert [path.name for path in checked] == ["mention-1.xml"]
    assert lines(again) == lines(validation.check_corpus([folder], jobs=1))
    # The cross-file rules ran again: the new pointer is checked against every file's ids.
    assert any("'#moskva' matches no xml:id" in line for line in lines(again))


def test_changed_register_names_check_unchanged_documents_again(tmp_path):
    folder = mention_corpus(tmp_path / "corpus", 2)
    places = folder / "registers" / "places.xml"
    original = places.read_text(encoding="utf-8")
    places.write_text(original.replace(">Moscow</placeName>", ">Moskva</placeName>"),
                      encoding="utf-8")
    store = cache.Store("validation", None)
    before = validation.check_corpus([folder], jobs=1, store=store)
    assert not any(d.rule == "mention.untagged" for d in before.diagnostics)
    places.write_text(original, encoding="utf-8")  # the documents' bytes are unchanged
    after = validation.check_corpus([folder], jobs=1, store=reread(store))
    assert lines(after) == lines(validation.check_corpus([folder], jobs=1))
    assert sum(d.rule == "mention.untagged" for d in after.diagnostics) == 2


def test_keys_the_caller_read_give_the_same_entries_as_reading_the_files(tmp_path):
    folder = mention_corpus(tmp_path / "corpus", 2)
    store = cache.Store("validation", None)
    read = validation.check_corpus([folder], jobs=1, store=store)
    files = validation.corpus.find_files([folder])
    keys = {str(path): cache.source_key(path, path.read_bytes()) for path in files}
    given = cache.Store("validation", None)
    assert validation.check_corpus(files, jobs=1, store=given, found=True, keys=keys) == read
    assert given.new == store.new


def test_register_known_only_once_parsed_is_cached_with_the_right_names(tmp_path):
    folder = mention_corpus(tmp_path / "corpus", 2)
    disguise(folder / "registers" / "places.xml")
    fresh = validation.check_corpus([folder], jobs=1)
    store = cache.Store("validation", None)
    assert validation.check_corpus([folder], jobs=1, store=store) == fresh
    assert validation.check_corpus([folder], jobs=1, store=reread(store)) == fresh
    assert sum(d.rule == "mention.untagged" for d in fresh.diagnostics) == 2
