"""Each rule: its failing fixture yields exactly its id with file and line; the valid corpus passes."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from conftest import DATA, TEI
from hypothesis import given, settings
from hypothesis import strategies as st

from teiedition import rules, validation
from teiedition.corpus import display_path

VALID = DATA / "valid"
INVALID = DATA / "invalid"
FIXTURES = sorted(INVALID.glob("*.xml"))


def check(*paths: Path):
    return validation.check_corpus(list(paths), jobs=1).diagnostics


def test_valid_mini_corpus_has_no_findings_at_all():
    assert check(VALID) == []


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_failing_fixture_yields_exactly_its_rule_with_file_and_line(fixture):
    found = check(VALID, fixture)
    assert found, f"{fixture.name} yields no diagnostic"
    assert {d.rule for d in found} == {fixture.stem}
    for diagnostic in found:
        assert diagnostic.path == display_path(fixture)
        assert diagnostic.line > 0
        assert "\n" not in diagnostic.format()


def test_every_rule_has_a_failing_fixture():
    assert set(rules.RULES) <= {f.stem for f in FIXTURES}


def test_fixture_severity_matches_the_rule_table():
    for fixture in FIXTURES:
        if fixture.stem in rules.RULES:
            severity = rules.RULES[fixture.stem][0]
            assert {d.severity for d in check(VALID, fixture)} == {severity}, fixture.stem


def test_unknown_ref_is_reported_with_suggestion():
    (found,) = check(VALID, INVALID / "ref.resolves.xml")
    assert "'#levavy'" in found.message and "did you mean '#levavi'?" in found.message
    assert found.line == 26


def test_duplicate_id_names_the_first_use():
    (found,) = check(INVALID / "id.unique.xml")[-1:]
    assert found.rule == "id.unique"
    assert found.line == 27 and found.message.endswith("id.unique.xml:26")


@pytest.mark.parametrize("value, problem", [
    ("1953-02-30", "February 1953 has 28 days"),
    ("1953-02-29", "February 1953 has 28 days"),
    ("1900-02-29", "February 1900 has 28 days"),
    ("1953-04-31", "April 1953 has 30 days"),
    ("1953-13", "months run from 01 to 12"),
    ("4 April 1953", "is not an ISO date"),
    ("53", "is not an ISO date"),
    ("0000", "year 0000"),
])
def test_impossible_dates_are_explained(value, problem):
    assert problem in rules.date_problem(value)


@pytest.mark.parametrize("value", ["1953", "1953-07", "1952-02-29", "2000-02-29", "1953-12-31"])
def test_real_dates_pass(value):
    assert rules.date_problem(value) is None


def test_partial_dates_compare_by_the_days_they_cover(tmp_path):
    # notBefore 1953-07 (from July 1) and notAfter 1953-07-01 (to July 1) overlap: no finding.
    text = (INVALID / "date.range.xml").read_text(encoding="utf-8")
    fixture = tmp_path / "range.xml"
    fixture.write_text(text.replace('notBefore="1953-07-10"', 'notBefore="1953-07"'),
                       encoding="utf-8")
    assert [d for d in check(VALID, fixture) if d.rule == "date.range"] == []


def test_untagged_mention_reports_the_exact_line(tmp_path):
    text = (INVALID / "mention.untagged.xml").read_text(encoding="utf-8")
    fixture = tmp_path / "mention.xml"
    fixture.write_text(text.replace("News came from Moscow today.",
                                    "News came\n          from the east,\n          from "
                                    "<hi>Moscow</hi>, <persName ref=\"#levavi\">and\n"
                                    "          Levavi</persName> said:\n          Tel\n"
                                    "          Aviv."), encoding="utf-8")
    found = [(d.line, d.message.split("'")[1]) for d in check(VALID, fixture)]
    assert found == [(28, "Moscow"), (30, "Tel Aviv")]


def test_letter_needs_both_correspondents_its_category_names():
    (found,) = check(VALID, INVALID / "document.correspondents.xml")
    assert "requires a recipient" in found.message


def test_register_entry_referenced_from_another_file_passes():
    found = check(VALID / "registers", VALID / "documents")
    assert "register.referenced" not in {d.rule for d in found}


def test_encoded_edition_validates_without_errors():
    if not (TEI / "edition.xml").is_file():
        pytest.skip(f"the edition is not encoded yet: {TEI / 'edition.xml'} is absent")
    report = validation.check_corpus([TEI], jobs=1)
    errors = [d.format() for d in report.diagnostics if d.severity == "error"]
    assert errors == []
    assert report.files >= 2


# ------------------------------------------------------------------ the Schematron twin

SCHEMATRON = DATA.parents[1] / "schema" / "tei-edition.sch"


def schematron_rules() -> set[str]:
    from lxml import etree

    tree = etree.parse(str(SCHEMATRON))
    return {a.get("id") for a in tree.iter("{http://purl.oclc.org/dsdl/schematron}assert")}


def run_schematron(*paths: Path) -> list:
    from teiedition import external

    return external.check_corpus(list(paths), SCHEMATRON).diagnostics


def test_schematron_rules_are_rule_ids_of_the_python_rules():
    assert schematron_rules() <= set(rules.RULES)
    assert len(schematron_rules()) == 9


@pytest.mark.parametrize("rule", sorted(schematron_rules()))
def test_schematron_flags_the_same_fixture_with_the_same_rule(rule):
    found = run_schematron(INVALID / f"{rule}.xml")
    assert {d.rule for d in found} == {rule}
    assert {d.severity for d in found} == {rules.RULES[rule][0]}


def test_schematron_passes_the_valid_fixtures_and_the_edition():
    paths = [VALID] + ([TEI] if (TEI / "edition.xml").is_file() else [])
    assert run_schematron(*paths) == []


@settings(max_examples=150, deadline=None)
@given(year=st.integers(1, 2999), month=st.integers(0, 13), day=st.integers(0, 32),
       shape=st.sampled_from(["ymd", "ym", "y"]))
def test_schematron_and_python_agree_on_calendar_dates(year, month, day, shape):
    from lxml import etree

    value = {"ymd": f"{year:04d}-{month:02d}-{day:02d}", "ym": f"{year:04d}-{month:02d}",
             "y": f"{year:04d}"}[shape]
    checker = _compiled_schematron()
    element = etree.fromstring(f'<date xmlns="http://www.tei-c.org/ns/1.0" when="{value}"/>')
    checker.validate(element)
    failed = checker.validation_report.xpath(
        "//svrl:failed-assert[@id = 'date.valid']",
        namespaces={"svrl": "http://purl.oclc.org/dsdl/svrl"})
    assert (not failed) == (rules.date_problem(value) is None), value


@cache
def _compiled_schematron():
    from lxml import etree, isoschematron

    return isoschematron.Schematron(etree.parse(str(SCHEMATRON)), store_report=True)


def test_user_documentation_lists_every_rule():
    text = (DATA.parents[1] / "docs" / "validation.md").read_text(encoding="utf-8")
    missing = [rule for rule in [*rules.RULES, "xsd", "xml.wellformed", "xml.doctype"]
               if f"| `{rule}` |" not in text]
    assert missing == []
