"""manifest.json: the file list a build writes, in the exact bytes json.dumps(indent=1) gives."""

from __future__ import annotations

import json

from teiedition import manifest


def test_manifest_is_written_as_json_with_one_space_indent_and_sorted_keys(tmp_path):
    names = ["index.html", "site/doc \"quoted\".html", "site/ä-umlaut.html", "text/\u2028line.txt",
             "site/tei/b.xml", "site/tei/a.xml"]
    for number, name in enumerate(names):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x" * number)
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "state.json").write_text("{}")
    written = manifest.write(tmp_path).read_text(encoding="utf-8")
    data = json.loads(written)
    assert sorted(data["outputs"]) == sorted(names)
    assert data["outputs"]["site/ä-umlaut.html"] == {"bytes": 2, "sha256": manifest.checksum(
        tmp_path / "site/ä-umlaut.html")}
    assert written == json.dumps(data, indent=1, sort_keys=True) + "\n"


def test_manifest_of_an_empty_tree_is_still_json_dumps(tmp_path):
    written = manifest.write(tmp_path).read_text(encoding="utf-8")
    assert written == json.dumps(json.loads(written), indent=1, sort_keys=True) + "\n"
