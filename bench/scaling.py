"""Benchmark: parsing time against article length (is it linear?).

Builds one article of N characters from a seed (its paragraphs repeated, numbered so
no two are equal), parses it with ``read_document`` + ``parse_document`` and doubles N
a few times.  Linear parsing shows a ratio near 2 per doubling; the issue's bound is
about 2.5.  Also reports the peak memory of parsing one huge single-line file.

Usage:
    python bench/scaling.py                       # 16k, 32k, 64k, 128k characters
    python bench/scaling.py --start 8000 --steps 5
    python bench/scaling.py --line-mb 50          # peak memory of a 50 MB single line (separate process)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_6ef9b5ad5fd7aa5f.txt"


def article(chars: int) -> str:
    paragraphs = [p for p in SEED.read_text(encoding="utf-8").split("\n") if p.strip()]
    head, body = paragraphs[:2], paragraphs[2:]
    out, n, i = list(head), sum(len(p) for p in head), 0
    while n < chars:
        p = body[i % len(body)]
        p = p if i < len(body) else f"{p[:-1]}（第{i}段）{p[-1]}"
        out.append(p)
        n += len(p)
        i += 1
    return "\n\n".join(out) + "\n"


def parse_seconds(path: Path, repeat: int = 3) -> float:
    from writer.sources.reading import read_document
    from writer.sources.structure import parse_document

    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        parse_document(read_document(path))
        best = min(best, time.perf_counter() - t)
    return best


def huge_line_peak_mb(megabytes: int, work: Path) -> float:
    path = work / "line.txt"
    unit = "我院坚持党建引领，推动检察工作高质量发展，"
    reps = megabytes * 1024 * 1024 // len(unit.encode())
    path.write_text(unit * reps + "\n", encoding="utf-8")
    code = (
        "import resource,sys\n"
        "from pathlib import Path\n"
        "from writer.sources.ingest import parse_file\n"
        f"parse_file({str(path)!r})\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--start", type=int, default=16000, help="characters of the first article")
    ap.add_argument("--steps", type=int, default=4, help="how many sizes (each double the last)")
    ap.add_argument("--line-mb", type=int, default=0, help="also measure a single line of this many MB")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        last = None
        print(f"{'字符数':>8} {'秒':>8} {'倍数':>6}")
        for k in range(args.steps):
            chars = args.start * 2**k
            path = work / f"a{chars}.txt"
            path.write_text(article(chars), encoding="utf-8")
            seconds = parse_seconds(path)
            ratio = f"{seconds / last:.2f}" if last else ""
            print(f"{chars:>8} {seconds:>8.3f} {ratio:>6}", flush=True)
            last = seconds
        if args.line_mb:
            print(f"单行 {args.line_mb} MB：峰值内存 {huge_line_peak_mb(args.line_mb, work):.0f} MB")


if __name__ == "__main__":
    main()
