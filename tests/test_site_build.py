"""How the html target runs: worker processes give the same pages, and the preview server serves them."""

from __future__ import annotations

import socket
import threading
import urllib.error
import urllib.request

import pytest
from click.testing import CliRunner
from site_helpers import FIXTURE, build_site

from teiedition import site as site_module
from teiedition.cli import main
from teiedition.serve import server, url_of


def test_pages_rendered_in_worker_processes_equal_those_rendered_in_one(tmp_path, monkeypatch):
    sequential, _ = build_site(FIXTURE, tmp_path / "one")
    monkeypatch.setattr(site_module, "PARALLEL_THRESHOLD", 1)
    from teiedition.build import build

    build([FIXTURE], tmp_path / "two", targets=["html"], jobs=2)
    parallel = tmp_path / "two" / "site"
    for name in ("doc-1.html", "doc-2.html", "doc-3.html"):
        assert (parallel / name).read_bytes() == (sequential / name).read_bytes()


def test_preview_server_serves_the_site_and_refuses_what_is_not_there(tmp_path):
    site, _ = build_site(FIXTURE, tmp_path / "build")
    http_server = server(site)
    threading.Thread(target=http_server.serve_forever, daemon=True).start()
    try:
        base = url_of(http_server)
        assert base.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(base + "doc-1.html") as response:
            assert response.headers["Content-Type"].startswith("text/html")
            assert b'id="doc-1-p1"' in response.read()
        with urllib.request.urlopen(base + "pagefind/pagefind-ui.js") as response:
            assert response.headers["Content-Type"].startswith("text/javascript")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base + "../../etc/passwd")
        assert refused.value.code == 404
    finally:
        http_server.shutdown()
        http_server.server_close()


def test_serve_on_a_taken_port_is_one_line_and_exit_status_2(tmp_path):
    build_site(FIXTURE, tmp_path / "build")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--out", str(tmp_path / "build"),
                                           "--port", str(port)])
    assert result.exit_code == 2
    assert result.output.strip().startswith(f"cannot serve on 127.0.0.1:{port}:")
    assert len(result.output.strip().splitlines()) == 1


def test_serve_without_a_built_site_says_what_to_do(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--out", str(tmp_path / "nothing")])
    assert result.exit_code == 2
    assert "run 'teiedition build html' first" in result.output
