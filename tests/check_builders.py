"""Builders for `writer check` tests: a small clean draft in the house style.

The draft text is built only from tests/fixtures/check/sources/*.txt, so a
clean build has no findings; tests plant one mistake at a time.
"""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "check"
SOURCES = FIXTURES / "sources"

# (kind, text): kind is title / unit / h1 / body
CLEAN = [
    ("title", "以“红色检徽”党建品牌促进检察工作高质量发展"),
    ("unit", "江南市人民检察院"),
    (
        "body",
        "近年来，江南市人民检察院坚持以党建引领业务，党建品牌建设成效明显。2023年，全院共办理各类案件1,286件，同比上升12.5%。",
    ),
    ("h1", "一、强化政治引领"),
    ("body", "一是坚持“第一议题”制度。全年组织党组理论学习中心组学习24次，开展专题研讨8场。"),
    (
        "body",
        "二是深化“检察开放日”活动。邀请人大代表、政协委员360余人次走进检察机关，连续三年获评全市政务公开先进单位。",
    ),
    ("h1", "二、建强组织体系"),
    (
        "body",
        "全院设立党支部7个，党员干部112名，评选“五星支部”3个。全年办理公益诉讼案件45件，督促挽回经济损失2.9万余元。",
    ),
    (
        "body",
        "研究制定《江南市检察机关党建与业务融合工作指引》，推动党建与业务同部署、同落实。下一步，我院将继续深化“红色检徽”品牌建设，推动党建与业务深度融合。",
    ),
]


def _set_east_asia(rpr_owner, font: str) -> None:
    from docx.oxml.ns import qn

    rpr = rpr_owner.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:eastAsia"), font)
    rfonts.set(qn("w:ascii"), "Times New Roman")
    rfonts.set(qn("w:hAnsi"), "Times New Roman")


def _page_field(paragraph) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph.add_run("— ")
    paragraph._p.append(
        parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>')
    )
    paragraph.add_run(" —")


def build_docx(path: Path, paragraphs=CLEAN, *, margin_left_mm: float = 28, page_numbers: bool = True) -> Path:
    """Write a house-style .docx (A4, GB/T 9704 margins, 仿宋 16 pt, exact 28 pt)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    d = docx.Document()
    sec = d.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(margin_left_mm), Mm(26)

    normal = d.styles["Normal"]
    normal.font.size = Pt(16)
    _set_east_asia(normal.element, "仿宋_GB2312")
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(28)
    ind = normal.element.get_or_add_pPr().get_or_add_ind()
    # Word reads firstLineChars; LibreOffice drops it and keeps only the
    # absolute firstLine (2 × 16 pt = 640 twips), so write both.
    ind.set(qn("w:firstLineChars"), "200")
    ind.set(qn("w:firstLine"), "640")
    for name, font, size in (
        ("Title", "方正小标宋简体", 22),
        ("Heading 1", "黑体", 16),
        ("Heading 2", "楷体_GB2312", 16),
    ):
        st = d.styles[name]
        st.font.size = Pt(size)
        st.font.bold = False
        _set_east_asia(st.element, font)

    for kind, text in paragraphs:
        if kind == "title":
            p = d.add_paragraph(text, style="Title")
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "h1":
            d.add_paragraph(text, style="Heading 1")
        elif kind == "h2":
            d.add_paragraph(text, style="Heading 2")
        elif kind == "unit":
            p = d.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _set_east_asia(p.add_run(text)._r, "楷体_GB2312")
        else:
            d.add_paragraph(text)

    if page_numbers:
        d.settings.odd_and_even_pages_header_footer = True
        odd = sec.footer.paragraphs[0]
        odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _page_field(odd)
        even = sec.even_page_footer.paragraphs[0]
        even.alignment = WD_ALIGN_PARAGRAPH.LEFT
        _page_field(even)
    d.save(str(path))
    return path


def build_markdown(path: Path, paragraphs=CLEAN) -> Path:
    lines = []
    for kind, text in paragraphs:
        prefix = {"title": "# ", "h1": "## ", "h2": "### "}.get(kind, "")
        lines.append(prefix + text)
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return path


def replace(paragraphs, old: str, new: str):
    """The paragraphs with one planted change (asserting it applied)."""
    out = [(k, t.replace(old, new, 1)) for k, t in paragraphs]
    assert out != list(paragraphs), f"没有找到要替换的“{old}”"
    return out
