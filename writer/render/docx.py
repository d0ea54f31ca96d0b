"""The .docx writer: a Document in the house style, every body paragraph traceable.

Word's own built-in styles carry the look (Title, Subtitle, Heading 1–4, Normal, plus
“Unit Line” for the unit under the title and “Table Text”), so the navigation pane
shows the outline and an editor restyles the whole draft by editing a style.  Without
a reference document the styles are built from config/style.yaml; with one, its
styles, page setup and footers are used as they are (styles it lacks are added from
style.yaml; page numbers are added only if it has no footer).

python-docx traps handled here (see /work/shared/GENRE.md):
  * East Asian fonts need ``w:rFonts/@w:eastAsia`` and NO theme font attributes
    (asciiTheme/eastAsiaTheme/hAnsiTheme/cstheme), else Word falls back to the theme's
    (Japanese) font; every rFonts in styles.xml is swept.
  * The default template says ja-JP (settings.xml themeFontLang) → zh-CN, and
    w:lang/@w:eastAsia is set in docDefaults and every configured style.
  * Character indents have no API: ``w:ind/@w:firstLineChars`` (+ a twip fallback).
  * Comments (python-docx ≥ 1.2) record the current time and zip entries the write time:
    ``render_docx(..., date=)`` fixes both (and the core properties' dates), so the same
    inputs give the same bytes (the pipeline passes SOURCE_DATE_EPOCH or the sources'
    newest modification time).

Sources: each body paragraph gets a Word comment listing its sources (switch off with
``comments=False``); ``sidecar(doc)`` gives the same as JSON for ``<output>.sources.json``.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any, Literal, overload

from writer.config.style import Style, TextStyle
from writer.errors import ConfigError, InputError
from writer.model.document import HEADING, MEETING, PARAGRAPH, SUBTITLE, TABLE, TITLE, UNIT, Block, Document
from writer.model.report import SourceRef

COMMENT_AUTHOR = "writer"
COMMENT_INITIALS = "W"
UNIT_STYLE = "Unit Line"
MEETING_STYLE = "Meeting Line"
TEMPLATE_NOTE = "模板文字，请核改"
TABLE_STYLE = "Table Text"
NO_SOURCE = "来源：无（请核实）"

_THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
_JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}

# Schema order of children (Word rejects some out-of-order documents).
_PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
    "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
    "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
    "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
).split()
_RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
    "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
    "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
).split()
_TBLPR_ORDER = (
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription"
).split()
_STYLE_ORDER = (
    "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed qFormat "
    "locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr"
).split()


# --------------------------------------------------------------------------- XML helpers


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _child(parent: Any, name: str, order: list[str]) -> Any:
    """Get or create ``w:name`` under parent, inserted at its schema position."""
    from docx.oxml import OxmlElement

    existing = parent.find(_qn(f"w:{name}"))
    if existing is not None:
        return existing
    element = OxmlElement(f"w:{name}")
    rank = order.index(name)
    for index, sibling in enumerate(parent):
        local = sibling.tag.rsplit("}", 1)[-1]
        if local in order and order.index(local) > rank:
            parent.insert(index, element)
            return element
    parent.append(element)
    return element


def _set(element: Any, **attrs: Any) -> Any:
    for key, value in attrs.items():
        element.set(_qn(f"w:{key}"), str(value))
    return element


def _twips(pt: float) -> int:
    return int(round(pt * 20))


def _strip_theme_fonts(root: Any) -> None:
    """Remove theme font attributes everywhere under root; drop rFonts left empty."""
    for rfonts in root.iter(_qn("w:rFonts")):
        for attr in _THEME_ATTRS:
            rfonts.attrib.pop(_qn(f"w:{attr}"), None)
        if not rfonts.attrib:
            rfonts.getparent().remove(rfonts)


def _run_props(
    rpr: Any, *, east_asia: str, latin: str, size_pt: float | None, bold: bool | None, language: str | None
) -> None:
    fonts = _child(rpr, "rFonts", _RPR_ORDER)
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(_qn(f"w:{attr}"), None)
    # hint=eastAsia: shared characters (“” — …) use the Chinese font
    _set(fonts, ascii=latin, hAnsi=latin, eastAsia=east_asia, cs=latin, hint="eastAsia")
    if bold is not None:
        _set(_child(rpr, "b", _RPR_ORDER), val=1 if bold else 0)
        _set(_child(rpr, "bCs", _RPR_ORDER), val=1 if bold else 0)
        _set(_child(rpr, "i", _RPR_ORDER), val=0)
        _set(_child(rpr, "iCs", _RPR_ORDER), val=0)
    if size_pt is not None:
        half_points = int(round(size_pt * 2))
        _set(_child(rpr, "sz", _RPR_ORDER), val=half_points)
        _set(_child(rpr, "szCs", _RPR_ORDER), val=half_points)
    if language:
        _set(_child(rpr, "lang", _RPR_ORDER), val="en-US", eastAsia=language, bidi="ar-SA")


def _paragraph_props(ppr: Any, text: TextStyle, *, outline_level: int | None = None, after_pt: float = 0) -> None:
    if outline_level is not None:
        _child(ppr, "keepNext", _PPR_ORDER)
        _child(ppr, "keepLines", _PPR_ORDER)
    spacing = _child(ppr, "spacing", _PPR_ORDER)
    spacing.attrib.clear()
    if text.line_spacing_pt:
        _set(spacing, before=0, after=_twips(after_pt), line=_twips(text.line_spacing_pt), lineRule="exact")
    else:
        _set(spacing, before=0, after=_twips(after_pt), line=240, lineRule="auto")
    ind = _child(ppr, "ind", _PPR_ORDER)
    ind.attrib.clear()
    # firstLineChars (hundredths of a character) wins in Word; firstLine is the fallback
    chars = text.first_line_chars
    _set(ind, firstLineChars=int(round(chars * 100)), firstLine=_twips(chars * text.size_pt))
    _set(_child(ppr, "jc", _PPR_ORDER), val=_JC[text.align])
    if outline_level is not None:
        _set(_child(ppr, "outlineLvl", _PPR_ORDER), val=outline_level)


# --------------------------------------------------------------------------- styles


@overload
def _style_element(document: Any, name: str, *, create: Literal[True]) -> Any: ...
@overload
def _style_element(document: Any, name: str, *, create: bool) -> Any | None: ...
def _style_element(document: Any, name: str, *, create: bool) -> Any | None:
    """The named paragraph style's element; with ``create`` a missing style is added, so never None."""
    from docx.enum.style import WD_STYLE_TYPE

    styles = document.styles
    try:
        return styles[name].element
    except KeyError:
        if not create:
            return None
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles["Normal"]
    style.quick_style = True
    return style.element


