"""Foreign TEI: valid TEI from other projects builds without validation, a page per file, nothing dropped."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from conftest import DATA
from lxml import etree

from teiedition.cli import main
from teiedition.corpus import TEI, XML_ID

FOREIGN = DATA / "foreign"
FILES = sorted(FOREIGN.glob("*.xml"))
WARNING = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):\d+: warning: <(?P<name>[\w:.-]+)> .* "
                     r"\[(?P<rule>[\w.-]+)\]$")


@pytest.fixture(scope="module")
def foreign_build(tmp_path_factory) -> tuple[Path, str]:
    """`teiedition build --no-validate tests/data/foreign --out OUT`, the HTML and text targets."""
    out = tmp_path_factory.mktemp("foreign") / "out"
    result = CliRunner().invoke(main, ["build", "html", "text", "--no-validate", str(FOREIGN),
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return out, result.stderr


def words_of(path: Path) -> list[str]:
    """The words of a file's texts, leaving out deletions and the other readings of a choice: every
    output shows them too, but in brackets with a label, so they are checked in test_readings."""
    root = etree.parse(str(path)).getroot()
    texts = [root.find(TEI + "text")] if root.tag == TEI + "TEI" else root.findall(f"{TEI}TEI/{TEI}text")
    words = []
    for text in texts:
        kept = [node for node in text.xpath(".//text()")
                if not node.getparent().xpath("ancestor-or-self::tei:del | ancestor-or-self::tei:choice",
                                              namespaces={"tei": TEI[1:-1]})]
        words.extend(" ".join(kept).split())
    return words


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_foreign_file_gets_a_page_holding_every_word_of_its_text(foreign_build, path):
    out, _stderr = foreign_build
    identifier = etree.parse(str(path)).getroot().get(XML_ID)
    page = out / "site" / f"{identifier}.html"
    assert page.is_file() and page.stat().st_size > 0
    main = lxml.html.fromstring(page.read_bytes()).xpath("//main")[0]
    # A choice shows one reading and offers the other (an expansion, a regularisation) as a tip.
    shown = " ".join([main.text_content(), *main.xpath(".//@title | .//@data-tip")])
    assert [word for word in words_of(path) if word not in " ".join(shown.split())] == []


def test_page_language_follows_the_tei(foreign_build):
    out, _stderr = foreign_build
    languages = {name: lxml.html.fromstring((out / "site" / f"{name}.html").read_bytes()).get("lang")
                 for name in ("ketubah-fragment", "jing-ye-si", "iliad-1-1", "brief-1847-03-12")}
    assert languages == {"ketubah-fragment": "he", "jing-ye-si": "zh-Hant", "iliad-1-1": "grc",
                         "brief-1847-03-12": "de"}


def test_unknown_elements_are_reported_once_per_name_with_file_and_line(foreign_build):
    _out, stderr = foreign_build
    warnings = [WARNING.match(line) for line in stderr.splitlines() if ": warning: " in line]
    assert warnings and all(warnings)
    per_file = Counter((w["rule"], w["path"], w["name"]) for w in warnings)
    assert [key for key, count in per_file.items() if count > 1] == []
    html = Counter(w["name"] for w in warnings if w["rule"] == "render.unhandled")
    assert [name for name, count in html.items() if count > 1] == []
    names = {w["name"] for w in warnings if w["rule"] == "render.unhandled"}
    assert {"app", "lem", "rdg"} <= names  # the apparatus is shown as its text, and said so
    for warning in warnings:
        source = Path(warning["path"])
        root = etree.parse(str(source)).getroot()
        lines = {e.sourceline for e in root.iter(TEI + warning["name"])}
        assert int(warning["line"]) in lines, warning.group(0)


def test_plain_text_holds_every_foreign_document(foreign_build):
    out, _stderr = foreign_build
    edition = " ".join((out / "text" / "edition.txt").read_text(encoding="utf-8").split())
    missing = {path.name: [w for w in words_of(path) if w not in edition][:5] for path in FILES}
    assert {name: words for name, words in missing.items() if words} == {}
