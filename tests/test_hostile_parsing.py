"""Hostile input at the parsing stage: entities, DTDs, XInclude, network, bombs, nesting, encodings."""

from __future__ import annotations

import ast
import http.server
import resource
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA, ROOT
from lxml import etree

from teiedition import corpus, render
from teiedition.cli import main

HOSTILE = DATA / "hostile"
PARSING = HOSTILE / "parsing"
SECRET_MARKERS = ("HOSTILE-SECRET-7f3a", "HOSTILE-SECRET-DTD-91c2", "root:x:0:0")

# Every fixture that must be refused before any tree is built: (file, rule id, words of the message).
REFUSED = {
    "external-entity-file.xml": ("xml.doctype", "DOCTYPE declaration refused"),
    "external-entity-absolute.xml": ("xml.doctype", "DOCTYPE declaration refused"),
    "external-parameter-entity.xml": ("xml.doctype", "DOCTYPE declaration refused"),
    "external-dtd.xml": ("xml.doctype", "DOCTYPE declaration refused"),
    "network-entity.xml": ("xml.doctype", "DOCTYPE declaration refused"),
    "network-dtd.xml": ("xml.doctype", "DOCTYPE declaration refused"),
    "billion-laughs.xml": ("xml.doctype", "DOCTYPE declaration refused"),
    "quadratic-blowup.xml": ("xml.doctype", "DOCTYPE declaration refused"),
    "doctype-lowercase.xml": ("xml.doctype", "DOCTYPE declaration refused"),
    "doctype-utf7.xml": ("xml.encoding", "encoding 'UTF-7' refused"),
    "doctype-iso-2022-jp.xml": ("xml.encoding", "encoding 'ISO-2022-JP' refused"),
    "latin1-mislabelled.xml": ("xml.encoding", "encoding 'ISO-8859-1' refused"),
    "deep-nesting.xml": ("xml.wellformed", "nested deeper than 256 levels"),
    "undeclared-entity.xml": ("xml.wellformed", "Entity 'nbsp' not defined"),
}

IDENTITY_TEXT = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="text"/>
  <xsl:template match="/">[<xsl:value-of select="."/>]</xsl:template>
</xsl:stylesheet>
"""


def test_every_refused_fixture_is_in_the_hostile_folder():
    on_disk = {p.name for p in PARSING.glob("*.xml")}
    assert set(REFUSED) <= on_disk
    assert on_disk - set(REFUSED) == {"xinclude.xml"}  # parses: the include is simply never followed


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_file_is_refused_by_parse_with_its_rule(name):
    rule, words = REFUSED[name]
    with pytest.raises(corpus.ParseFailure) as caught:
        corpus.parse(PARSING / name)
    diagnostic = caught.value.diagnostic
    assert (diagnostic.rule, diagnostic.severity) == (rule, "error")
    assert words in diagnostic.message
    assert diagnostic.line >= 1
    assert "\n" not in diagnostic.format()
    assert not any(marker in diagnostic.format() for marker in SECRET_MARKERS)


def test_validate_reports_one_line_per_hostile_file_and_no_traceback(tmp_path):
    result = CliRunner().invoke(main, ["validate", str(PARSING)])
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if "/xinclude.xml:" not in line]
    assert len(lines) == len(REFUSED)
    # The include is parsed, never followed, and the schema refuses it where it stands.
    assert any("/xinclude.xml:" in line and "include" in line and line.endswith("[xsd]")
               for line in result.stdout.splitlines())
    for line, name in zip(lines, sorted(REFUSED), strict=True):
        rule, _words = REFUSED[name]
        assert line.startswith(f"{PARSING / name}:") or f"/{name}:" in line
        assert line.endswith(f"[{rule}]")
    assert "Traceback" not in result.output
    assert not any(marker in result.output for marker in SECRET_MARKERS)


@pytest.mark.parametrize("name", ["external-entity-file.xml", "billion-laughs.xml",
                                  "doctype-utf7.xml", "deep-nesting.xml"])
def test_build_without_validation_still_refuses_and_writes_nothing(tmp_path, name):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "html", "--no-validate", str(PARSING / name),
                                       "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    message = result.stderr.strip()
    assert "\n" not in message and message.endswith(f"[{REFUSED[name][0]}]")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_hostile_folder_is_rejected_within_bounded_memory(tmp_path):
    """A million levels of nesting and every bomb, checked under a 1 GiB address-space limit."""
    deep = tmp_path / "million-levels.xml"
    deep.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0">' + "<hi>" * 1_000_000
                    + "x" + "</hi>" * 1_000_000 + "</TEI>")

    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    completed = subprocess.run([sys.executable, "-m", "teiedition", "validate", str(PARSING), str(deep)],
                               capture_output=True, text=True, preexec_fn=limit_memory, cwd=ROOT)
    assert completed.returncode == 1, completed.stderr
    assert "Traceback" not in completed.stderr and "MemoryError" not in completed.stderr
    assert f"{deep}:1:" in completed.stdout and "nested deeper than 256 levels" in completed.stdout
    refused = [line for line in completed.stdout.splitlines() if "/xinclude.xml:" not in line]
    assert len(refused) == len(REFUSED) + 1


@pytest.mark.parametrize(("size", "what"), [("text", "a text node longer than 10 MB"),
                                            ("attribute", "attribute value longer than 10 MB")])
def test_oversized_text_and_attribute_values_are_refused(size, what):
    filler = "x" * 11_000_000
    body = f"<p>{filler}</p>" if size == "text" else f'<p rend="{filler}"/>'
    data = f'<TEI xmlns="{corpus.TEI_NS}"><text><body>{body}</body></text></TEI>'.encode()
    with pytest.raises(corpus.ParseFailure) as caught:
        corpus.parse(Path("oversized.xml"), data)
    assert what in caught.value.diagnostic.message
    assert caught.value.diagnostic.rule == "xml.wellformed"


def test_xinclude_is_parsed_but_never_followed():
    tree = corpus.parse(PARSING / "xinclude.xml")
    text = "".join(tree.getroot().itertext())
    assert "before" in text and "after" in text
    assert not any(marker in text for marker in SECRET_MARKERS)
    assert tree.getroot().find(".//{http://www.w3.org/2001/XInclude}include") is not None


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - the name http.server calls
        self.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"HOSTILE-SECRET-7f3a from the network")

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    """A server on localhost that records every request made to it; yields its base URL."""
    _Recorder.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.requests
    server.shutdown()
    server.server_close()


def _declaring(tmp_path: Path, declaration: str, body: str) -> Path:
    """A file that declares entities, written next to a copy of the secret it names."""
    (tmp_path / "secret.txt").write_text((HOSTILE / "secret.txt").read_text())
    (tmp_path / "secret.dtd").write_text((HOSTILE / "secret.dtd").read_text())
    path = tmp_path / "declaring.xml"
    path.write_text(f'<?xml version="1.0"?>\n{declaration}\n<TEI xmlns="{corpus.TEI_NS}"><text><body>'
                    f"<p>before {body} after</p></body></text></TEI>")
    return path


def test_the_parser_itself_reads_no_entity_dtd_or_network(tmp_path, local_server):
    """Defence in depth: even without the DOCTYPE check, lxml's configured parser reads nothing."""
    base, requests = local_server
    for declaration, body in [
        ('<!DOCTYPE TEI [<!ENTITY s SYSTEM "secret.txt">]>', "&s;"),
        ('<!DOCTYPE TEI SYSTEM "secret.dtd">', "&leak;"),
        ('<!DOCTYPE TEI [<!ENTITY % d SYSTEM "secret.dtd"> %d;]>', "&leak;"),
        (f'<!DOCTYPE TEI [<!ENTITY r SYSTEM "{base}/entity">]>', "&r;"),
        (f'<!DOCTYPE TEI SYSTEM "{base}/tei.dtd">', ""),
    ]:
        path = _declaring(tmp_path, declaration, body)
        try:
            root = etree.parse(str(path), corpus.parser()).getroot()
        except (etree.XMLSyntaxError, OSError) as exc:  # OSError: 'Attempt to load network entity'
            assert not any(marker in str(exc) for marker in SECRET_MARKERS)
            continue
        assert not any(marker in "".join(root.itertext()) for marker in SECRET_MARKERS)
    assert requests == []