def _configure_paragraph_style(
    document: Any, name: str, text: TextStyle, style: Style, *, outline_level: int | None = None, after_pt: float = 0
) -> None:
    element = _style_element(document, name, create=True)
    # rebuild pPr and rPr: the default template's borders, colours, italics, numbering go
    for tag in ("w:pPr", "w:rPr"):
        old = element.find(_qn(tag))
        if old is not None:
            element.remove(old)
    ppr = _child(element, "pPr", _STYLE_ORDER)
    _paragraph_props(ppr, text, outline_level=outline_level, after_pt=after_pt)
    rpr = _child(element, "rPr", _STYLE_ORDER)
    _run_props(
        rpr, east_asia=text.font, latin=style.latin_font, size_pt=text.size_pt, bold=text.bold, language=style.language
    )
    # the linked character style (“Heading 1 Char”) must not bring back colour or theme fonts
    link = element.find(_qn("w:link"))
    if link is not None:
        linked = document.styles.element.get_by_id(link.get(_qn("w:val")))
        if linked is not None:
            old = linked.find(_qn("w:rPr"))
            if old is not None:
                linked.remove(old)
            _run_props(
                _child(linked, "rPr", _STYLE_ORDER),
                east_asia=text.font,
                latin=style.latin_font,
                size_pt=text.size_pt,
                bold=text.bold,
                language=style.language,
            )


