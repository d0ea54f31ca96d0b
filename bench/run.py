"""Benchmark: ingestion (cold and warm cache), mapping and drafting at several corpus sizes.

Every measurement runs in a fresh Python process (what a user waits for includes
start-up and imports); peak memory is that process's maximum resident set, and
the largest worker's when parsing ran in parallel.  Results go to bench/RESULTS.md.

Usage:
    python bench/run.py                      # sizes 100, 1000, 10000
    python bench/run.py --sizes 100,1000     # choose sizes
    python bench/run.py --work /tmp/bench    # where corpora and caches go (default: a temp folder)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
ENV = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
OUTLINE = ROOT / "config" / "outline.yaml"


# ---------------------------------------------------------------- in the child process


def child(mode: str, folder: str, cache: str) -> None:
    """Run one measured job and print its numbers as JSON (runs in a fresh process)."""
    import resource

    t0 = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    from writer.sources.ingest import ingest

    store = None
    if cache != "none":
        from writer.sources.cache import CorpusCache

        store = CorpusCache(cache)
    corpus = ingest([Path(folder)], cache=store)
    t_ingest = time.perf_counter() - t0
    out = {
        "files": len(corpus.sources),
        "articles": sum(len(s.articles) for s in corpus.sources),
        "passages": sum(1 for _ in corpus.iter_passages()),
        "ingest_s": t_ingest,
        "parsed": len(store.stats.parsed) if store else None,
        "reused": len(store.stats.reused) if store else None,
        "cache_notices": [n.message for n in store.notices] if store else [],
    }
    if mode == "map":
        from writer.config.outline import load_outline
        from writer.mapping.scoring import map_corpus

        t1 = time.perf_counter()
        mapping = map_corpus(corpus, load_outline(OUTLINE))
        out["map_s"] = time.perf_counter() - t1
        out["assigned"] = sum(1 for a in mapping.assignments if a.section)
    out["jieba_loaded"] = "jieba" in sys.modules
    out["maxrss_mb"] = _peak_rss_mb()
    out["worker_maxrss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(out))


def _peak_rss_mb() -> float:
    """This process's peak resident memory.  VmHWM rather than ru_maxrss: on Linux
    ru_maxrss survives exec, so a child would report its (bigger) parent's peak."""
    import resource

    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- in the parent


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True)
    return time.perf_counter() - t0, proc


def job(mode: str, folder: Path, cache: Path | str) -> dict:
    wall, proc = timed([PY, __file__, "--child", mode, str(folder), str(cache)])
    if proc.returncode:
        raise SystemExit(f"{mode} on {folder} failed:\n{proc.stderr}")
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    data["wall_s"] = wall
    return data


def has_draft() -> bool:
    _, proc = timed([PY, "-m", "writer", "draft", "--help"])
    return proc.returncode == 0


def draft(folder: Path, cache: Path | None, work: Path) -> dict:
    """`python -m writer draft` as a user runs it (outline: config/outline.yaml)."""
    out = work / "draft-out"
    out.mkdir(parents=True, exist_ok=True)
    cmd = [PY, "-m", "writer", "draft", str(folder), "--outline", str(OUTLINE), "--out", str(out), "--force"]
    cmd += ["--cache", str(cache)] if cache else ["--no-cache"]
    wall, proc = timed(cmd, cwd=work)
    if proc.returncode not in (0, 1):  # 1: drafted with warnings under --strict-like policies
        return {"wall_s": None, "error": (proc.stderr or proc.stdout).strip().splitlines()[-1:]}
    return {"wall_s": wall}


def median_wall(cmd: list[str], runs: int = 3, cwd: Path | None = None) -> float:
    return statistics.median(timed(cmd, cwd)[0] for _ in range(runs))


def run_size(n: int, work: Path, with_draft: bool) -> dict:
    sys.path.insert(0, str(ROOT))
    from bench.make_corpus import make_corpus

    folder = work / f"corpus-{n}"
    cache = work / f"cache-{n}.sqlite"
    t0 = time.perf_counter()
    counts = make_corpus(n, folder)
    made = time.perf_counter() - t0
    cache.unlink(missing_ok=True)
    row: dict = {"n": n, "files": sum(counts.values()), "counts": counts, "make_s": made}
    row["nocache"] = job("ingest", folder, "none")
    row["cold"] = job("ingest", folder, cache)
    row["warm"] = job("ingest", folder, cache)
    row["map"] = job("map", folder, cache)
    row["cache_mb"] = cache.stat().st_size / 1e6
    if with_draft:
        row["draft_warm"] = draft(folder, cache, work)
    print(f"N={n}: {json.dumps(row, ensure_ascii=False)}", file=sys.stderr)
    return row


