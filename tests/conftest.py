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


def soffice_convert(source: Path, outdir: Path, target: str = "pdf", *, timeout: int = 240) -> Path:
    """Convert ``source`` with LibreOffice headless (a private profile under ``outdir``'s
    parent) and return the converted file's path; the assertion carries soffice's output."""
    import subprocess

    filter_ext = target.split(":", 1)[0]
    profile = (outdir.parent / f"profile-{outdir.name}").as_uri()
    run = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", target,
         "--outdir", str(outdir), str(source)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )  # fmt: skip
    converted = outdir / f"{source.stem}.{filter_ext}"
    assert converted.is_file(), run.stdout + run.stderr
    return converted