def _configure_doc_defaults(document: Any, style: Style) -> None:
    styles = document.styles.element
    defaults = styles.find(_qn("w:docDefaults"))
    rpr = defaults.find(f"{_qn('w:rPrDefault')}/{_qn('w:rPr')}")
    _run_props(
        rpr,
        east_asia=style.body.font,
        latin=style.latin_font,
        size_pt=style.body.size_pt,
        bold=None,
        language=style.language,
    )
    spacing = defaults.find(f"{_qn('w:pPrDefault')}/{_qn('w:pPr')}/{_qn('w:spacing')}")
    if spacing is not None:  # template default of 10 pt after and 1.15 lines: none of that
        spacing.attrib.clear()
        _set(spacing, after=0, line=240, lineRule="auto")


def _build_styles(document: Any, style: Style) -> None:
    _configure_doc_defaults(document, style)
    _configure_paragraph_style(document, "Normal", style.body, style)
    _configure_paragraph_style(document, "Title", style.title, style, outline_level=None)
    _configure_paragraph_style(document, "Subtitle", style.subtitle, style)
    # the unit line is followed by one blank line (GB/T 9704): space after = one line
    _configure_paragraph_style(
        document, UNIT_STYLE, style.unit, style, after_pt=style.unit.line_spacing_pt or style.unit.size_pt
    )
    # the meeting line looks like the unit line and takes over its blank line after
    _configure_paragraph_style(
        document, MEETING_STYLE, style.unit, style, after_pt=style.unit.line_spacing_pt or style.unit.size_pt
    )
    for level in range(1, 5):
        _configure_paragraph_style(document, f"Heading {level}", style.heading(level), style, outline_level=level - 1)
    _configure_paragraph_style(document, TABLE_STYLE, style.table, style)
    _comment_styles(document, style)
    _strip_theme_fonts(document.styles.element)


def _comment_styles(document: Any, style: Style) -> None:
    """Word's “annotation text”/“annotation reference”: small, unindented comment text
    (without them a comment inherits Normal's 16 pt, indent and fixed spacing)."""
    from docx.enum.style import WD_STYLE_TYPE

    styles = document.styles
    if styles.element.get_by_id("CommentText") is None:
        text_style = styles.add_style("annotation text", WD_STYLE_TYPE.PARAGRAPH)
        text_style.element.set(_qn("w:styleId"), "CommentText")
        text_style.base_style = styles["Normal"]
        comment = TextStyle(
            font=style.body.font, size_pt=10.5, bold=False, align="left", first_line_chars=0, line_spacing_pt=None
        )
        ppr = _child(text_style.element, "pPr", _STYLE_ORDER)
        _paragraph_props(ppr, comment)
        rpr = _child(text_style.element, "rPr", _STYLE_ORDER)
        _run_props(
            rpr,
            east_asia=comment.font,
            latin=style.latin_font,
            size_pt=comment.size_pt,
            bold=None,
            language=style.language,
        )
    if styles.element.get_by_id("CommentReference") is None:
        ref_style = styles.add_style("annotation reference", WD_STYLE_TYPE.CHARACTER)
        ref_style.element.set(_qn("w:styleId"), "CommentReference")
        _set(_child(_child(ref_style.element, "rPr", _STYLE_ORDER), "sz", _RPR_ORDER), val=16)


def _fill_missing_styles(document: Any, style: Style) -> None:
    """Reference document: keep its styles, add only the ones it lacks."""
    wanted = [
        ("Title", style.title, None, 0.0),
        ("Subtitle", style.subtitle, None, 0.0),
        (UNIT_STYLE, style.unit, None, style.unit.line_spacing_pt or style.unit.size_pt),
        (MEETING_STYLE, style.unit, None, style.unit.line_spacing_pt or style.unit.size_pt),
        *((f"Heading {n}", style.heading(n), n - 1, 0.0) for n in range(1, 5)),
        (TABLE_STYLE, style.table, None, 0.0),
    ]
    for name, text, outline, after in wanted:
        if _style_element(document, name, create=False) is None:
            _configure_paragraph_style(document, name, text, style, outline_level=outline, after_pt=after)


