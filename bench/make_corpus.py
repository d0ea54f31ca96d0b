"""Make a synthetic corpus of N articles from the seeds, reproducibly (fixed seed).

Each article is recombined from the seeds' parsed passages: a title, a unit line
naming a real-looking procuratorate (province/city/county names from a list), an
opening, two to four numbered sections of shuffled body paragraphs whose unit
mentions and figures are varied, and a closing.  Files are spread over year
folders; most are UTF-8 .txt, some GBK .txt, some .docx, some .md, and a few are
compilations of several articles (一期交流材料摘登) in one file.

Usage: python bench/make_corpus.py N OUT_DIR [--seed 2024] [--sources seeds/]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from writer.model.corpus import BODY, CLOSING, OPENING  # noqa: E402
from writer.sources.ingest import ingest  # noqa: E402
from writer.sources.structure import ORG_MENTION_RE  # noqa: E402

# Real province names with a few of their real cities and districts/counties.
PLACES = {
    "江苏省": {
        "南京市": ["玄武区", "江宁区", "六合区"],
        "苏州市": ["吴中区", "相城区", "昆山市"],
        "无锡市": ["江阴市", "宜兴市"],
    },
    "浙江省": {
        "杭州市": ["西湖区", "余杭区", "桐庐县"],
        "宁波市": ["鄞州区", "象山县"],
        "温州市": ["瑞安市", "永嘉县"],
    },
    "山东省": {
        "济南市": ["历下区", "章丘区"],
        "青岛市": ["黄岛区", "即墨区", "胶州市"],
        "烟台市": ["莱山区", "龙口市"],
    },
    "四川省": {
        "成都市": ["武侯区", "双流区", "郫都区"],
        "绵阳市": ["涪城区", "江油市"],
        "宜宾市": ["翠屏区", "长宁县"],
    },
    "湖北省": {
        "武汉市": ["江岸区", "洪山区", "黄陂区"],
        "宜昌市": ["西陵区", "枝江市"],
        "襄阳市": ["襄州区", "谷城县"],
    },
    "云南省": {
        "昆明市": ["五华区", "呈贡区", "宜良县"],
        "大理白族自治州": ["大理市", "宾川县"],
        "曲靖市": ["麒麟区", "宣威市"],
    },
    "广东省": {
        "广州市": ["天河区", "番禺区"],
        "深圳市": ["福田区", "南山区", "龙岗区"],
        "佛山市": ["顺德区", "南海区"],
    },
    "河南省": {"郑州市": ["金水区", "中牟县"], "洛阳市": ["洛龙区", "孟津区"], "南阳市": ["宛城区", "西峡县"]},
    "甘肃省": {"兰州市": ["城关区", "榆中县"], "天水市": ["秦州区", "甘谷县"]},
    "福建省": {"福州市": ["鼓楼区", "闽侯县"], "厦门市": ["思明区", "集美区"], "泉州市": ["晋江市", "安溪县"]},
}
SUFFIX = "人民检察院"
CN = "一二三四五六七八九十"
MEETING = "模范机关建设分享交流（{year}年第{n}场）"


def units(rng: random.Random) -> str:
    province = rng.choice(sorted(PLACES))
    city = rng.choice(sorted(PLACES[province]))
    level = rng.random()
    if level < 0.15:
        return province + SUFFIX
    if level < 0.45:
        return province + city + SUFFIX
    return province + city + rng.choice(PLACES[province][city]) + SUFFIX


def vary(text: str, unit: str, rng: random.Random) -> str:
    """Swap unit mentions for this article's unit and nudge the figures."""
    text = ORG_MENTION_RE.sub(lambda m: unit, text)

    def figure(m: re.Match) -> str:
        digits = m.group(0)
        if (len(digits) == 4 and digits.startswith(("19", "20"))) or len(digits) > 4:
            return digits  # a year stays a year, a hotline (12309) stays itself
        return str(max(1, int(digits) + rng.randint(-int(digits) // 3 - 1, int(digits) // 3 + 2)))

    return re.sub(r"\d+", figure, text)


class Pool:
    """Passages and headings of the seeds, by role."""

    def __init__(self, sources: list[Path]):
        corpus = ingest(sources)
        self.titles, self.openings, self.bodies, self.closings, self.headings = [], [], [], [], []
        for _, article in corpus.articles():
            if article.title:
                self.titles.append(article.title)
            for h in article.headings:
                if h.level == 1 and h.text:
                    self.headings.append(h.text)
            for p in article.passages:
                {OPENING: self.openings, CLOSING: self.closings, BODY: self.bodies}.get(p.kind, self.bodies).append(
                    p.text
                )
        # Headings recognised as plain text when a seed has none: keep at least a few.
        self.headings = self.headings or ["加强政治建设", "夯实组织基础", "推动融合发展"]
        self.openings = self.openings or self.bodies[:5]
        self.closings = self.closings or self.bodies[-5:]


def article(pool: Pool, rng: random.Random, md: bool = False) -> list[str]:
    unit = units(rng)
    lines = [vary(rng.choice(pool.titles), unit, rng), unit if not md else f"**{unit}**", ""]
    if md:
        lines[0] = "# " + lines[0]
    lines += [vary(rng.choice(pool.openings), unit, rng), ""]
    for i, heading in enumerate(rng.sample(pool.headings, k=min(len(pool.headings), rng.randint(2, 4)))):
        lines += [("## " if md else "") + f"{CN[i]}、{heading}", ""]
        for body in rng.sample(pool.bodies, k=rng.randint(2, 5)):
            lines += [vary(body, unit, rng), ""]
    lines += [vary(rng.choice(pool.closings), unit, rng), ""]
    return lines


def write_docx(path: Path, lines: list[str]) -> None:
    import docx

    doc = docx.Document()
    for i, line in enumerate(lines):
        if not line:
            continue
        doc.add_paragraph(line, style="Title" if i == 0 else None)
    doc.save(str(path))


def make_corpus(n: int, out: Path, seed: int = 2024, sources: list[Path] | None = None) -> dict[str, int]:
    """Write N articles under ``out`` (emptied first); returns counts by kind of file."""
    rng = random.Random(seed)
    pool = Pool(sources or [ROOT / "seeds"])
    if out.exists():
        shutil.rmtree(out)
    counts = {"txt": 0, "gbk": 0, "docx": 0, "md": 0, "compilation": 0}
    made = 0
    i = 0
    while made < n:
        i += 1
        folder = out / f"{2016 + i % 9}年" / f"{1 + i % 12:02d}月"
        folder.mkdir(parents=True, exist_ok=True)
        roll = rng.random()
        if roll < 0.03 and n - made >= 3:  # a compilation of 3–5 articles
            k = min(n - made, rng.randint(3, 5))
            lines = [MEETING.format(year=2016 + i % 9, n=1 + i % 6), ""]
            for _ in range(k):
                lines += article(pool, rng)
            (folder / f"{i:05d}_交流摘登.txt").write_text("\n".join(lines), encoding="utf-8")
            counts["compilation"] += 1
            made += k
            continue
        made += 1
        if roll < 0.13:
            write_docx(folder / f"{i:05d}.docx", article(pool, rng))
            counts["docx"] += 1
        elif roll < 0.28:
            text = "\r\n".join(article(pool, rng))  # GBK files usually come from Windows
            try:
                data = text.encode("gbk")
            except UnicodeEncodeError:
                data = text.encode("gb18030")
            (folder / f"{i:05d}.txt").write_bytes(data)
            counts["gbk"] += 1
        elif roll < 0.33:
            (folder / f"{i:05d}.md").write_text("\n".join(article(pool, rng, md=True)), encoding="utf-8")
            counts["md"] += 1
        else:
            (folder / f"{i:05d}.txt").write_text("\n".join(article(pool, rng)), encoding="utf-8")
            counts["txt"] += 1
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of articles")
    ap.add_argument("out", type=Path, help="output folder (emptied first)")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--sources", type=Path, nargs="*", default=None, help="seed sources (default seeds/)")
    args = ap.parse_args()
    counts = make_corpus(args.n, args.out, args.seed, args.sources)
    print(f"{args.n} articles in {sum(counts.values())} files under {args.out}: {counts}")


if __name__ == "__main__":
    main()
