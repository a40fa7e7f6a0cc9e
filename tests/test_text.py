"""The plain-text target: golden files, wrapping, endnotes, gaps, choices, and the build and CLI paths."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from teiedition import corpus, text
from teiedition.build import build
from teiedition.cli import main

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "data" / "text"
GOLDEN = HERE / "golden" / "text"
# TEIEDITION_REGEN_GOLDEN=1 rewrites the golden files from the current output; review the diff.
REGENERATE = os.environ.get("TEIEDITION_REGEN_GOLDEN") == "1"


def fixture_texts(width: int) -> dict[str, str]:
    return text.render_texts(corpus.find_files([FIXTURE]), width)


@pytest.mark.parametrize("width", [72, 40, 0])
def test_text_outputs_match_golden_files(width):
    texts = fixture_texts(width)
    assert sorted(texts) == ["doc-9.1.txt", "doc-9.2.txt", "edition.txt"]
    for name, produced in texts.items():
        golden = GOLDEN / f"w{width}" / name
        if REGENERATE:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(produced, encoding="utf-8")
        assert golden.is_file(), f"{golden} missing: run with TEIEDITION_REGEN_GOLDEN=1"
        assert produced == golden.read_text(encoding="utf-8"), f"{name} at width {width} differs"


def test_real_edition_text_outputs_match_golden_files():
    texts = text.render_texts(corpus.find_files([HERE.parent / "tei"]), text.DEFAULT_WIDTH)
    folder = GOLDEN / "edition"
    if REGENERATE:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for name, produced in texts.items():
            (folder / name).write_text(produced, encoding="utf-8")
    assert sorted(texts) == sorted(p.name for p in folder.glob("*.txt")), \
        f"{folder}: files differ; run with TEIEDITION_REGEN_GOLDEN=1 and review the diff"
    for name, produced in texts.items():
        assert produced == (folder / name).read_text(encoding="utf-8"), f"edition {name} differs"


def test_no_line_is_longer_than_the_width_unless_it_is_one_word():
    for produced in fixture_texts(40).values():
        for line in produced.splitlines():
            assert len(line) <= 40 or len(line.split()) == 1 or line.startswith("Supercal"), line


def test_header_block_names_number_title_date_sender_recipient_and_source():
    header = fixture_texts(72)["doc-9.1.txt"].split("\n\n")[0]
    assert header.splitlines()[:6] == [
        "Number:    9.1",
        "Title:     Letter from Ann Alpha to Boris Beta",
        "Date:      10 April 1953",
        "Type:      Letter",
        "Sender:    Ann Alpha (Sofia)",
        "Recipient: Boris Beta",
    ]
    assert "Source:    Test Relations. Documents 1941–1953 [Тестовые" in header


def test_notes_become_numbered_endnotes_after_their_document():
    produced = fixture_texts(0)["doc-9.1.txt"]
    body, notes = produced.split("\nNotes\n")
    assert "in Sofia.[1] He said" in body and "Everyone waited.[2]" in body
    assert notes.strip().splitlines() == [
        "[1] The reception at the Hungarian embassy; see Beta's own account.",
        "[2] Short note.",
    ]


def test_gap_is_rendered_as_bracketed_ellipsis_inline_and_as_a_block():
    produced = fixture_texts(0)["doc-9.2.txt"]
    assert "\n[…]\n" in produced
    assert "TASS was there. […]" in fixture_texts(0)["doc-9.1.txt"]


def test_choice_gives_the_editorial_reading_then_the_source_reading():
    produced = fixture_texts(0)["doc-9.1.txt"]
    assert "which he called Truth [sic: Truht]." in produced
    assert "Czechoslovakia (ČSR) [orig.: Czechoslovakia] thought" in produced


def test_line_break_survives_whitespace_normalisation():
    produced = fixture_texts(0)["doc-9.2.txt"]
    assert "never-break-at-all words\nafter a line break, and Alfa again." in produced


def test_list_items_hang_under_their_label():
    produced = fixture_texts(40)["doc-9.1.txt"]
    item = produced[produced.index("1. It is"):produced.index("2. Everyone")]
    continuation = item.splitlines()[1:]
    assert continuation and all(line.startswith("   ") and line[3] != " " for line in continuation)


def test_edition_text_has_title_block_contents_and_every_document():
    produced = fixture_texts(72)["edition.txt"]
    assert produced.startswith("Letters of the Small Test Edition\n" + "=" * 33 + "\n")
    assert "9.1  Letter from Ann Alpha to Boris Beta (10 April 1953)" in produced
    assert produced.count("=" * 72) == 2
    assert produced.index("Number:    9.1") < produced.index("Number:    9.2")


words = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"),
                                       blacklist_characters="\ue000\ue001\ue002\ue00f"),
                min_size=1, max_size=30)


@settings(max_examples=150, deadline=None)
@given(st.lists(words, min_size=1, max_size=60), st.integers(min_value=1, max_value=100),
       st.sampled_from(["", "1. \ue000", "[12] \ue000", "Source:    \ue000"]))
def test_wrapping_never_splits_a_word_or_loses_a_character(items, width, prefix):
    line = prefix + " ".join(items)
    wrapped = text.wrap(line, width)
    assert wrapped.split() == line.replace("\ue000", "").split()
    for produced in wrapped.splitlines():
        assert len(produced) <= width or len(produced.split()) <= 1 + len(prefix.split())


def test_build_writes_one_text_per_document_and_one_for_the_edition(tmp_path):
    result = build([FIXTURE], tmp_path / "build", targets=["text"], validate=False,
                   options={"width": 72})
    written = sorted(p.name for p in (result.out / "text").iterdir())
    assert written == ["doc-9.1.txt", "doc-9.2.txt", "edition.txt"]
    assert (result.out / "text" / "edition.txt").read_text(encoding="utf-8") == fixture_texts(72)[
        "edition.txt"]


def test_cli_width_option_reaches_the_text(tmp_path):
    out = tmp_path / "build"
    runner = CliRunner()
    result = runner.invoke(main, ["build", "text", str(FIXTURE), "--out", str(out), "--no-validate",
                                  "--width", "0", "--quiet"])
    assert result.exit_code == 0, result.output
    produced = (out / "text" / "doc-9.1.txt").read_text(encoding="utf-8")
    assert produced == fixture_texts(0)["doc-9.1.txt"]


def test_unhandled_element_is_rendered_as_its_text_and_reported_once(tmp_path):
    copy = tmp_path / "corpus"
    shutil.copytree(FIXTURE, copy)
    document = copy / "documents" / "doc-9.2.xml"
    source = document.read_text(encoding="utf-8")
    document.write_text(source.replace("<p>Secret.</p>",
                                       "<p>Secret <stage>aside</stage> and <stage>again</stage>.</p>"),
                        encoding="utf-8")
    result = build([copy], tmp_path / "build", targets=["text"], validate=False)
    produced = (result.out / "text" / "doc-9.2.txt").read_text(encoding="utf-8")
    assert "Secret aside and again." in produced
    unhandled = [d for d in result.diagnostics if d.rule == "render.unhandled"]
    assert len(unhandled) == 1
    assert unhandled[0].path.endswith("doc-9.2.xml") and unhandled[0].line > 0
    assert "<stage>" in unhandled[0].message


def fixture_with_element_in_both_documents(tmp_path, element: str) -> Path:
    """A copy of the fixture with element added to both documents, first in doc-9.1.xml at line 39."""
    copy = tmp_path / "corpus"
    shutil.copytree(FIXTURE, copy)
    for name, old in (("doc-9.1.xml", "Everyone waited."), ("doc-9.2.xml", "<p>Secret.</p>")):
        document = copy / "documents" / name
        source = document.read_text(encoding="utf-8")
        document.write_text(source.replace(old, f"{old}{element}", 1), encoding="utf-8")
    return copy


def test_unhandled_element_is_reported_once_per_name_in_a_build_at_its_first_occurrence(tmp_path):
    copy = fixture_with_element_in_both_documents(tmp_path, "<stage>aside</stage>")
    result = build([copy], tmp_path / "build", targets=["text", "pdf"], validate=False)
    unhandled = [d for d in result.diagnostics if d.rule == "render.unhandled"]
    assert [d.message for d in unhandled] == [
        "<stage> has no rule in text.xsl, print.xsl; rendered as its text"]
    assert unhandled[0].path.endswith("doc-9.1.xml")
    assert unhandled[0].line == 39


def test_an_element_no_target_renders_gets_one_warning_naming_every_stylesheet(tmp_path):
    copy = fixture_with_element_in_both_documents(tmp_path, "<damage>worn</damage>")
    result = build([copy], tmp_path / "build", targets=["html", "text", "pdf"], validate=False)
    unhandled = [d for d in result.diagnostics if d.rule == "render.unhandled"]
    assert [d.message for d in unhandled] == [
        "<damage> has no rule in html.xsl, text.xsl, print.xsl; rendered as its text"]
    assert unhandled[0].path.endswith("doc-9.1.xml") and unhandled[0].line == 39
    assert "worn" in (result.out / "site" / "doc-9.1.html").read_text(encoding="utf-8")


def test_private_use_characters_in_the_tei_survive_the_line_markers(tmp_path):
    copy = tmp_path / "corpus"
    shutil.copytree(FIXTURE, copy)
    private = "".join(chr(code) for code in range(0xE000, 0xE012)) + "\ue010a"
    document = copy / "documents" / "doc-9.2.xml"
    document.write_text(document.read_text(encoding="utf-8").replace(
        "<p>Secret.</p>", f"<p>Secret{private}.</p>"), encoding="utf-8")
    texts = text.render_texts(corpus.find_files([copy]), 0)
    assert f"Secret{private}." in texts["doc-9.2.txt"]
    assert texts["doc-9.1.txt"] == fixture_texts(0)["doc-9.1.txt"]


def reading_words(path: Path) -> list[str]:
    """A document's words in reading order as every output gives them: no notes, no sic or orig."""
    tree = corpus.parse(path)
    text_element = tree.getroot().find(f"{corpus.TEI}text")
    etree.strip_elements(text_element, corpus.TEI + "note", with_tail=False)
    for choice in text_element.iter(corpus.TEI + "choice"):
        etree.strip_elements(choice, corpus.TEI + "sic", corpus.TEI + "orig", with_tail=False)
    for line_break in text_element.iter(corpus.TEI + "lb"):
        if line_break.get("break") != "no":
            line_break.tail = " " + (line_break.tail or "")
    return words_of("".join(text_element.itertext()))


