"""`teiedition validate`: exit statuses, formats, ordering, the XSD's verdict and messages, --schema."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import DATA, ROOT, TEI_ALL, require_tool

from teiedition import corpus, schema, validation
from teiedition.cli import main
from teiedition.diagnostics import InvalidCorpus

VALID = DATA / "valid"
INVALID = DATA / "invalid"
ALL_FIXTURES = sorted(VALID.rglob("*.xml")) + sorted(INVALID.glob("*.xml"))
SCHEMATRON = ROOT / "schema" / "tei-edition.sch"


def shown(path) -> str:
    return corpus.display_path(path)


def run(*arguments: str):
    return CliRunner().invoke(main, ["validate", *arguments])


def test_clean_corpus_exits_0_with_summary_on_stderr():
    result = run(str(VALID))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.strip() == "6 files checked: 0 error(s), 0 warning(s)"


def test_errors_exit_1_one_line_each_sorted_by_file_and_line():
    result = run(str(INVALID / "xsd.xml"), str(INVALID / "date.valid.xml"), str(VALID))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    keys = [(line.split(":")[0], int(line.split(":")[1])) for line in lines]
    assert keys == sorted(keys)
    assert lines[0].endswith("[date.valid]") and lines[1].endswith("[xsd]")


def test_warnings_pass_unless_strict():
    fixture = str(INVALID / "register.referenced.xml")
    assert run(str(VALID), fixture).exit_code == 0
    strict = run("--strict", str(VALID), fixture)
    assert strict.exit_code == 1
    assert "[register.referenced]" in strict.stdout


def test_json_format_carries_the_same_fields():
    result = run("--format", "json", str(VALID), str(INVALID / "ref.resolves.xml"))
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["files"] == 7
    (finding,) = report["diagnostics"]
    assert finding == {"path": finding["path"], "line": 26, "column": 0, "severity": "error",
                       "message": finding["message"], "rule": "ref.resolves"}
    assert finding["path"].endswith("ref.resolves.xml")


def test_quiet_prints_no_summary():
    assert run("-q", str(VALID)).stderr == ""


def test_validate_raises_with_every_diagnostic():
    with pytest.raises(InvalidCorpus) as raised:
        validation.validate([VALID, INVALID / "edition.header.xml"], jobs=1)
    assert [d.rule for d in raised.value.diagnostics] == ["edition.header", "edition.header"]


@pytest.mark.parametrize("fixture", ALL_FIXTURES, ids=[f.name for f in ALL_FIXTURES])
def test_libxml2_and_xmlschema_agree_on_every_fixture(fixture):
    tree = corpus.parse(fixture)
    assert schema.is_valid(tree) == schema.explainer().is_valid(tree)


def test_only_the_schema_fixture_and_bad_dates_fail_the_xsd():
    failing = {f.stem for f in ALL_FIXTURES if not schema.is_valid(corpus.parse(f))}
    assert failing == {"xsd", "date.valid"}


@pytest.mark.parametrize("snippet, message", [
    ('<p xml:id="x-p1">A <bold>word</bold>.</p>',
     "<bold> is not allowed here in TEI/text/body/div/p; expected one of <persName>"),
    ('<p xml:id="x-p1" style="x">A word.</p>', "<p> does not allow attribute @style"),
    ('<p xml:id="x-p1"><persName ref="levavi">L</persName>.</p>',
     "persName/@ref 'levavi' is not a pointer: write '#id' or an absolute URI"),
    ('<p xml:id="x-p1">A <xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="x"/>.</p>',
     "<xi:include> is not allowed here in TEI/text/body/div/p; expected one of"),
    ('<p xml:id="x-p1"><gap reason="lost"/></p>',
     "gap/@reason 'lost' is not one of: omitted-in-source, illegible, editorial, irrelevant"),
])
def test_schema_messages_name_the_element_and_what_is_allowed(tmp_path, snippet, message):
    text = (INVALID / "xsd.xml").read_text(encoding="utf-8")
    fixture = tmp_path / "doc.xml"
    fixture.write_text(text.replace('<p xml:id="{id}-p1">A <bold>bold</bold> word.</p>'
                                    .replace("{id}", "fixture-xsd"), snippet), encoding="utf-8")
    (found,) = schema.check_tree(str(fixture), corpus.parse(fixture))
    assert found.rule == "xsd" and found.line == 26
    assert message in found.message


def test_worker_processes_give_the_same_report_as_one_process(tmp_path):
    corpus = tmp_path / "corpus"
    for number in range(validation.PARALLEL_THRESHOLD + 5):
        copy = corpus / f"doc-{number}.xml"
        copy.parent.mkdir(exist_ok=True)
        text = (INVALID / "date.valid.xml").read_text(encoding="utf-8")
        copy.write_text(text.replace("fixture-date-valid", f"copy-{number}"), encoding="utf-8")
    shutil.copytree(VALID, corpus / "valid")
    serial = validation.check_corpus([corpus], jobs=1)
    parallel = validation.check_corpus([corpus], jobs=2)
    assert serial.diagnostics == parallel.diagnostics
    assert len(serial.diagnostics) == validation.PARALLEL_THRESHOLD + 5


# ------------------------------------------------------------------ --schema FILE

def test_external_xsd_reports_dates_itself():
    result = run("--schema", str(ROOT / "schema" / "tei-edition.xsd"), str(INVALID / "date.valid.xml"))
    assert result.exit_code == 1
    assert result.stdout.strip().endswith("is not a valid date (TEI/text/body/div/p/date) [xsd]")


def test_external_relaxng_reports_file_line_and_column():
    if not TEI_ALL.is_file():
        pytest.skip(f"{TEI_ALL} is absent")
    result = run("--schema", str(TEI_ALL), str(INVALID / "xsd.xml"), str(VALID / "edition.xml"))
    assert result.exit_code == 1, result.stderr
    (line,) = result.stdout.splitlines()
    assert line.startswith(f"{shown(INVALID / 'xsd.xml')}:26:44: error: element \"bold\" not allowed")
    assert line.endswith("[rng]")


def test_external_relaxng_without_jing_uses_lxml(tmp_path, monkeypatch):
    grammar = tmp_path / "tiny.rng"
    grammar.write_text('<element name="TEI" ns="http://www.tei-c.org/ns/1.0" '
                       'xmlns="http://relaxng.org/ns/structure/1.0"><empty/></element>')
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = run("--schema", str(grammar), str(VALID / "edition.xml"))
    assert result.exit_code == 1
    expected = "5:0: error: Did not expect element teiHeader there [rng]"
    assert result.stdout == f"{shown(VALID / 'edition.xml')}:{expected}\n"


def test_external_schematron_reports_rule_ids_and_lines():
    if not SCHEMATRON.is_file():
        pytest.skip(f"{SCHEMATRON} is not written")
    result = run("--schema", str(SCHEMATRON), str(VALID), str(INVALID / "date.range.xml"))
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    assert ":26:0: error: " in line and line.endswith("[date.range]")


@pytest.mark.parametrize("name, content, expected", [
    ("schema.foo", "x", "unknown schema type '.foo'"),
    ("broken.xsd", "<xs:schema", "cannot use this schema"),
    ("broken.sch", "<schema xmlns='http://purl.oclc.org/dsdl/schematron'><oops/></schema>",
     "cannot use this schema"),
    ("broken.rng", "<grammar", "cannot use this schema"),
])
def test_unusable_schema_exits_2_with_one_line(tmp_path, name, content, expected):
    grammar = tmp_path / name
    grammar.write_text(content)
    result = run("--schema", str(grammar), str(VALID / "edition.xml"))
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(str(grammar)) and expected in line


def test_missing_schema_file_exits_2(tmp_path):
    result = run("--schema", str(tmp_path / "none.xsd"), str(VALID))
    assert result.exit_code == 2
    assert "no such schema file" in result.stderr


def test_messages_libxml2_gives_only_in_its_own_words_are_explained_by_xmlschema(tmp_path):
    text = (VALID / "registers" / "places.xml").read_text(encoding="utf-8")
    fixture = tmp_path / "places.xml"
    fixture.write_text(text.replace("<geo>32.08 34.78</geo>", "<geo>north of Jaffa</geo>"),
                       encoding="utf-8")
    (found,) = schema.check_tree(str(fixture), corpus.parse(fixture))
    assert found.line == 24 and found.rule == "xsd"
    assert found.message.startswith("value doesn't match any pattern")
    assert found.message.endswith("(TEI/text/body/listPlace/place[1]/location/geo)")


def test_external_compact_relaxng_goes_through_jing(tmp_path):
    require_tool("jing")
    grammar = tmp_path / "tiny.rnc"
    grammar.write_text('default namespace = "http://www.tei-c.org/ns/1.0"\n'
                       "start = element TEI { empty }\n")
    result = run("--schema", str(grammar), str(VALID / "edition.xml"))
    assert result.exit_code == 1
    assert f"{shown(VALID / 'edition.xml')}:5:14: error: element \"teiHeader\" not allowed" in \
        result.stdout
