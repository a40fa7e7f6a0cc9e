"""Bad input through the real CLI: one line naming the file, exit 1 or 2, never a traceback."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import DATA, TEI_ALL

from teiedition.cli import main
from teiedition.corpus import display_path

BAD = DATA / "bad-input"
ROOT_SCHEMA = DATA.parents[1] / "schema" / "tei-edition.xsd"


def validate(*arguments: str):
    result = CliRunner().invoke(main, ["validate", *arguments])
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


@pytest.mark.parametrize("name, location, rule, words", [
    ("malformed.xml", "5:15", "xml.wellformed", "Opening and ending tag mismatch"),
    ("not-tei.xml", "2:0", "xml.root", "root element is <html> in namespace"),
    ("no-namespace.xml", "2:0", "xml.root", "root element is <TEI> in no namespace"),
    ("empty.xml", "1:0", "xml.wellformed", "file is empty"),
    ("binary.xml", "1:0", "xml.encoding", "binary file"),
    ("latin1.xml", "3:0", "xml.encoding", "not UTF-8 text (byte 0xe9"),
    ("external-entity.xml", "2:0", "xml.doctype", "DOCTYPE declaration refused"),
    ("external-dtd.xml", "2:0", "xml.doctype", "DOCTYPE declaration refused"),
    ("bomb.xml", "2:0", "xml.doctype", "DOCTYPE declaration refused"),
])
def test_unreadable_file_gives_one_line_with_file_and_line(name, location, rule, words):
    result = validate(str(BAD / name))
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    assert line.startswith(f"{display_path(BAD / name)}:{location}: error: ")
    assert words in line and line.endswith(f"[{rule}]")
    assert result.stderr.strip() == "1 file checked: 1 error(s), 0 warning(s)"


def test_external_entity_is_never_read():
    result = validate("--format", "json", str(BAD / "external-entity.xml"))
    assert "root:" not in result.stdout  # /etc/passwd's first line
    assert '"rule": "xml.doctype"' in result.stdout


def test_bad_files_never_reach_jing():
    if not TEI_ALL.is_file():
        pytest.skip(f"{TEI_ALL} is absent")
    result = validate("--schema", str(TEI_ALL), str(BAD / "external-entity.xml"),
                      str(BAD / "bomb.xml"))
    assert result.exit_code == 1
    assert [line.rsplit("[", 1)[1] for line in result.stdout.splitlines()] == [
        "xml.doctype]", "xml.doctype]"]


def test_bad_file_among_good_ones_still_checks_the_others():
    result = validate(str(DATA / "valid"), str(BAD / "malformed.xml"))
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 1
    assert "7 files checked: 1 error(s)" in result.stderr


def test_missing_path_exits_2(tmp_path):
    missing = tmp_path / "nowhere"
    result = validate(str(missing))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"{missing}:0:0: error: no such file or folder [input.missing]\n"


def test_folder_without_xml_exits_2(tmp_path):
    (tmp_path / "notes.txt").write_text("not XML")
    result = validate(str(tmp_path))
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(str(tmp_path)) and "folder holds no .xml file" in line


def test_unknown_option_is_a_usage_error_with_status_2():
    result = validate("--no-such-option", str(DATA / "valid"))
    assert result.exit_code == 2
    assert "No such option" in result.stderr


def test_directory_given_as_schema_is_refused(tmp_path):
    result = validate("--schema", str(tmp_path), str(DATA / "valid"))
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


def test_bad_input_under_the_shipped_schema_path_too():
    result = validate("--schema", str(ROOT_SCHEMA), str(BAD / "latin1.xml"))
    assert result.exit_code == 1
    assert result.stdout.strip().endswith("[xml.encoding]")