def _set_language(document: Any, style: Style) -> None:
    settings = document.settings.element
    lang = settings.find(_qn("w:themeFontLang"))
    if lang is None:
        from docx.oxml import OxmlElement

        lang = OxmlElement("w:themeFontLang")
        # schema position: before clrSchemeMapping when present, else at the end is accepted
        anchor = settings.find(_qn("w:clrSchemeMapping"))
        if anchor is not None:
            anchor.addprevious(lang)
        else:
            settings.append(lang)
    _set(lang, val="en-US", eastAsia=style.language)
    document.core_properties.language = style.language


# --------------------------------------------------------------------------- page


def _page_setup(section: Any, style: Style) -> None:
    from docx.shared import Mm

    page = style.page
    section.page_width = Mm(page.width_mm)
    section.page_height = Mm(page.height_mm)
    section.top_margin = Mm(page.margin_top_mm)
    section.bottom_margin = Mm(page.margin_bottom_mm)
    section.left_margin = Mm(page.margin_left_mm)
    section.right_margin = Mm(page.margin_right_mm)
    section.footer_distance = Mm(page.footer_mm)
    section.header_distance = Mm(15)


def _page_number_run(paragraph: Any, style: Style, *, text: str | None = None, field: str | None = None) -> None:
    run = paragraph.add_run()
    number = style.page_number
    rpr = run._r.get_or_add_rPr()
    _run_props(
        rpr, east_asia=number.font, latin=number.font, size_pt=number.size_pt, bold=None, language=style.language
    )
    if text is not None:
        run.text = text
        return
    if field in ("begin", "separate", "end"):
        _set(_child_el(run._r, "w:fldChar"), fldCharType=field)
    elif field == "instr":
        instr = _child_el(run._r, "w:instrText")
        instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        instr.text = " PAGE "


def _child_el(parent: Any, tag: str) -> Any:
    from docx.oxml import OxmlElement

    element = OxmlElement(tag)
    parent.append(element)
    return element


def _page_number_paragraph(footer: Any, style: Style, align: str) -> None:
    number = style.page_number
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    ppr = paragraph._p.get_or_add_pPr()
    spacing = _child(ppr, "spacing", _PPR_ORDER)
    spacing.attrib.clear()
    _set(spacing, before=0, after=0, line=240, lineRule="auto")
    ind = _child(ppr, "ind", _PPR_ORDER)
    ind.attrib.clear()
    inset = {"firstLineChars": 0, "firstLine": 0}
    twips = _twips(number.indent_chars * number.size_pt)
    hundredths = int(round(number.indent_chars * 100))
    if align == "right":
        inset.update(rightChars=hundredths, right=twips)
    elif align == "left":
        inset.update(leftChars=hundredths, left=twips)
    _set(ind, **inset)
    _set(_child(ppr, "jc", _PPR_ORDER), val=_JC[align])
    before, _, after = number.format.partition("{n}")
    if before:
        _page_number_run(paragraph, style, text=before)
    for part in ("begin", "instr", "separate"):
        _page_number_run(paragraph, style, field=part)
    _page_number_run(paragraph, style, text="1")  # shown until the field is updated
    _page_number_run(paragraph, style, field="end")
    if after:
        _page_number_run(paragraph, style, text=after)


def _page_numbers(document: Any, section: Any, style: Style) -> None:
    document.settings.odd_and_even_pages_header_footer = True
    section.footer.is_linked_to_previous = False
    section.even_page_footer.is_linked_to_previous = False
    _page_number_paragraph(section.footer, style, style.page_number.odd)
    _page_number_paragraph(section.even_page_footer, style, style.page_number.even)


# --------------------------------------------------------------------------- body


def comment_lines(refs: tuple[SourceRef, ...]) -> list[str]:
    """The comment text of a paragraph: one line per source."""
    if not refs:
        return [NO_SOURCE]
    lines = [f"来源（{len(refs)}处）："]
    for ref in refs:
        article = f"《{ref.article}》" if ref.article else ""
        lines.append(f"{ref.label()} {article}".rstrip())
    return lines