@pytest.fixture
def identity_text(tmp_path) -> Path:
    stylesheet = tmp_path / "identity-text.xsl"
    stylesheet.write_text(IDENTITY_TEXT)
    return stylesheet


@pytest.mark.parametrize(("declaration", "body"), [
    ('<!DOCTYPE TEI [<!ENTITY s SYSTEM "secret.txt">]>', "&s;"),
    ('<!DOCTYPE TEI [<!ENTITY s SYSTEM "file:///etc/passwd">]>', "&s;"),
    ('<!DOCTYPE TEI SYSTEM "secret.dtd">', "&leak;"),
    ('<!DOCTYPE TEI [<!ENTITY % d SYSTEM "secret.dtd"> %d;]>', "&leak;"),
])
def test_saxon_transform_does_not_read_a_file_named_by_an_entity(tmp_path, identity_text,
                                                                 declaration, body):
    """render.py's Saxon is configured not to resolve: the transform drops or refuses the entity."""
    path = _declaring(tmp_path, declaration, body)
    try:
        text = render.render(identity_text, path)
    except render.RenderError as exc:
        assert not any(marker in str(exc) for marker in SECRET_MARKERS)
        return
    assert text.startswith("[before") and text.endswith("after]")
    assert not any(marker in text for marker in SECRET_MARKERS)


def test_saxon_transform_makes_no_network_request(tmp_path, identity_text, local_server):
    base, requests = local_server
    for declaration in (f'<!DOCTYPE TEI [<!ENTITY r SYSTEM "{base}/entity">]>',
                        f'<!DOCTYPE TEI SYSTEM "{base}/tei.dtd">'):
        path = _declaring(tmp_path, declaration, "&r;" if "ENTITY" in declaration else "")
        try:
            render.render(identity_text, path)
        except render.RenderError:
            pass
    assert requests == []


def test_saxon_does_not_follow_xinclude(identity_text):
    text = render.render(identity_text, PARSING / "xinclude.xml")
    assert "before" in text and "after" in text
    assert not any(marker in text for marker in SECRET_MARKERS)


def test_saxon_stops_an_entity_bomb_with_an_error(identity_text):
    with pytest.raises(render.RenderError) as caught:
        render.render(identity_text, PARSING / "billion-laughs.xml")
    assert "entity" in str(caught.value).lower()


def test_only_render_creates_a_saxon_processor():
    """Saxon settings are per processor here: any other PySaxonProcessor would resolve entities."""
    creators = []
    for module in sorted((ROOT / "src" / "teiedition").glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) \
                    == "PySaxonProcessor":
                creators.append(module.name)
    assert creators == ["render.py"]
