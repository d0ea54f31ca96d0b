"""Shared test fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def runner():
    from typer.testing import CliRunner

    return CliRunner()


@pytest.fixture(autouse=True, scope="session")
def _hermetic_cache(tmp_path_factory):
    """No test writes a corpus cache into the working tree: the default cache path
    ($WRITER_CACHE) points into pytest's temporary folder, for fixtures of every scope."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WRITER_CACHE", str(tmp_path_factory.getbasetemp() / "writer-cache.sqlite"))
        yield
