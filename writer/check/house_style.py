"""House-style checks of an edited .docx against config/style.yaml.

Page size and margins (±0.5 mm), the body font (East Asian font and size),
fixed 28 pt line spacing, the 2-character first-line indent, heading styles and
fonts, and a PAGE field in the footer.  Values are read the way Word resolves
them: the paragraph's own properties, then its style and the styles it is
based on, then the document defaults.
"""

from __future__ import annotations

import re
from pathlib import Path

from writer.check.draft_reading import W_NS, Draft, DraftParagraph
from writer.check.findings import Finding
from writer.errors import ConfigError
from writer.text.enumerators import HEADING_ENUMS

_W = f"{{{W_NS}}}"
MM_TOLERANCE = 0.5
_EMU_PER_MM = 36000
_TWIPS_PER_PT = 20


def load_house_style(path: Path | None = None) -> dict:
    """config/style.yaml (or the file given) as a dict, read and checked by the
    config layer (``writer.config.style.read_style_file``: unknown keys and wrong
    types are reported at once, with lines); not merged over the bundled style, so
    the file must have its page and body sections."""
    from writer.config.paths import CONFIG_DIR
    from writer.config.style import read_style_file

    path = Path(path) if path else CONFIG_DIR / "style.yaml"
    data = read_style_file(path, what="版式配置")
    if not isinstance(data.get("page"), dict) or not isinstance(data.get("body"), dict):
        raise ConfigError(f"版式配置 {path} 缺少 page 或 body 段，请参照 config/style.yaml 补全。")
    return data


def _finding(severity: str, paragraph: int, excerpt: str, message: str, suggestion: str):
    return Finding("style", severity, paragraph, excerpt, message, suggestion)


# ---------------------------------------------------------------- resolution


class _Resolver:
    """Effective paragraph/run properties, following Word's inheritance."""

    def __init__(self, docx_document):
        self.doc = docx_document
        styles_el = docx_document.styles.element
        self.by_id = {s.get(_W + "styleId"): s for s in styles_el.findall(_W + "style")}
        self.default_para = next(
            (
                s
                for s in self.by_id.values()
                if s.get(_W + "type") == "paragraph" and s.get(_W + "default") in ("1", "true")
            ),
            None,
        )
        defaults = styles_el.find(_W + "docDefaults")
        self.ppr_default = defaults.find(f"{_W}pPrDefault/{_W}pPr") if defaults is not None else None
        self.rpr_default = defaults.find(f"{_W}rPrDefault/{_W}rPr") if defaults is not None else None

    def style_chain(self, style_el) -> list:
        chain, seen = [], set()
        while style_el is not None and id(style_el) not in seen:
            seen.add(id(style_el))
            chain.append(style_el)
            based = style_el.find(_W + "basedOn")
            style_el = self.by_id.get(based.get(_W + "val")) if based is not None else None
        return chain

    def paragraph_style(self, p):
        ps = p.find(f"{_W}pPr/{_W}pStyle")
        if ps is not None and ps.get(_W + "val") in self.by_id:
            return self.by_id[ps.get(_W + "val")]
        return self.default_para

    def ppr_attr(self, p, child: str, attr: str):
        """First value of pPr/child/@attr along paragraph → styles → defaults."""
        sources = [p.find(_W + "pPr")] + [s.find(_W + "pPr") for s in self.style_chain(self.paragraph_style(p))]
        sources.append(self.ppr_default)
        for ppr in sources:
            if ppr is None:
                continue
            el = ppr.find(_W + child)
            if el is not None and el.get(_W + attr) is not None:
                return el.get(_W + attr)
        return None

    def rpr_attr(self, run, p, child: str, attr: str):
        """First value of rPr/child/@attr along run → run style → paragraph styles → defaults."""
        sources = [run.find(_W + "rPr") if run is not None else None]
        rstyle = run.find(f"{_W}rPr/{_W}rStyle") if run is not None else None
        if rstyle is not None and rstyle.get(_W + "val") in self.by_id:
            sources += [s.find(_W + "rPr") for s in self.style_chain(self.by_id[rstyle.get(_W + "val")])]
        sources += [s.find(_W + "rPr") for s in self.style_chain(self.paragraph_style(p))]
        sources.append(self.rpr_default)
        for rpr in sources:
            if rpr is None:
                continue
            el = rpr.find(_W + child)
            if el is not None and el.get(_W + attr) is not None:
                return el.get(_W + attr)
        return None


def _text_runs(p) -> list:
    runs = []
    for r in p.iter(_W + "r"):
        if any(a.tag in (_W + "del", _W + "moveFrom") for a in r.iterancestors()):
            continue
        if "".join(t.text or "" for t in r.findall(_W + "t")).strip():
            runs.append(r)
    return runs


