"""Unit names: one procuratorate named many ways, and when two names mean the same one.

A name is read as a region chain (山东 › 济南 › 济阳), the organ (检察院), a branch
(第三分院: its own unit) and a sub-unit (第四党支部, 第六检察部: part of the unit).
``人民`` is optional; province and city prefixes are optional; 某某族自治县 is 某某县;
广西壮族自治区 is 广西; 区院/县院/市院 are spoken forms.  ``same_unit`` compares units,
``belongs_to`` also accepts a sub-unit, ``name_forms`` lists the ways a text may name a
unit (for voice), ``short_name`` is how a compilation names it, ``closest`` finds the
nearest of a list for a warning.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

_CJK = "\u4e00-\u9fff"
# An administrative level ends a region component; 自治 forms first (longest match).
_LEVEL = r"自治区|自治州|自治县|自治旗|特别行政区|省|市|地区|盟|州|县|区|旗"
_COMPONENT = re.compile(rf"(?P<core>[{_CJK}]*?)(?P<level>{_LEVEL})")
_ETHNIC = re.compile(rf"^(?P<core>[{_CJK}]{{2,}}?)(?:[{_CJK}]{{1,4}}族|维吾尔)+$")
_ORGAN = re.compile(
    rf"^(?P<region>[{_CJK}]*?)(?:人民)?检察(?:院|分院)?(?P<branch>第[一二三四五六七八九十\d]+分院|[{_CJK}]{{0,6}}分院)?(?P<sub>.*)$"
)
_SPOKEN = re.compile(rf"^(?P<region>[{_CJK}]+?[省市州县区旗])院(?P<sub>.*)$")  # 济阳区院, 市院
_LEVEL_GROUP = {
    "省": "province",
    "自治区": "province",
    "特别行政区": "province",
    "市": "city",
    "地区": "city",
    "盟": "city",
    "州": "city",
    "自治州": "city",
    "县": "county",
    "区": "county",
    "旗": "county",
    "自治县": "county",
    "自治旗": "county",
}


@dataclass(frozen=True)
class Region:
    core: str  # 济阳, 互助, 广西; "" for a bare 市/区 (市检察院)
    level: str  # the suffix as written: 省 市 区 县 自治县 …; "" when left out (广西检察院)
    ethnic: str = ""  # 土族, 壮族, 土家族苗族: part of the formal name only

    @property
    def group(self) -> str:
        return _LEVEL_GROUP.get(self.level, self.level)

    def written(self, formal: bool = True) -> str:
        """济阳区, 互助县 (formal=False drops the 自治 form), 广西壮族自治区 is kept as its core."""
        if self.level.startswith("自治") and not formal:
            return self.core + ("" if self.level == "自治区" else self.level[-1])
        return self.core + self.ethnic + self.level


@dataclass(frozen=True)
class UnitName:
    text: str  # as given
    regions: tuple[Region, ...]
    branch: str  # 第三分院 / 铁路运输分院 / ""
    sub: str  # 第四党支部 / 第六检察部 / 党组 / ""

    @property
    def key(self) -> tuple:
        return (tuple(r.core for r in self.regions), self.branch)


def _regions(text: str) -> tuple[Region, ...] | None:
    out: list[Region] = []
    pos = 0
    while pos < len(text):
        m = _COMPONENT.match(text, pos)
        if not m:
            rest = text[pos:]
            if 2 <= len(rest) <= 4 and not out:  # 广西检察院, 昆山检察院: the level left out
                return (Region(rest, ""),)
            return None
        core, level, ethnic = m["core"], m["level"], ""
        if level.startswith("自治"):
            e = _ETHNIC.match(core)
            if e:
                core, ethnic = e["core"], core[len(e["core"]) :]
        out.append(Region(core, level, ethnic))
        pos = m.end()
    return tuple(out)


@lru_cache(maxsize=4096)
def parse_unit(name: str | None) -> UnitName | None:
    """Read a procuratorate's name; None when it names none."""
    if not name:
        return None
    text = re.sub(r"\s+", "", name)
    m = _ORGAN.match(text)
    if m and "检察" in text:
        region_text, branch, sub = m["region"], m["branch"] or "", m["sub"] or ""
        if region_text.startswith("最高"):
            return UnitName(name, (Region("最高", ""),), branch, sub)
    else:
        m = _SPOKEN.match(text)
        if not m:
            return None
        region_text, branch, sub = m["region"], "", m["sub"] or ""
    regions = _regions(region_text)
    if regions is None:
        return None
    return UnitName(name, regions, branch, sub)


def _chains_agree(a: tuple[Region, ...], b: tuple[Region, ...]) -> bool:
    """The most specific components name the same place and nothing else conflicts:
    济南›济阳 ≡ 山东›济南›济阳 ≡ 济阳; 济南 ≢ 济南›济阳; a bare 市 matches any city."""
    if not a or not b:
        return False
    ia, ib = len(a) - 1, len(b) - 1
    if not _same_region(a[ia], b[ib]):
        return False
    while ia > 0 and ib > 0:
        ia, ib = ia - 1, ib - 1
        if not _same_region(a[ia], b[ib]):
            return False
    return True


def _same_region(x: Region, y: Region) -> bool:
    if not x.core or not y.core:  # 市检察院, 自治区检察院: the level must agree
        return x.group == y.group
    if x.core != y.core:
        return False
    return x.group == y.group or not x.level or not y.level