def seeds_startup(work: Path, with_draft: bool) -> dict:
    floor = median_wall([PY, "-c", "import jieba, logging; jieba.setLogLevel(logging.WARNING); jieba.initialize()"])
    out = {"floor_s": floor}
    seeds = ROOT / "seeds"
    cache = work / "cache-seeds.sqlite"
    cache.unlink(missing_ok=True)
    out["ingest_cli_cold_s"] = median_wall([PY, "-m", "writer", "ingest", str(seeds), "--no-cache"], cwd=work)
    job("ingest", seeds, cache)
    out["map_warm"] = job("map", seeds, cache)
    out["help_s"] = median_wall([PY, "-m", "writer", "--help"])
    if with_draft:
        out["draft_cold"] = [draft(seeds, None, work)["wall_s"] for _ in range(3)]
        draft(seeds, cache, work)  # fill the cache the way draft does
        out["draft_warm"] = [draft(seeds, cache, work)["wall_s"] for _ in range(3)]
    return out


def fmt(x: float | None, unit: str = "s") -> str:
    return "—" if x is None else (f"{x:.2f} {unit}" if unit == "s" else f"{x:.0f} {unit}")


def write_results(rows: list[dict], seeds: dict, with_draft: bool, path: Path) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}.  ",
        f"Generated by `python bench/run.py --sizes {','.join(str(r['n']) for r in rows)}` on {time.strftime('%Y-%m-%d')}.",
        "Corpora: `bench/make_corpus.py` (seed 2024) recombines the seeds' passages into N articles",
        "(UTF-8/GBK .txt, .docx, .md, compilations). Each job is a fresh process: times include start-up.",
        "",
        "## Seeds (5 files) — start-up",
        "",
        f'- floor `python -c "import jieba; jieba.initialize()"`: {fmt(seeds["floor_s"])} (median of 3)',
        f"- `python -m writer --help`: {fmt(seeds['help_s'])}",
        f"- `python -m writer ingest seeds/ --no-cache` (cold, prints the table): {fmt(seeds['ingest_cli_cold_s'])}",
        f"- ingest from warm cache + map (library, fresh process): {fmt(seeds['map_warm']['wall_s'])} "
        f"(jieba loaded: {seeds['map_warm']['jieba_loaded']})",
    ]
    if with_draft:
        cold = statistics.median([x for x in seeds["draft_cold"] if x is not None] or [float("nan")])
        warm = statistics.median([x for x in seeds["draft_warm"] if x is not None] or [float("nan")])
        lines += [
            f"- `writer draft` cold (--no-cache): {fmt(cold)} = {cold / seeds['floor_s']:.2f} × floor (target ≤ 1.5 ×)",
            f"- `writer draft` warm cache: {fmt(warm)} (target < 0.6 s)",
        ]
    else:
        lines += ["- `writer draft`: not timed — the command is not in this branch yet (the lead adds it)."]
    lines += [
        "",
        "## Corpus sizes",
        "",
        "| articles | files | no cache | cold cache | warm cache | map (warm) | draft (warm) | peak RSS main / worker | cache size |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        peak = max(r[k]["maxrss_mb"] for k in ("nocache", "cold", "warm", "map"))
        worker = max(r[k]["worker_maxrss_mb"] for k in ("nocache", "cold"))
        d = r.get("draft_warm", {}).get("wall_s") if with_draft else None
        lines.append(
            f"| {r['n']:,} | {r['files']:,} | {fmt(r['nocache']['wall_s'])} | {fmt(r['cold']['wall_s'])} | "
            f"{fmt(r['warm']['wall_s'])} | {fmt(r['map']['map_s'])} (+{fmt(r['map']['wall_s'] - r['map']['map_s'])} load) | "
            f"{fmt(d)} | {fmt(peak, 'MB')} / {fmt(worker, 'MB')} | {r['cache_mb']:.1f} MB |"
        )
    lines += [
        "",
        "Columns: *no cache* = `ingest(paths)` with no cache; *cold cache* = first run filling an empty cache;",
        "*warm cache* = re-run with nothing changed (stat matches, nothing hashed or parsed);",
        "*map* = mapping time on the warm corpus (in brackets: process start + warm ingest + outline).",
        "Peak RSS: the main process, and the largest parsing worker.",
        "",
        "Raw numbers:",
        "",
        "```json",
        json.dumps({"seeds": seeds, "sizes": rows}, ensure_ascii=False, indent=1),
        "```",
        "",
    ]
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines), encoding="utf-8")
    os.replace(tmp, path)


def main() -> None:
    ap = argparse.ArgumentParser(description="writer benchmark")
    ap.add_argument("--sizes", default="100,1000,10000", help="comma-separated article counts")
    ap.add_argument("--work", type=Path, default=None, help="folder for corpora and caches (default: temp)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    ap.add_argument("--child", nargs=3, metavar=("MODE", "FOLDER", "CACHE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    sizes = [int(s.replace(",", "").replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    work = args.work or Path(tempfile.mkdtemp(prefix="writer-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    with_draft = has_draft()
    seeds = seeds_startup(work, with_draft)
    rows = [run_size(n, work, with_draft) for n in sizes]
    write_results(rows, seeds, with_draft, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
