"""Mapping accuracy against hand labels: per section, per source file, overall.

Usage:
    python eval/run_eval.py                       # seeds/ + eval/labels_seeds.yaml, default outline
    python eval/run_eval.py --labels eval/labels_fixtures.yaml --sources tests/fixtures/mapping
    python eval/run_eval.py --outline config/presets/三个引领.yaml --verbose
    python eval/run_eval.py --labels eval/labels_holdout.yaml --sources eval/holdout --baseline
    python eval/run_eval.py --labels eval/labels_thirdparty.yaml --sources /work/thirdparty   # texts outside the repo
    python eval/run_eval.py --labels eval/labels_thirdparty_b.yaml --sources /work/thirdparty_b   # set B, ditto
    python eval/run_eval.py --labels eval/labels_thirdparty_c.yaml --sources /work/thirdparty_c   # set C, ditto
    python eval/run_eval.py --labels eval/labels_thirdparty_d.yaml --sources /work/thirdparty_d \
        --against eval/labels_thirdparty_d_second.yaml   # two readers' agreement on set D, not the mapper

--baseline scores with a plain keyword count instead of the mapper: each section's
keywords (and their lexicon synonyms) counted in the passage text, unweighted; the
section with the most hits wins when it has at least BASELINE_THRESHOLD hits.

A label file maps a passage's opening words (an anchor) to the expected section
title (or null).  Every passage must match exactly one anchor; unmatched anchors
and passages without a label are reported, so labels cannot silently rot.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from writer.config.lexicon import synonym_forms  # noqa: E402
from writer.config.outline import find_preset, load_outline  # noqa: E402
from writer.mapping.scoring import map_corpus  # noqa: E402
from writer.sources.ingest import ingest  # noqa: E402
from writer.sources.script import simplify  # noqa: E402

BASELINE_THRESHOLD = 2


def baseline_section(text: str, keywords: dict[str, list[str]]) -> str | None:
    """Keyword count argmax with a fixed threshold: the naive mapper to beat."""
    counts = {}
    for sid, words in keywords.items():
        n = 0
        for w in words:
            forms = sorted({w, *synonym_forms().get(w, ())}, key=len, reverse=True)
            rest = text
            for f in forms:
                n += rest.count(f)
                rest = rest.replace(f, "\0")
        counts[sid] = n
    best = max(counts, key=lambda k: counts[k]) if counts else None
    return best if best is not None and counts[best] >= BASELINE_THRESHOLD else None


def evaluate(
    sources: list[Path], labels_file: Path, outline_file: Path, verbose: bool = False, baseline: bool = False
) -> dict:
    data = yaml.safe_load(labels_file.read_text(encoding="utf-8"))
    labels: dict[str, str | None] = data["labels"]
    outline = load_outline(outline_file)
    title_of = {s.id: s.title for s in outline.iter_sections()}
    corpus = ingest(sources)
    mapping = map_corpus(corpus, outline)
    leaves = [s for top in outline.sections for s in (top.sections or (top,))]
    keywords = {s.id: [w for w, _ in s.keywords] for s in leaves}
    confusion: Counter = Counter()
    used: Counter = Counter()
    per_section: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_file: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    errors = []
    unlabelled = []
    # anchors copied from a source in traditional script match its passages, read as simplified
    read_as = {a: simplify(a) for a in labels}
    for src, _art, p in corpus.iter_passages():
        anchors = [a for a in labels if p.text.startswith(read_as[a])]
        if len(anchors) != 1:
            unlabelled.append((src.path, p.text[:30], anchors))
            continue
        used[anchors[0]] += 1
        expected = labels[anchors[0]]
        a = mapping.assignment(p.id)
        got_id = baseline_section(p.text, keywords) if baseline else a.section
        got = title_of.get(got_id) if got_id else None
        confusion[(expected, got)] += 1
        ok = got == expected
        key = expected or "（不归入）"
        per_section[key][0] += ok
        per_section[key][1] += 1
        per_file[Path(src.path).name][0] += ok
        per_file[Path(src.path).name][1] += 1
        if not ok:
            errors.append((src.path, p.text[:28], expected, got, a.scores, a.terms.get(a.section or "", [])))
    total_ok = sum(v[0] for v in per_section.values())
    total = sum(v[1] for v in per_section.values())
    print(
        f"大纲：{outline.title}（{outline_file}）  标注：{labels_file.name}"
        + ("  【基线：关键词计数】" if baseline else "")
    )
    for k, (ok, n) in per_section.items():
        print(f"  {k:<8} {ok}/{n} = {ok / n:.2f}")
    print("  按文件：" + "，".join(f"{k[:3]} {ok}/{n}" for k, (ok, n) in sorted(per_file.items())))
    print(f"  总体准确率 {total_ok}/{total} = {total_ok / max(total, 1):.3f}")
    names = [None, *title_of.values()]
    print("  混淆（行=标注，列=结果）：" + " / ".join(str(n or "不归入") for n in names))
    for e in names:
        row = [confusion[(e, g)] for g in names]
        if sum(row):
            print(f"    {str(e or '不归入'):<8} " + " ".join(f"{c:>3}" for c in row))
    stale = [a for a in labels if not used[a]]
    if stale:
        print(f"  未匹配的锚点 {len(stale)}：{stale}")
    if unlabelled:
        print(f"  未标注或多重匹配的段落 {len(unlabelled)}：")
        for u in unlabelled:
            print("    ", u)
    if verbose:
        for e in errors:
            print("  ✗", e[0][-28:], e[1], "应为", e[2], "得到", e[3], e[4], e[5])
    return {"accuracy": total_ok / max(total, 1), "total": total, "stale": stale, "unlabelled": unlabelled}


def agreement(sources: list[Path], labels_file: Path, other_file: Path, verbose: bool = False) -> dict:
    """How often two hand labellings of the same passages agree: the ceiling a mapper can
    be asked to reach.  Passages are those both files label (by anchor); Cohen's kappa
    corrects for chance."""
    first = yaml.safe_load(labels_file.read_text(encoding="utf-8"))["labels"]
    second = yaml.safe_load(other_file.read_text(encoding="utf-8"))["labels"]
    read_as = {a: simplify(a) for a in first}
    pairs = []
    for src, _art, p in ingest(sources).iter_passages():
        anchors = [a for a in first if p.text.startswith(read_as[a])]
        if len(anchors) == 1 and anchors[0] in second:
            pairs.append((Path(src.path).name, p.text[:30], first[anchors[0]], second[anchors[0]]))
    n = len(pairs)
    agree = sum(x == y for _, _, x, y in pairs)
    kinds = sorted({x for *_, x, _ in pairs} | {y for *_, y in pairs}, key=str)
    chance = (
        sum((sum(x == k for *_, x, _ in pairs) / n) * (sum(y == k for *_, y in pairs) / n) for k in kinds) if n else 0
    )
    kappa = (agree / n - chance) / (1 - chance) if n and chance < 1 else 0.0
    print(f"标注：{labels_file.name} 对 {other_file.name}，共同段落 {n}")
    print(f"  一致 {agree}/{n} = {agree / max(n, 1):.3f}，kappa = {kappa:.3f}")
    for (x, y), k in Counter((x, y) for *_, x, y in pairs if x != y).most_common():
        print(f"  {x or '不归入'} → {y or '不归入'}：{k}")
    if verbose:
        for name, start, x, y in pairs:
            if x != y:
                print("  ≠", name, start, x, "/", y)
    return {"agreement": agree / max(n, 1), "kappa": kappa, "total": n}


def sources_list_for(labels_file: Path) -> Path | None:
    """The address list of texts kept outside the repo: labels_X.yaml -> X_sources.yaml beside it."""
    name = labels_file.stem.removeprefix("labels_")
    candidate = labels_file.parent / f"{name}_sources.yaml"
    return candidate if candidate.exists() else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sources", nargs="*", default=[str(ROOT / "seeds")])
    ap.add_argument("--labels", default=str(ROOT / "eval" / "labels_seeds.yaml"))
    ap.add_argument("--outline", default=None)
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--baseline", action="store_true", help="plain keyword count argmax instead of the mapper")
    ap.add_argument(
        "--against", default=None, help="a second hand labelling of the same texts: agreement, not accuracy"
    )
    args = ap.parse_args()
    labels_file = Path(args.labels)
    missing = [s for s in args.sources if not Path(s).exists()]
    if missing:
        print(f"找不到素材：{'、'.join(missing)}。", file=sys.stderr)
        address_list = sources_list_for(labels_file)
        if address_list is not None:
            listed = yaml.safe_load(address_list.read_text(encoding="utf-8")) or {}
            shown = address_list.resolve()
            shown = shown.relative_to(ROOT) if shown.is_relative_to(ROOT) else shown
            print(
                f"第三方评测文字不在仓库内（版权不明）；地址、取用日期和截取规则列在 {shown}，"
                f"按其说明把文字存到仓库外的文件夹（默认 {listed.get('location', '自选')}），再用 --sources 指向它。",
                file=sys.stderr,
            )
        sys.exit(2)
    if args.against:
        if not Path(args.against).is_file():
            print(f"找不到第二份标注：{args.against}。请给出与 --labels 同一套素材的标注文件。", file=sys.stderr)
            sys.exit(2)
        agreement([Path(s) for s in args.sources], labels_file, Path(args.against), args.verbose)
        return
    outline_file = (
        Path(args.outline)
        if args.outline
        else find_preset(yaml.safe_load(labels_file.read_text(encoding="utf-8")).get("outline", "三个引领"))
    )
    evaluate([Path(s) for s in args.sources], labels_file, outline_file, args.verbose, args.baseline)


if __name__ == "__main__":
    main()