def _comment(
    document: Any, run: Any, refs: tuple[SourceRef, ...], *, template: bool = False, date: dt.datetime | None = None
) -> None:
    """A Word comment over ``run`` (a run or a list of runs): the sources, or for text
    written from a template the note “模板文字，请核改” (then any sources)."""
    lines = comment_lines(refs)
    if template:
        lines = [TEMPLATE_NOTE] + (lines if refs else [])
    comment = document.add_comment(run, text=lines[0], author=COMMENT_AUTHOR, initials=COMMENT_INITIALS)
    if date is not None:
        comment._comment_elm.date = date
    for line in lines[1:]:
        comment.add_paragraph(line)


def _table(document: Any, block: Block, style: Style) -> Any:
    rows = block.rows
    width = max((len(r) for r in rows), default=0)
    if not rows or width == 0:
        return None
    table = document.add_table(rows=len(rows), cols=width)
    tblpr = table._tbl.tblPr
    borders = _child(tblpr, "tblBorders", _TBLPR_ORDER)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _set(_child_el(borders, f"w:{edge}"), val="single", sz=4, space=0, color="000000")
    # Row by row: table.cell(r, c) walks the whole grid on every call, and a style
    # lookup by name scans the styles part; both made a 200-row table take seconds.
    table_style_id = document.styles[TABLE_STYLE].style_id
    first_run = None
    for r, (row, table_row) in enumerate(zip(rows, table.rows)):
        if r == 0:  # header row repeats on every page
            _child_el(table_row._tr.get_or_add_trPr(), "w:tblHeader")
        for c, cell in enumerate(table_row.cells):
            paragraph = cell.paragraphs[0]
            paragraph._p.style = table_style_id  # the id, set once per cell without a lookup
            run = paragraph.add_run(row[c] if c < len(row) else "")
            if r == 0:
                run.bold = True
            first_run = first_run or run
    return first_run


def _clear_body(document: Any) -> None:
    body = document.element.body
    for child in list(body):
        if child.tag != _qn("w:sectPr"):
            body.remove(child)


_STYLE_OF = {TITLE: "Title", SUBTITLE: "Subtitle", UNIT: UNIT_STYLE, MEETING: MEETING_STYLE, PARAGRAPH: "Normal"}


def _add_runs(paragraph: Any, block: Block) -> list[Any]:
    """The block's text as runs: a bold run for its emphasised lead, then a normal run;
    a title's "\n" becomes a line break (w:br) inside the one Title paragraph."""
    text = block.text
    if block.kind == TITLE and "\n" in text:
        run = paragraph.add_run()
        for n, line in enumerate(text.split("\n")):
            if n:
                run.add_break()
            run.add_text(line)
        return [run]
    cut = min(max(block.emphasis, 0), len(text))
    if not cut:
        return [paragraph.add_run(text)]
    runs = [paragraph.add_run(text[:cut])]
    runs[0].bold = True
    if cut < len(text):
        runs.append(paragraph.add_run(text[cut:]))
    return runs


def _space_after_none(paragraph: Any) -> None:
    """No blank line after this paragraph (a unit line followed by the meeting line)."""
    ppr = paragraph._p.get_or_add_pPr()
    _set(_child(ppr, "spacing", _PPR_ORDER), after=0)


