"""The wheel carries every stylesheet and schema folder, so an installed teiedition finds them."""

from __future__ import annotations

import tomllib

from conftest import ROOT


def test_every_stylesheet_and_schema_folder_is_packaged():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = set(config["tool"]["setuptools"]["packages"])
    folders = {"xslt": "teiedition.xslt", "schema": "teiedition.schema"}
    for top, package in folders.items():
        for folder in [ROOT / top, *(p for p in (ROOT / top).rglob("*") if p.is_dir())]:
            if folder.name == "__pycache__":
                continue
            relative = folder.relative_to(ROOT / top).parts
            name = ".".join((package, *relative))
            assert name in packages, f"{folder.relative_to(ROOT)} is not packaged as {name}"
            assert name in config["tool"]["setuptools"]["package-data"], name
