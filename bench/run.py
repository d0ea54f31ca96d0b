"""Benchmark: the commands a user runs, and the library stages, at several corpus sizes.

One command writes bench/RESULTS.md:

    python bench/run.py                          # sizes 1000, 3000, 10000
    python bench/run.py --sizes 1000,3000,10000,30000 --runs 3
    python bench/run.py --work /tmp/bench        # where corpora and caches go (default: a temp folder)

Corpora come from ``bench/make_corpus.py`` (realistic recombination, seed 2024); the
distinct-passage ratio of each is reported.  Two kinds of figures:

* **commands** — ``python -m writer …`` as a whole process, output to a file (not a
  terminal, as in a pipe): cold ingest (empty cache), cold ingest on one core, warm
  ingest, ``map``, ``map --json``, ``draft``; the median wall time of ``--runs`` runs
  and the peak resident memory of the largest process (``os.wait4``'s rusage);
* **stages** — one fresh process that loads the corpus from the warm cache, maps
  and composes, timing each call (``time.perf_counter``) and reading the peak
  resident memory after each (``VmHWM``).

Text below the line ``<!-- hand-written below -->`` in RESULTS.md is kept.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
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
MARKER = "<!-- hand-written below -->"


# ---------------------------------------------------------------- stages, in a child process


def stages(folder: str, cache: str) -> None:
    """Load from the warm cache, map, compose; print the numbers as JSON."""
    t0 = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    from bench.make_corpus import distinct_ratio
    from writer.config.outline import load_outline
    from writer.pipeline import load_corpus
    from writer.sources.cache import CorpusCache
    from writer.sources.ingest import gc_paused

    out: dict = {"import_s": time.perf_counter() - t0}
    t, c = time.perf_counter(), time.process_time()
    store = CorpusCache(cache)
    corpus = load_corpus([Path(folder)], [], cache=store)
    out["load_s"], out["load_cpu_s"], out["load_peak_mb"] = time.perf_counter() - t, time.process_time() - c, _peak_mb()
    out["articles"] = sum(len(s.articles) for s in corpus.sources)
    distinct, total = distinct_ratio(corpus)
    out["passages"], out["distinct"] = total, distinct
    outline = load_outline(OUTLINE)
    from writer.compose.draft import compose
    from writer.mapping.scoring import map_corpus

    with gc_paused():  # as the pipeline runs them
        t, c = time.perf_counter(), time.process_time()
        mapping = map_corpus(corpus, outline, counts=store)  # term counts kept by the map commands before
        out["map_s"], out["map_cpu_s"], out["map_peak_mb"] = (
            time.perf_counter() - t,
            time.process_time() - c,
            _peak_mb(),
        )
        t, c = time.perf_counter(), time.process_time()
        compose(corpus, mapping, outline)
        out["compose_s"], out["compose_cpu_s"] = time.perf_counter() - t, time.process_time() - c
        out["compose_peak_mb"] = _peak_mb()
    del corpus, mapping
    out.update(_table_stages(folder, cache, outline))
    print(json.dumps(out))


def _table_stages(folder: str, cache: str, outline) -> dict:
    """The commands' own path: the passages table the cache keeps, mapped, and a draft
    composed from the sources it needs (CPU seconds, in this process after the corpus path)."""
    from writer.compose.partial import compose_from_table
    from writer.mapping.scoring import map_table
    from writer.pipeline import load_table
    from writer.sources.cache import CorpusCache

    store = CorpusCache(cache)
    out: dict = {}
    c = time.process_time()
    table = load_table([Path(folder)], cache=store)
    out["table_load_cpu_s"] = time.process_time() - c
    c = time.process_time()
    mapping = map_table(table, outline, counts=store)
    out["table_map_cpu_s"] = time.process_time() - c
    c = time.process_time()
    compose_from_table(table, mapping, outline, lambda: None, store)  # type: ignore[arg-type,return-value]
    out["table_compose_cpu_s"] = time.process_time() - c
    out["table_sources_decoded"] = len(table._decoded)
    return out


def _peak_mb() -> float:
    """This process's peak resident memory so far (VmHWM; ru_maxrss survives exec on Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- commands, from the parent


