"""Make a realistic synthetic corpus of N articles, reproducibly (fixed seed).

Each article is recombined sentence by sentence from the seeds and the fixtures:
a title, a unit line (real province/city/county chains, made-up counties and
branches: thousands of distinct units), an opening, two to five sections under one
of several heading systems (一、 / （一） / 1. / unnumbered paired phrases / run-in
一是 only / 一、 with （一）), paragraphs of 1–7 sampled sentences with near-synonyms
swapped and figures varied, run-in leads recombined from verbs and quoted topics,
and a closing assembled from parts.  Distinct passages ≈ passages
(``distinct_ratio``; reported in bench/RESULTS.md).  Files are spread over year
folders; most are UTF-8 .txt, some GBK .txt, some .docx, some .md, and a few are
compilations of several articles (一期交流材料摘登) in one file.

Usage: python bench/make_corpus.py N OUT_DIR [--seed 2024] [--sources seeds/]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from writer.model.corpus import CLOSING, OPENING  # noqa: E402
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

# Syllables for made-up county names: a real archive names hundreds of units, and a
# benchmark whose every article says one of 60 names makes caches hit too often.
_SYLLABLES = "安宁平和兴隆昌盛永泰嘉禾清远新城东西南北阳山河川湖海林桥台岭丰源庆华德江汉云中武"
_COUNTY_TAILS = ("县", "区", "市", "旗")
_BRANCHES = ("", "", "", "", "第一检察部", "第二检察部", "第四检察部", "第八检察部", "机关党委", "政治部", "综合业务部")
_ORGANS = (SUFFIX,) * 9 + ("铁路运输检察院",)

# Run-in enumerators, paired-phrase heading pieces, leads, closings: recombined per article.
_RUNIN = ("一是", "二是", "三是", "四是", "五是")
_LEAD_VERBS = (
    "强化",
    "深化",
    "健全",
    "完善",
    "推动",
    "坚持",
    "突出",
    "抓实",
    "夯实",
    "创新",
    "聚焦",
    "落实",
    "拓展",
    "做优",
)
_LEAD_TAILS = ("机制", "建设", "能力", "品牌", "体系", "质效", "工作", "保障", "格局", "导向")
_CLOSING_HEADS = (
    "下一步，{unit}将",
    "今后，我们将",
    "站在新的起点上，{unit}将",
    "下阶段，{unit}党组将",
    "我们将以此次交流为契机，",
    "{year}年，{unit}将",
)
_CLOSING_TAILS = (
    "持续深化模范机关建设，以高质量党建引领保障检察工作高质量发展。",
    "坚持党建业务深度融合，努力为{topic}贡献更多检察力量。",
    "进一步在{topic}上下功夫，推动各项工作再上新台阶。",
    "认真学习借鉴兄弟单位经验，在{topic}中展现检察担当。",
)
_SYNONYMS = (
    ("加强", ("强化", "加强", "切实加强")),
    ("推动", ("推动", "推进", "促进")),
    ("持续", ("持续", "不断", "始终")),
    ("深入", ("深入", "扎实", "全面")),
    ("党员干部", ("党员干部", "干警", "检察人员", "全院干警")),
    ("机制", ("机制", "制度", "办法")),
    ("有效", ("有效", "切实", "有力")),
)


def _county(rng: random.Random) -> str:
    return "".join(rng.sample(_SYLLABLES, 2)) + rng.choice(_COUNTY_TAILS)


def units(rng: random.Random) -> str:
    """A unit name: real province/city/county chains, made-up counties, branches."""
    province = rng.choice(sorted(PLACES))
    city = rng.choice(sorted(PLACES[province]))
    level = rng.random()
    organ = rng.choice(_ORGANS)
    if level < 0.1:
        name = province + organ
    elif level < 0.35:
        name = province + city + organ
    elif level < 0.6:
        name = province + city + rng.choice(PLACES[province][city]) + organ
    else:
        name = city + _county(rng) + organ
    return name + rng.choice(_BRANCHES)


def vary(text: str, unit: str, rng: random.Random) -> str:
    """Swap unit mentions for this article's unit, swap near-synonyms, nudge the figures."""
    text = ORG_MENTION_RE.sub(lambda m: unit, text)
    for word, choices in _SYNONYMS:
        if word in text and rng.random() < 0.5:
            text = text.replace(word, rng.choice(choices), 1)

    def figure(m: re.Match) -> str:
        digits = m.group(0)
        if (len(digits) == 4 and digits.startswith(("19", "20"))) or len(digits) > 4:
            return digits  # a year stays a year, a hotline (12309) stays itself
        n = int(digits)
        return str(max(1, n + rng.randint(-n // 2 - 1, n + 3)))

    return re.sub(r"\d+", figure, text)


_SENTENCE_END = re.compile(r"(?<=[。！？；])")
_QUOTED = re.compile(r"“([^”]{2,12})”")


class Pool:
    """Sentences, headings, leads and titles of the seeds and fixtures, by role."""

    def __init__(self, sources: list[Path]):
        corpus = ingest(sources)
        self.titles: list[str] = []
        self.headings: list[str] = []
        self.subheadings: list[str] = []
        self.sentences: list[str] = []
        self.openings: list[str] = []
        self.closings: list[str] = []
        self.leads: list[str] = []
        self.topics: list[str] = []
        for _, article in corpus.articles():
            if article.title:
                self.titles.append(article.title)
            for h in article.headings:
                if h.text:
                    (self.headings if h.level == 1 else self.subheadings).append(h.text)
            for p in article.passages:
                if p.lead:
                    self.leads.append(p.lead)
                body = p.text[len(p.number) :] if p.number else p.text
                if p.lead and body.startswith(p.lead):
                    body = body[len(p.lead) :].lstrip("。：:，, ")
                parts = [s.strip() for s in _SENTENCE_END.split(body) if len(s.strip()) >= 8]
                {OPENING: self.openings, CLOSING: self.closings}.get(p.kind, self.sentences).extend(parts)
                self.topics += _QUOTED.findall(p.text)
        self.headings = sorted(set(self.headings)) or ["加强政治建设", "夯实组织基础", "推动融合发展"]
        self.subheadings = sorted(set(self.subheadings)) or self.headings
        self.openings = self.openings or self.sentences[:20]
        self.topics = sorted(set(self.topics)) or ["模范机关", "政治建设"]
        self.sentences = sorted(set(self.sentences))

    def lead(self, rng: random.Random) -> str:
        """A lead phrase: a seed's lead, or a verb + a quoted topic + a tail."""
        if self.leads and rng.random() < 0.3:
            return rng.choice(self.leads)
        return rng.choice(_LEAD_VERBS) + "“" + rng.choice(self.topics) + "”" + rng.choice(_LEAD_TAILS)

    def heading(self, rng: random.Random, sub: bool = False) -> str:
        """A heading: a seed's heading, or two halves of different headings paired."""
        pool = self.subheadings if sub else self.headings
        a, b = rng.choice(pool), rng.choice(pool)
        if rng.random() < 0.5:
            return a
        left = re.split(r"[，,　 ]", a)[0]
        right = re.split(r"[，,　 ]", b)[-1]
        return f"{left}，{right}" if left != right else a

    def paragraph(self, rng: random.Random, unit: str, lo: int = 2, hi: int = 6) -> str:
        k = min(len(self.sentences), rng.randint(lo, hi))
        return "".join(vary(s, unit, rng) for s in rng.sample(self.sentences, k))


def _closing(pool: Pool, rng: random.Random, unit: str) -> str:
    topic = rng.choice(pool.topics)
    year = rng.randint(2016, 2026)
    head = rng.choice(_CLOSING_HEADS).format(unit=unit, year=year)
    tail = rng.choice(_CLOSING_TAILS).format(topic=f"“{topic}”")
    extra = vary(rng.choice(pool.closings), unit, rng) if pool.closings and rng.random() < 0.4 else ""
    return head + tail + extra


# Heading systems seen in real material: numbered 一、, （一）-only, 1., unnumbered
# paired phrases (a heading line on its own), and no headings at all (run-in 一是 only).
SYSTEMS = ("一、", "（一）", "1.", "paired", "runin", "一、+（一）")


def _enum(system: str, i: int) -> str:
    if system.startswith("一、"):
        return f"{CN[i]}、"
    if system == "（一）":
        return f"（{CN[i]}）"
    if system == "1.":
        return f"{i + 1}."
    return ""


def _body(pool: Pool, rng: random.Random, unit: str, runin: bool) -> list[str]:
    lines = []
    for j in range(rng.randint(1, 4)):
        if runin and j < len(_RUNIN):
            lines += [f"{_RUNIN[j]}{pool.lead(rng)}。{pool.paragraph(rng, unit)}", ""]
        else:
            lines += [pool.paragraph(rng, unit, 1, 7), ""]
    return lines


def article(pool: Pool, rng: random.Random, md: bool = False) -> list[str]:
    unit = units(rng)
    title = vary(rng.choice(pool.titles), unit, rng) if rng.random() < 0.5 else pool.heading(rng)
    lines = ["# " + title if md else title, f"**{unit}**" if md else unit, ""]
    lines += [vary(rng.choice(pool.openings), unit, rng) + pool.paragraph(rng, unit, 0, 2), ""]
    system = rng.choice(SYSTEMS)
    runin = system == "runin" or rng.random() < 0.4
    for i in range(rng.randint(2, 5)):
        if system != "runin":
            lines += [("## " if md else "") + _enum(system, i) + pool.heading(rng), ""]
        if system == "一、+（一）":
            for j in range(rng.randint(1, 3)):
                lines += [("### " if md else "") + f"（{CN[j]}）" + pool.heading(rng, sub=True), ""]
                lines += _body(pool, rng, unit, runin)
        else:
            lines += _body(pool, rng, unit, runin)
    lines += [_closing(pool, rng, unit), ""]
    return lines


def default_sources() -> list[Path]:
    """The seeds and the hand-written fixtures that hold whole articles."""
    fixtures = ROOT / "tests" / "fixtures"
    extra = [fixtures / "mapping", fixtures / "digest", fixtures / "structure"]
    return [ROOT / "seeds"] + [p for p in extra if p.exists()]


def distinct_ratio(corpus) -> tuple[int, int]:
    """(distinct passages, passages) once unit names and figures are normalised."""
    seen = set()
    total = 0
    for _, _, p in corpus.iter_passages():
        total += 1
        seen.add(re.sub(r"\d+", "0", ORG_MENTION_RE.sub("某院", p.text)))
    return len(seen), total


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
    pool = Pool(sources or default_sources())
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
    ap.add_argument("--json", action="store_true", help="print the counts as JSON (for bench/run.py)")
    args = ap.parse_args()
    counts = make_corpus(args.n, args.out, args.seed, args.sources)
    if args.json:
        print(json.dumps(counts))
    else:
        print(f"{args.n} articles in {sum(counts.values())} files under {args.out}: {counts}")


if __name__ == "__main__":
    main()
