"""Shared by the mapping tests: a fixture folder read and mapped with a preset outline,
a passage found by its opening words, and a generated corpus."""

import subprocess
import sys
from pathlib import Path

from writer.config.outline import find_preset, load_outline
from writer.mapping.scoring import map_corpus
from writer.sources.ingest import ingest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROOT = FIXTURES.parent.parent


def generated_corpus(folder: Path, articles: int, seed: int) -> Path:
    """A realistic corpus of ``articles`` articles made by the benchmark's generator into ``folder``."""
    made = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "make_corpus.py"), str(articles), str(folder), "--seed", str(seed)],
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    return folder


def map_folder(folder: Path, preset: str = "三个引领"):
    """(corpus, mapping) of one fixture folder (or file) under the preset outline."""
    corpus = ingest([folder])
    return corpus, map_corpus(corpus, load_outline(find_preset(preset)))


def passage(corpus, start: str):
    """The one passage opening with ``start`` (a test fails if there are none or several)."""
    hits = [p for _, _, p in corpus.iter_passages() if p.text.startswith(start)]
    assert len(hits) == 1, start
    return hits[0]


def assignment(mapped, start: str):
    """Where the one passage opening with ``start`` went, in ``mapped`` = (corpus, mapping)."""
    corpus, mapping = mapped
    return mapping.assignment(passage(corpus, start).id)