def run_once(cmd: list[str], cwd: Path, stdout: Path) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds (user + system, workers included), peak RSS in MB
    (the process and its waited-for workers), exit code.  Linux keeps a forked
    child's inherited high-water mark across exec, so this parent stays small: it
    never imports writer (corpora are made in a subprocess)."""
    with open(stdout, "wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode


def measure(cmd: list[str], runs: int, cwd: Path, stdout: Path, before=None) -> dict:
    walls, cpus, peaks = [], [], []
    for _ in range(runs):
        if before:
            before()
        wall, cpu, peak, code = run_once(cmd, cwd, stdout)
        if code not in (0, 1):
            return {"error": f"exit {code}: {' '.join(cmd[2:])}"}
        walls.append(wall)
        cpus.append(cpu)
        peaks.append(peak)
    return {
        "wall_s": statistics.median(walls),
        "min_s": min(walls),
        "max_s": max(walls),
        "cpu_s": statistics.median(cpus),
        "peak_mb": max(peaks),
    }


def run_size(n: int, work: Path, runs: int, one_core_max: int) -> dict:
    folder = work / f"corpus-{n}"
    cache = work / f"cache-{n}.sqlite"
    out_dir = work / "draft-out"
    out_dir.mkdir(parents=True, exist_ok=True)
    sink = work / "stdout.txt"
    t0 = time.perf_counter()
    made_file = work / f"corpus-{n}.json"  # a corpus made before in this --work folder is reused
    if made_file.exists() and folder.is_dir():
        counts = json.loads(made_file.read_text(encoding="utf-8"))
    else:
        made = subprocess.run(
            [PY, str(ROOT / "bench" / "make_corpus.py"), str(n), str(folder), "--json"],
            env=ENV,
            capture_output=True,
            text=True,
        )
        if made.returncode:
            raise SystemExit(f"make_corpus {n} failed:\n{made.stderr}")
        counts = json.loads(made.stdout.strip().splitlines()[-1])
        made_file.write_text(json.dumps(counts), encoding="utf-8")
    row: dict = {"n": n, "files": sum(counts.values()), "counts": counts}
    row["make_s"] = time.perf_counter() - t0
    writer = [PY, "-m", "writer"]
    ingest = writer + ["ingest", str(folder), "--cache", str(cache)]
    cold_runs = 1 if n >= 10000 else min(runs, 2)

    def drop_cache() -> None:
        cache.unlink(missing_ok=True)

    row["cold"] = measure(ingest, cold_runs, work, sink, before=drop_cache)
    if shutil.which("taskset") and n <= one_core_max:
        row["cold_1core"] = measure(["taskset", "-c", "0"] + ingest, 1, work, sink, before=drop_cache)
    row["warm"] = measure(ingest, runs, work, sink)
    map_table = writer + ["map", str(folder), "--cache", str(cache), "--outline", str(OUTLINE)]
    # the first map after ingest builds the passages table, the term index and the decisions
    row["map_first"] = measure(map_table, 1, work, sink)
    row["map"] = measure(map_table, runs, work, sink)
    row["map_lines"] = sum(1 for _ in open(sink, encoding="utf-8"))
    map_json = writer + ["map", str(folder), "--cache", str(cache), "--outline", str(OUTLINE), "--json"]
    # the first --json after the decisions works every row's evidence out and keeps it beside them
    row["map_json_first"] = measure(map_json, 1, work, sink)
    row["map_json"] = measure(map_json, runs, work, sink)
    row["map_json_mb"] = sink.stat().st_size / 1e6
    draft = writer + ["draft", str(folder), "--cache", str(cache), "--outline", str(OUTLINE)]
    row["draft"] = measure(draft + ["--out", str(out_dir), "--force"], runs, work, sink)
    proc = subprocess.run([PY, __file__, "--stages", str(folder), str(cache)], env=ENV, capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"stages at {n} failed:\n{proc.stderr}")
    row["stages"] = json.loads(proc.stdout.strip().splitlines()[-1])
    row["cache_mb"] = cache.stat().st_size / 1e6
    print(f"N={n}: {json.dumps(row, ensure_ascii=False)}", file=sys.stderr)
    return row


# ---------------------------------------------------------------- the report


def _s(d: dict | None) -> str:
    if not d or d.get("wall_s") is None:
        return "—"
    return f"{d['wall_s']:.2f} s ({d['cpu_s']:.2f} s CPU)"


def _mb(d: dict | None) -> str:
    return "—" if not d or d.get("peak_mb") is None else f"{d['peak_mb']:.0f} MB"


def write_results(rows: list[dict], runs: int, path: Path) -> None:
    sizes = ",".join(str(r["n"]) for r in rows)
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}.  ",
        f"Generated by `python bench/run.py --sizes {sizes} --runs {runs}` on {time.strftime('%Y-%m-%d %H:%M')}.  ",
        "Commands: `python -m writer …` as whole processes, output to a file (not a terminal); median wall time",
        f"of {runs} runs (cold ingest: 1 run at 10k and above), peak = largest resident set of the process and its",
        "parsing workers. Stages: one fresh process on the warm cache, each library call timed.",
        "The machine is shared: read medians and ratios, not single figures.",
        "",
        "## Corpus",
        "",
        "| articles | files | passages | distinct passages | ratio | cache |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        st = r["stages"]
        lines.append(
            f"| {r['n']:,} | {r['files']:,} | {st['passages']:,} | {st['distinct']:,} | "
            f"{st['distinct'] / st['passages']:.3f} | {r['cache_mb']:.0f} MB |"
        )
    lines += [
        "",
        "Distinct = passage texts still different once unit names and figures are normalised",
        "(`bench/make_corpus.py: distinct_ratio`).  The old generator gave 232 distinct of 125,956 at 10k.",
        "",
        "## Commands",
        "",
        "| articles | cold ingest | cold, 1 core | warm ingest | first `map` | `map` | first `map --json` | `map --json` | `draft` (warm) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        keys = ("cold", "cold_1core", "warm", "map_first", "map", "map_json_first", "map_json", "draft")
        cells = [r.get(k) for k in keys]
        lines.append(f"| {r['n']:,} | " + " | ".join(f"{_s(c)} / {_mb(c)}" for c in cells) + " |")
    lines += [
        "",
        "Each cell: median wall time (median CPU time, user + system, workers included) / peak memory.",
        "First `map`: one run right after ingest, which builds the passages table (from every source),",
        "the outline's term index and the decisions, and keeps them in the cache; the other runs read them.",
        "First `map --json`: one run after that, which works out every row's evidence and keeps it too.",
        "The package is byte-compiled first (`compileall`), as `pip install` leaves it.",
        "On a busy shared machine the CPU time is the steadier figure.  `map` writes "
        + ", ".join(f"{r['map_lines']:,} lines at {r['n']:,}" for r in rows)
        + "; `map --json` writes "
        + ", ".join(f"{r['map_json_mb']:.0f} MB at {r['n']:,}" for r in rows)
        + ".",
        "",
        "## Stages (library, warm cache) and the cost per article",
        "",
        "Wall time (CPU time of the process) per stage; the cost per article is CPU time / articles.",
        "",
        "| articles | load | map | compose | peak after load / map / compose | load per article | map per article | compose per article |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        st = r["stages"]
        n = st["articles"]
        cpu = {k: st.get(f"{k}_cpu_s", st[f"{k}_s"]) for k in ("load", "map", "compose")}
        lines.append(
            f"| {r['n']:,} | " + " | ".join(f"{st[f'{k}_s']:.2f} s ({cpu[k]:.2f} s)" for k in cpu) + " | "
            f"{st['load_peak_mb']:.0f} / {st['map_peak_mb']:.0f} / {st['compose_peak_mb']:.0f} MB | "
            f"{cpu['load'] / n * 1e3:.2f} ms | {cpu['map'] / n * 1e3:.2f} ms | {cpu['compose'] / n * 1e3:.3f} ms |"
        )
    lines += [
        "",
        "The commands read the passages table instead (CPU seconds: the survey of the files and the stored table,",
        "mapping it with the kept decisions, composing the draft from the sources it needs):",
        "",
        "| articles | load table | map | compose | sources decoded for the draft |",
        "|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        st = r["stages"]
        if "table_load_cpu_s" in st:
            lines.append(
                f"| {r['n']:,} | {st['table_load_cpu_s']:.2f} s | {st['table_map_cpu_s']:.2f} s | "
                f"{st['table_compose_cpu_s']:.2f} s | {st['table_sources_decoded']:,} of {r['files']:,} |"
            )
    lines += ["", "Raw numbers:", "", "```json", json.dumps(rows, ensure_ascii=False, indent=1), "```", ""]
    kept = ""
    if path.exists():
        old = path.read_text(encoding="utf-8")
        if MARKER in old:
            kept = old[old.index(MARKER) :]
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n" + kept, encoding="utf-8")
    os.replace(tmp, path)


def main() -> None:
    ap = argparse.ArgumentParser(description="writer benchmark")
    ap.add_argument("--sizes", default="1000,3000,10000", help="comma-separated article counts")
    ap.add_argument("--runs", type=int, default=3, help="runs of each warm command (median quoted)")
    ap.add_argument("--one-core-max", type=int, default=10**9, help="time cold ingest on one core up to this size")
    ap.add_argument("--work", type=Path, default=None, help="folder for corpora and caches (default: temp)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "RESULTS.md")
    ap.add_argument("--from-log", type=Path, help="rewrite RESULTS.md from the N=… lines a run printed to stderr")
    ap.add_argument("--stages", nargs=2, metavar=("FOLDER", "CACHE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.stages:
        stages(*args.stages)
        return
    if args.from_log:
        lines = args.from_log.read_text(encoding="utf-8").splitlines()
        logged = [line.split(": ", 1)[1] for line in lines if line.startswith("N=")]
        write_results([json.loads(x) for x in logged if x.startswith("{")], args.runs, args.out)
        return
    sizes = [int(s.replace(",", "").replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    # byte-compiled as `pip install` leaves it: with PYTHONDONTWRITEBYTECODE set (as on some machines)
    # an editable install would compile ~50 modules again in every command (~0.17 s each)
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "writer")], env=ENV, check=True, capture_output=True)
    work = args.work or Path(tempfile.mkdtemp(prefix="writer-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in sizes:  # written after each size: a long run interrupted still leaves its figures
        rows.append(run_size(n, work, args.runs, args.one_core_max))
        write_results(rows, args.runs, args.out)
        print(f"wrote {args.out} ({', '.join(str(r['n']) for r in rows)})", file=sys.stderr)


if __name__ == "__main__":
    main()
