"""Print the structure found in sources (a reading aid for tuning and review).

Usage: python bench/dump_corpus.py [PATH ...]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from writer.sources.ingest import ingest  # noqa: E402

corpus = ingest([Path(p) for p in (sys.argv[1:] or ["seeds"])])
for s in corpus.sources:
    print(f"=== {s.path} [{s.encoding}] meta={[(m.kind, m.text[:30]) for m in s.meta]}")
    for a in s.articles:
        print(f"  --- {a.id} title={a.title!r} sub={a.subtitle!r} unit={a.unit!r}")
        for m in a.meta:
            print(f"      meta {m.kind}: {m.text[:50]}")
        for p in a.passages:
            print(
                f"      [{p.kind}] {p.id} L{p.location.line_start}-{p.location.line_end} num={p.number!r} lead={p.lead!r} H={'/'.join(h[:12] for h in p.heading)}"
            )
            print(f"          {p.text[:70]}…{p.text[-15:]}")
    for n in s.notices:
        print("  !", n.label(), n.excerpt)
for n in corpus.notices:
    print("!!", n.label())