def words_of(text: str) -> list[str]:
    """Words without note calls ([3]) or punctuation, for comparing outputs with the TEI."""
    text = re.sub(r"\[\d+\]", " ", text)
    return [w for w in (re.sub(r"[^\w]", "", token) for token in text.split()) if w]


def missing_in_order(expected: list[str], produced: list[str]) -> list[str]:
    """The expected words that do not appear, in order, within the produced ones."""
    position, missing = 0, []
    for word in expected:
        try:
            position = produced.index(word, position) + 1
        except ValueError:
            missing.append(word)
    return missing


def real_documents() -> list[Path]:
    found = [p for p in sorted((HERE.parent / "tei").rglob("*.xml"))
             if corpus.kind_of(corpus.parse(p).getroot()) == "document"]
    assert found, "the edition has no documents"
    return found


def test_every_word_of_every_real_document_is_in_its_text_in_order(built_edition):
    for path in real_documents():
        identifier = corpus.parse(path).getroot().get(corpus.XML_ID)
        produced = (built_edition / "text" / f"{identifier}.txt").read_text(encoding="utf-8")
        missing = missing_in_order(reading_words(path), words_of(produced))
        assert not missing, f"{identifier}: words missing or out of order: {missing[:10]}"


def test_every_word_of_the_fixture_is_in_its_text_in_order():
    texts = fixture_texts(40)
    for path in sorted((FIXTURE / "documents").glob("*.xml")):
        produced = words_of(texts[f"{path.stem}.txt"])
        assert missing_in_order(reading_words(path), produced) == []


class Recorder:
    """The part of a build context a renderer reports to."""

    def __init__(self):
        self.diagnostics = []

    def report(self, diagnostic):
        self.diagnostics.append(diagnostic)


def test_real_edition_has_a_rule_for_every_element_in_text_and_print():
    from teiedition import paged

    sources = corpus.find_files([HERE.parent / "tei"])
    recorder = Recorder()
    text.render_texts(sources, 72, recorder)
    paged.paged_html(sources, recorder)
    unhandled = [d.format() for d in recorder.diagnostics
                 if d.rule == "render.unhandled"]
    assert unhandled == []