def _cjk_runs(p) -> list:
    return [
        r for r in _text_runs(p) if re.search(r"[\u3400-\u9fff]", "".join(t.text or "" for t in r.findall(_W + "t")))
    ]


# ---------------------------------------------------------------- checks


def check_page_setup(draft: Draft, style: dict) -> list:
    page = style["page"]
    want = {
        "页面宽度": ("page_width", page.get("width_mm")),
        "页面高度": ("page_height", page.get("height_mm")),
        "上边距": ("top_margin", page.get("margin_top_mm")),
        "下边距": ("bottom_margin", page.get("margin_bottom_mm")),
        "左边距": ("left_margin", page.get("margin_left_mm")),
        "右边距": ("right_margin", page.get("margin_right_mm")),
    }
    out: list[Finding] = []
    document = draft.docx
    if document is None:  # a .md draft has no page setup
        return out
    for n, section in enumerate(document.sections, 1):
        where = f"第{n}节" if len(document.sections) > 1 else "页面设置"
        for label, (attr, mm) in want.items():
            if mm is None:
                continue
            value = getattr(section, attr)
            actual = value / _EMU_PER_MM if value is not None else None
            if actual is None or abs(actual - float(mm)) > MM_TOLERANCE:
                shown = f"{actual:.1f} 毫米" if actual is not None else "未设置"
                out.append(
                    _finding(
                        "error",
                        0,
                        where,
                        f"{label}为 {shown}，版式要求 {mm} 毫米",
                        f"在“布局—页面设置”中把{label}改为 {mm} 毫米。",
                    )
                )
    return out


def _body_paragraphs(draft: Draft) -> list[DraftParagraph]:
    """Ordinary text paragraphs: no title/heading style, not centred, not in a
    table, not an enumerated 一、/（一） heading (those have their own fonts)."""
    out = []
    for para in draft.paragraphs:
        p = para.element
        if para.level or para.is_title or para.in_table or p is None:
            continue
        if any(rx.match(para.text) for level, rx in HEADING_ENUMS if level <= 2):
            continue
        jc = p.find(f"{_W}pPr/{_W}jc")
        if jc is not None and jc.get(_W + "val") in ("center", "right", "end"):
            continue
        if len(para.text) <= 40 and not re.search(r"[。！？；]$", para.text):
            continue  # unit lines, paired headings, dates: not body text
        out.append(para)
    return out


def _summarise(bad: list[DraftParagraph], message: str, suggestion: str, severity: str = "error") -> list:
    if not bad:
        return []
    first = bad[0]
    count = f"（共 {len(bad)} 段，首见第 {first.index} 段）" if len(bad) > 1 else ""
    return [
        _finding(
            severity, first.index, first.text[:20] + ("…" if len(first.text) > 20 else ""), message + count, suggestion
        )
    ]


def _font_matches(actual: str | None, wanted: str) -> bool:
    if not actual:
        return False

    # “仿宋_GB2312” and “仿宋” are the same face for the eye; accept either.
    def face(name: str) -> str:
        return name.replace("_GB2312", "").replace("_GBK", "").strip()

    return face(actual) == face(wanted)


def check_body_text(draft: Draft, style: dict, resolver: _Resolver) -> list:
    body = style["body"]
    font, size = body.get("font"), body.get("size_pt")
    spacing, indent_chars = body.get("line_spacing_pt"), body.get("first_line_chars")
    bad_font, bad_size, bad_spacing, bad_indent = [], [], [], []
    for para in _body_paragraphs(draft):
        p = para.element
        runs = _cjk_runs(p)
        if font and any(not _font_matches(resolver.rpr_attr(r, p, "rFonts", "eastAsia"), font) for r in runs):
            bad_font.append(para)
        if size:
            sizes = [resolver.rpr_attr(r, p, "sz", "val") for r in runs]
            if any(s is None or abs(int(s) / 2 - float(size)) > 0.25 for s in sizes):
                bad_size.append(para)
        if spacing:
            rule = resolver.ppr_attr(p, "spacing", "lineRule")
            line = resolver.ppr_attr(p, "spacing", "line")
            if rule != "exact" or line is None or abs(int(line) / _TWIPS_PER_PT - float(spacing)) > 0.25:
                bad_spacing.append(para)
        if indent_chars:
            chars = resolver.ppr_attr(p, "ind", "firstLineChars")
            twips = resolver.ppr_attr(p, "ind", "firstLine")
            ok = chars is not None and abs(int(chars) / 100 - float(indent_chars)) < 0.05
            if chars is None or int(chars) == 0:
                # An absolute indent is fine if it equals N characters of the body size.
                ok = twips is not None and size and abs(int(twips) / _TWIPS_PER_PT - indent_chars * float(size)) <= 1
            if not ok:
                bad_indent.append(para)
    out = []
    out += _summarise(bad_font, f"正文字体不是“{font}”", f"把正文（“正文”样式）的中文字体设为“{font}”。")
    out += _summarise(bad_size, f"正文字号不是 {size} 磅", f"把正文字号设为 {size} 磅（三号）。")
    out += _summarise(bad_spacing, f"正文行距不是固定值 {spacing} 磅", f"在“段落”中把行距设为“固定值 {spacing} 磅”。")
    out += _summarise(
        bad_indent,
        f"正文首行缩进不是 {indent_chars} 字符",
        f"在“段落”中把首行缩进设为 {indent_chars} 字符。",
        severity="warning",
    )
    return out