def same_unit(a: str | None, b: str | None) -> bool:
    """Two names of one procuratorate (sub-units must agree too)."""
    ua, ub = parse_unit(a), parse_unit(b)
    if ua is None or ub is None:
        return False
    return ua.branch == ub.branch and _chains_agree(ua.regions, ub.regions) and _same_sub(ua.sub, ub.sub)


def belongs_to(part: str | None, whole: str | None) -> bool:
    """``part`` is the unit ``whole`` or one of its departments/Party branches
    (江苏省昆山市检察院第四党支部 belongs to 昆山市检察院; 上海市人民检察院第三分院 does
    not belong to 上海市人民检察院)."""
    up, uw = parse_unit(part), parse_unit(whole)
    if up is None or uw is None:
        return False
    if up.branch != uw.branch or not _chains_agree(up.regions, uw.regions):
        return False
    return not uw.sub or _same_sub(up.sub, uw.sub)


def _same_sub(a: str, b: str) -> bool:
    return a.replace("人民", "") == b.replace("人民", "")


def short_name(name: str) -> str:
    """How a compilation names a unit: its most specific place + 检察院 (+ branch/sub):
    济南市济阳区人民检察院 → 济阳区检察院; 互助土族自治县人民检察院 → 互助县检察院."""
    u = parse_unit(name)
    if u is None or not u.regions:
        return name
    last = u.regions[-1]
    place = last.core if last.level == "自治区" else last.written(formal=False)
    if not last.core:  # 市检察院: nothing shorter to say
        return name
    return place + "检察院" + u.branch + u.sub


def name_forms(name: str) -> list[str]:
    """Every way a text may name this unit (the sub-unit left out), longest first:
    full and shortened chains, with and without 人民, 自治 forms and their short forms,
    and the spoken 区院/县院/市院."""
    u = parse_unit(name)
    if u is None or not u.regions or not u.regions[-1].core:
        return [name] if name else []
    forms: set[str] = set()
    regions = u.regions
    for start in range(len(regions)):
        for formal in (True, False):
            chain = "".join(r.written(formal) for r in regions[start:])
            for organ in ("人民检察院", "检察院"):
                forms.add(chain + organ + u.branch)
            if not u.branch:
                forms.add(chain + "院")  # 济阳区院
    last = regions[-1]
    if last.level == "自治区":
        forms.update({last.core + "检察院", last.core + "人民检察院", last.core + "区检察院"})
    # a chain reduced to the bare level (院, 区院) names nothing by itself
    return sorted((f for f in forms if len(f) >= 4), key=lambda f: (-len(f), f))


def closest(name: str, candidates: list[str]) -> str | None:
    """The candidate most like ``name`` (for "did you mean"), or None."""
    if not candidates:
        return None
    u = parse_unit(name)
    key = "".join(r.core for r in u.regions) if u else name

    def score(c: str) -> float:
        uc = parse_unit(c)
        ck = "".join(r.core for r in uc.regions) if uc else c
        return difflib.SequenceMatcher(None, key, ck).ratio()

    return max(candidates, key=score)


_ORGAN_END = re.compile(r"(?:人民)?检察院(?:第[一二三四五六七八九十\d]+分院)?|(?<=[市区县旗州])院(?![长内外务]|办公)")
_MAX_PREFIX = 24


def find_mentions(text: str, unit: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that name ``unit`` (any form, with or without its province and
    city), longest first at each place: 济阳区检察院, 山东省济南市济阳区人民检察院, 济阳区院."""
    target = parse_unit(unit)
    if target is None:
        return []
    spans: list[tuple[int, int]] = []
    last_end = 0
    for m in _ORGAN_END.finditer(text):
        end = m.end()
        organ_start = m.start()
        for start in range(max(last_end, organ_start - _MAX_PREFIX), organ_start):
            if not re.match(f"[{_CJK}]", text[start]):
                continue
            candidate = parse_unit(text[start:end])
            if (
                candidate is not None
                and candidate.regions
                and candidate.regions[-1].core
                and candidate.branch == target.branch
                and _chains_agree(candidate.regions, target.regions)
            ):
                spans.append((start, end))
                last_end = end
                break
    return spans


# Provinces and autonomous regions: the short name a text uses (广西) and the formal one.
PROVINCES = {
    **{
        short: short + "省"
        for short in "河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾".split()
    },  # noqa: E501
    "内蒙古": "内蒙古自治区",
    "广西": "广西壮族自治区",
    "西藏": "西藏自治区",
    "宁夏": "宁夏回族自治区",
    "新疆": "新疆维吾尔自治区",
}
_LEVEL_OF_FORMAL = {"省": "省", "自治区": "自治区"}


def complete_unit(name: str | None, text: str) -> str | None:
    """A unit written without its province (自治区人民检察院, 省检察院) completed from the
    text it heads: the province or region the text names most (广西 → 广西壮族自治区人民检察院).
    Any other name, or a text naming no province of that level, is returned unchanged."""
    unit = parse_unit(name)
    if name is None or unit is None or not unit.regions:
        return name
    first = unit.regions[0]
    if first.core or first.level not in _LEVEL_OF_FORMAL:
        return name
    counts = {
        short: text.count(short)
        for short, formal in PROVINCES.items()
        if formal.endswith(first.level) and not formal.endswith("自治区" if first.level == "省" else "\0")
    }
    best = max(counts, key=lambda k: counts[k], default=None)
    if best is None or counts[best] == 0:
        return name
    stripped = re.sub(r"\s+", "", name)
    return PROVINCES[best] + stripped[len(first.level) :]
