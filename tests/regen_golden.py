"""Golden files for the writers, and the one command that regenerates them.

Regenerate after an intended change of wording or style, then review the diff:

    /work/venv/bin/python -m tests.regen_golden        (from the project root)

Goldens (tests/golden/):
  * report.md — the Markdown of the fixture report (tests/report_fixture.py, with its
    subsection);
  * docx/*.xml — XML parts of the .docx of the same report, compared by content, not
    zip bytes: word/document.xml, word/footer1.xml, word/footer2.xml, word/settings.xml,
    word/comments.xml, and from word/styles.xml the docDefaults plus the styles the
    writer configures (the other ~300 built-in styles are the template's, not ours).
    Normalised: comment dates (python-docx records the time of writing) become
    DATE, and the XML is re-serialised with indentation so diffs are readable.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
DOCX_GOLDEN_DIR = GOLDEN_DIR / "docx"
MARKDOWN_GOLDEN = GOLDEN_DIR / "report.md"
DOCX_PARTS = (
    "word/document.xml",
    "word/styles.xml",
    "word/footer1.xml",
    "word/footer2.xml",
    "word/settings.xml",
    "word/comments.xml",
)
CONFIGURED_STYLES = (
    "Normal",
    "Title",
    "TitleChar",
    "Subtitle",
    "SubtitleChar",
    "UnitLine",
    "MeetingLine",
    "Heading1",
    "Heading1Char",
    "Heading2",
    "Heading2Char",
    "Heading3",
    "Heading3Char",
    "Heading4",
    "Heading4Char",
    "TableText",
    "CommentText",
    "CommentReference",
)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def fixture_document():
    from tests.report_fixture import build_report
    from writer.render.layout import layout_report
    from writer.render.templates import load_templates

    return layout_report(build_report(nested=True), load_templates())


def fixture_markdown() -> str:
    from writer.render.markdown import render_markdown

    return render_markdown(fixture_document())


def fixture_docx() -> bytes:
    from writer.config.style import load_style
    from writer.render.docx import render_docx

    return render_docx(fixture_document(), load_style())


def normalise_part(name: str, xml: bytes) -> str:
    from lxml import etree

    root = etree.fromstring(xml, etree.XMLParser(remove_blank_text=True))
    for element in root.iter(f"{{{W}}}comment"):
        if element.get(f"{{{W}}}date"):
            element.set(f"{{{W}}}date", "DATE")
    if name == "word/styles.xml":
        keep = set(CONFIGURED_STYLES)
        for child in list(root):
            local = etree.QName(child).localname
            if local == "docDefaults":
                continue
            if local == "style" and child.get(f"{{{W}}}styleId") in keep:
                continue
            root.remove(child)
    return etree.tostring(root, pretty_print=True, encoding="unicode")


def docx_parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        return {name: normalise_part(name, archive.read(name)) for name in DOCX_PARTS if name in names}


def golden_name(part: str) -> Path:
    return DOCX_GOLDEN_DIR / Path(part).name


def regenerate() -> list[Path]:
    DOCX_GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    written = [MARKDOWN_GOLDEN]
    MARKDOWN_GOLDEN.write_text(fixture_markdown(), encoding="utf-8")
    for part, text in docx_parts(fixture_docx()).items():
        golden_name(part).write_text(text, encoding="utf-8")
        written.append(golden_name(part))
    return written


if __name__ == "__main__":
    for path in regenerate():
        sys.stdout.write(f"已更新 {path}\n")
