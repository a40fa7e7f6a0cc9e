"""Shared test fixtures: repository paths, and the edition built once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEI = ROOT / "tei"
DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_c5a588f108b3ad1e.txt"
TEI_ALL = SHARED / "schemas" / "tei_all.rng"


def require_tool(name: str) -> str:
    """The path of a command-line tool, or skip with the reason printed."""
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (make install-test installs it)")
    return found


@pytest.fixture(scope="session")
def built_edition(tmp_path_factory) -> Path:
    """The real edition built once (site, text, PDF) through the library's build(); its out folder."""
    from teiedition.build import build

    out = tmp_path_factory.mktemp("edition") / "build"
    build([TEI], out, jobs=2)
    return out


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """Only the HTML site of the real edition, built once; its site/ folder."""
    from teiedition.build import build

    out = tmp_path_factory.mktemp("site") / "build"
    build([TEI], out, targets=["html"], jobs=2)
    return out / "site"