_HEADING_TEXT = [(level, rx) for level, rx in HEADING_ENUMS if level <= 2]


def check_headings(draft: Draft, style: dict, resolver: _Resolver) -> list:
    """一、/（一） headings: a heading style (for the navigation pane) and the heading font."""
    out = []
    unstyled: dict[int, list[DraftParagraph]] = {1: [], 2: []}
    wrong_font: dict[int, list[DraftParagraph]] = {1: [], 2: []}
    for para in draft.paragraphs:
        if para.in_table or para.element is None or len(para.text) > 80:
            continue
        for level, rx in _HEADING_TEXT:
            if not rx.match(para.text):
                continue
            if para.level != level:
                unstyled[level].append(para)
            wanted = (style.get(f"heading{level}") or {}).get("font")
            runs = _cjk_runs(para.element)
            if wanted and any(
                not _font_matches(resolver.rpr_attr(r, para.element, "rFonts", "eastAsia"), wanted) for r in runs
            ):
                wrong_font[level].append(para)
    for level in (1, 2):
        out += _summarise(
            unstyled[level],
            f"{level}级标题未使用“标题 {level}”样式",
            f"给该段套用“标题 {level}”样式，便于导航和生成目录。",
            severity="warning",
        )
        wanted = (style.get(f"heading{level}") or {}).get("font")
        out += _summarise(
            wrong_font[level],
            f"{level}级标题字体不是“{wanted}”",
            f"把该级标题的中文字体设为“{wanted}”。",
            severity="warning",
        )
    return out


def _has_page_field(footer_el) -> bool:
    if footer_el is None:
        return False
    for f in footer_el.iter(_W + "fldSimple"):
        if re.search(r"\bPAGE\b", f.get(_W + "instr") or ""):
            return True
    instr = "".join(t.text or "" for t in footer_el.iter(_W + "instrText"))
    return bool(re.search(r"\bPAGE\b", instr))


def check_page_numbers(draft: Draft, style: dict) -> list:
    out: list[Finding] = []
    document = draft.docx
    if document is None:  # a .md draft has no footers
        return out
    pn = style.get("page_number") or {}
    settings = document.settings.element
    even_odd = settings.find(_W + "evenAndOddHeaders") is not None
    for n, section in enumerate(document.sections, 1):
        where = f"第{n}节页脚" if len(document.sections) > 1 else "页脚"
        footer = section.footer
        el = None if footer.is_linked_to_previous and n > 1 else footer._element
        if n > 1 and footer.is_linked_to_previous:
            continue  # inherits the previous section's footer
        if not _has_page_field(el):
            out.append(_finding("error", 0, where, "页脚没有页码（PAGE 域）", "在“插入—页码”中插入页码，格式“— 1 —”。"))
            continue
        if pn.get("odd") and pn.get("even") and pn["odd"] != pn["even"]:
            if not even_odd:
                out.append(
                    _finding(
                        "warning",
                        0,
                        where,
                        "页码未设奇偶页不同（版式要求单页居右、双页居左）",
                        "在“页眉和页脚”中勾选“奇偶页不同”，双页页码居左。",
                    )
                )
            elif not _has_page_field(section.even_page_footer._element):
                out.append(_finding("warning", 0, where, "偶数页页脚没有页码", "在偶数页页脚插入页码并居左。"))
    return out


def check_house_style(draft: Draft, style: dict) -> list:
    """All house-style checks for a .docx draft (nothing for .md)."""
    if draft.format != "docx" or draft.docx is None:
        return []
    resolver = _Resolver(draft.docx)
    return (
        check_page_setup(draft, style)
        + check_body_text(draft, style, resolver)
        + check_headings(draft, style, resolver)
        + check_page_numbers(draft, style)
    )
