"""Editorial readings (choice, sic, del, add) in the HTML and the plain text: one policy, nothing lost."""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from conftest import DATA

from teiedition.cli import main

DOCUMENT = DATA / "readings" / "readings.xml"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    tmp_path = tmp_path_factory.mktemp("readings")
    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "hostile" / "minimal", corpus, ignore=shutil.ignore_patterns("documents"))
    (corpus / "documents").mkdir()
    shutil.copy(DOCUMENT, corpus / "documents" / DOCUMENT.name)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "html", "text", "--no-validate", str(corpus),
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "unhandled" not in result.stderr and "has no rule in" not in result.stderr
    return out


def reading_text(out: Path) -> lxml.html.HtmlElement:
    page = lxml.html.fromstring((out / "site" / "readings.html").read_bytes())
    return page.xpath("//section[@class='reading-text']")[0]


def words(element) -> str:
    return " ".join(element.text_content().split())


@pytest.mark.parametrize(("shown", "other"), [
    ("Minister", "[abbr. Min.]"), ("received", "[orig. recieved]"), ("Truth", "[sic Truht]"),
    ("Eytan", "[or Eitan]")])
def test_html_choice_shows_the_editorial_reading_then_the_other_in_brackets(built, shown, other):
    choices = [words(c) for c in reading_text(built).xpath(".//span[@class='choice']")]
    assert f"{shown} {other}" in choices


def test_html_sic_outside_a_choice_is_marked_sic(built):
    assert "also Moskow [sic]." in words(reading_text(built))


def test_html_deletion_is_struck_through_and_addition_marked(built):
    text = reading_text(built)
    assert [words(d) for d in text.xpath(".//del")] == ["[deleted: tomorrow]"]
    assert text.xpath(".//del/span[@class='visually-hidden']")
    assert [(words(i), i.get("title")) for i in text.xpath(".//ins")] == [
        ("today", "added in the source (above)")]


def test_plain_text_keeps_every_reading_with_the_same_policy(built):
    produced = " ".join((built / "text" / "readings.txt").read_text(encoding="utf-8").split())
    for expected in ["Minister [abbr.: Min.] Sharett", "received [orig.: recieved]",
                     "Truth [sic: Truht]", "also Moskow [sic].",
                     "said [del: tomorrow]today and", "named Eytan[?] [or: Eitan[?]]."]:
        assert expected in produced


def test_print_shows_every_reading_and_keeps_deletions(tmp_path):
    """The print edition follows the same policy: nothing of the source is hidden."""
    from teiedition.paged import paged_html

    corpus = tmp_path / "corpus"
    shutil.copytree(DATA / "hostile" / "minimal", corpus, ignore=shutil.ignore_patterns("documents"))
    (corpus / "documents").mkdir()
    shutil.copy(DOCUMENT, corpus / "documents" / DOCUMENT.name)
    page = lxml.html.fromstring(paged_html(sorted(corpus.rglob("*.xml"))))
    text = words(page)
    for reading in ("Minister [abbr.: Min.]", "received [orig.: recieved]", "Truth [sic: Truht]",
                    "Eytan [or: Eitan]", "Moskow [sic]"):
        assert reading in text
    assert [words(d) for d in page.xpath("//del")] == ["tomorrow"]
