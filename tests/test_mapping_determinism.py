"""Mapping gives the same result on every run (no dependence on Python's hash seed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_mapping_is_the_same_whatever_the_hash_seed():
    # Found by the benchmark: ties in a set's order made mapping change from run to run.
    code = (
        "import hashlib\n"
        "from pathlib import Path\n"
        "from writer.sources.ingest import ingest\n"
        "from writer.mapping.scoring import map_corpus\n"
        "from writer.config.outline import load_outline\n"
        "c = ingest([Path('seeds'), Path('tests/fixtures/mapping')])\n"
        "m = map_corpus(c, load_outline(Path('config/outline.yaml')))\n"
        "print(hashlib.sha256(repr(m.assignments).encode()).hexdigest())\n"
    )
    root = Path(__file__).resolve().parent.parent
    outs = set()
    for seed in ("1", "4", "5", "7"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, env=env)
        assert proc.returncode == 0, proc.stderr
        outs.add(proc.stdout.strip())
    assert len(outs) == 1


def test_one_scan_matcher_counts_like_each_terms_own_pattern():
    """The fast matcher must count exactly what each term's own regex counts."""
    from pathlib import Path

    from writer.config.outline import load_outline
    from writer.mapping.scoring import Matcher, _count, section_terms
    from writer.sources.ingest import ingest

    root = Path(__file__).resolve().parent.parent
    corpus = ingest(
        [root / "seeds", root / "tests" / "fixtures" / "mapping", root / "tests" / "fixtures" / "structure"]
    )
    outline = load_outline(root / "config" / "outline.yaml")
    terms = {t.name: t for s in outline.iter_sections() for t in section_terms(s)}
    matcher = Matcher(list(terms.values()))
    for p in corpus.passages():
        got = matcher.counts(p.text)
        for name, t in terms.items():
            assert got.get(name, 0) == _count(t, p.text), (name, p.text[:20])
