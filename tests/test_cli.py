"""The command line surface: help texts, the README's command reference, exit statuses."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from click.testing import CliRunner
from conftest import ROOT

from teiedition.cli import main

START, END = "<!-- cli-reference:start -->", "<!-- cli-reference:end -->"


def help_text(*command: str) -> str:
    result = CliRunner().invoke(main, [*command, "--help"], terminal_width=100,
                                prog_name="teiedition")
    assert result.exit_code == 0, result.output
    return result.output.rstrip() + "\n"


def cli_reference() -> str:
    parts = ["```text\n$ teiedition --help\n" + help_text() + "```\n"]
    for name in sorted(main.commands):
        parts.append(f"### `teiedition {name}`\n\n```text\n$ teiedition {name} --help\n"
                     + help_text(name) + "```\n")
    return "\n".join(parts)


def test_readme_command_reference_matches_the_real_help_output():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    expected = f"{START}\n{cli_reference()}{END}"
    if os.environ.get("TEIEDITION_REGEN_README"):
        readme = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: expected, readme,
                        flags=re.S)
        (ROOT / "README.md").write_text(readme, encoding="utf-8")
    assert expected in readme, ("README command reference is stale: run "
                                "TEIEDITION_REGEN_README=1 pytest tests/test_cli.py")


def test_every_command_is_listed_in_the_main_help():
    text = help_text()
    for name in ("validate", "build", "serve", "cite", "show", "ids"):
        assert re.search(rf"^\s+{name}\s", text, re.M), name


def test_version_is_printed():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert re.match(r"teiedition, version \d+\.\d+", result.output)


def test_unknown_option_is_a_usage_error_with_exit_status_2():
    result = CliRunner().invoke(main, ["validate", "--no-such-option"])
    assert result.exit_code == 2
    assert "No such option" in result.output


def test_help_does_not_import_the_heavy_libraries():
    code = ("import sys; from teiedition.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('lxml', 'saxonche', 'weasyprint', 'xmlschema') "
            "if m in sys.modules))")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout
    assert output.strip().splitlines()[-1] == "[]"


def test_a_diagnostic_stays_one_line_whatever_the_file_name():
    from teiedition.diagnostics import error

    line = error("tei/odd\nname.xml", 3, "first\nsecond", "xml.wellformed").format()
    assert "\n" not in line
    assert line == "tei/odd\\nname.xml:3:0: error: first second [xml.wellformed]"


def test_readme_states_the_plain_text_policy_of_the_text_and_print_docs():
    docs = (ROOT / "docs" / "text-and-print.md").read_text(encoding="utf-8")
    policy = docs.split("## Plain text policy", 1)[1].split("Golden files in", 1)[0].strip()
    assert policy in (ROOT / "README.md").read_text(encoding="utf-8"), (
        "README's plain text policy differs from docs/text-and-print.md: copy it over")