def render_docx(
    doc: Document,
    style: Style,
    *,
    comments: bool = True,
    reference_docx: Path | None = None,
    date: dt.datetime | None = None,
) -> bytes:
    """The .docx file's bytes (write them with ``writer.render.output.atomic_write``).

    ``date`` (UTC) fixes the comment dates, the core properties' dates and the zip
    entries' times, so that the same inputs give the same bytes; None keeps the
    library's defaults (the current time)."""
    import docx

    if reference_docx is not None:
        reference_docx = Path(reference_docx)
        if not reference_docx.is_file():
            raise ConfigError(f"找不到参考文档：{reference_docx}。请检查 --reference-docx 的路径。")
        try:
            document = docx.Document(str(reference_docx))
        except Exception as exc:  # python-docx raises several types for a bad package
            raise InputError(
                f"参考文档 {reference_docx} 不是有效的 .docx 文件（{type(exc).__name__}）。请用 Word 另存为 .docx 后再试。"
            ) from exc
        _clear_body(document)
        _fill_missing_styles(document, style)
        section = document.sections[-1]
        if section.footer.is_linked_to_previous:  # the reference has no footer: add page numbers
            _page_numbers(document, section, style)
    else:
        document = docx.Document()
        _clear_body(document)
        _build_styles(document, style)
        _set_language(document, style)
        section = document.sections[0]
        _page_setup(section, style)
        _page_numbers(document, section, style)
    _core_properties(document, doc, date)

    previous: tuple[str, Any] | None = None  # the last paragraph's kind and element
    for block in doc.blocks:
        if block.kind == MEETING and previous is not None and previous[0] == UNIT:
            _space_after_none(previous[1])
        if block.kind == TABLE:
            first_run = _table(document, block, style)
            if comments and first_run is not None and block.refs:
                _comment(document, first_run, block.refs, date=date)
            continue
        if block.kind == HEADING:
            name = f"Heading {min(max(block.level, 1), 4)}"
        elif block.kind in _STYLE_OF:
            name = _STYLE_OF[block.kind]
        else:
            raise ValueError(f"未知的块类型：{block.kind}")
        paragraph = document.add_paragraph(style=document.styles[name])
        runs = _add_runs(paragraph, block)
        previous = (block.kind, paragraph)
        if comments and block.kind == PARAGRAPH:
            _comment(document, runs if len(runs) > 1 else runs[0], block.refs, template=block.template, date=date)
    buffer = io.BytesIO()
    document.save(buffer)
    data = buffer.getvalue()
    return data if date is None else _fixed_zip_times(data, date)


def _fixed_zip_times(data: bytes, date: dt.datetime) -> bytes:
    """The same package with every entry stamped ``date`` (zip times start in 1980)."""
    import zipfile

    stamp = max(date.replace(tzinfo=None), dt.datetime(1980, 1, 1)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()


def _core_properties(document, doc: Document, date: dt.datetime | None = None) -> None:
    """File properties: the outline's title, the unit as author, the sources' date (or
    today's) — not python-docx's template values (created 2013, "generated by python-docx")."""
    props = document.core_properties
    when = date.astimezone(dt.UTC) if date is not None else dt.datetime.now(dt.UTC)
    now = when.replace(microsecond=0, tzinfo=None)  # OOXML stores UTC
    author = doc.unit or COMMENT_AUTHOR
    props.title = doc.title
    props.author = author
    props.last_modified_by = author
    props.created = now
    props.modified = now
    props.last_printed = now
    props.revision = 1
    props.comments = ""
    props.subject = ""
    props.keywords = ""
    props.category = ""


# --------------------------------------------------------------------------- sidecar


def sidecar(doc: Document) -> dict:
    """The ``<output>.sources.json`` content read by ``writer check``.

    ``index`` is the block's 0-based position in the Document (title, headings and
    tables included, so kinds other than ``paragraph`` appear with empty sources).
    """
    paragraphs = []
    for index, block in enumerate(doc.blocks):
        entry: dict[str, Any] = {
            "index": index,
            "kind": block.kind,
            "text": block.text if block.kind != TABLE else "\n".join("\t".join(r) for r in block.rows),
            "passages": list(dict.fromkeys(r.passage_id for r in block.refs)),
            "sources": [
                {
                    "passage_id": r.passage_id,
                    "path": r.path,
                    "unit": r.unit,
                    "line_start": r.line_start,
                    "line_end": r.line_end,
                    "article": r.article,
                }
                for r in block.refs
            ],
        }
        if block.kind == HEADING:
            entry["level"] = block.level
        if block.template:
            entry["template"] = True
        if block.overflow:
            entry["more_rows"] = [list(r) for r in block.overflow]
        paragraphs.append(entry)
    out: dict[str, Any] = {"document": doc.title}
    if doc.perspective is not None:
        out["unit"] = doc.unit
        out["perspective"] = doc.perspective
    if doc.notes:
        out["notes"] = list(doc.notes)
    out["paragraphs"] = paragraphs
    return out
