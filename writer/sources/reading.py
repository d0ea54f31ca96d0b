"""Reading source files: find them, detect their encoding, extract their text.

Public interface (the structure stage depends on it):

    SUPPORTED                               # extension → format name
    discover(paths) -> list[Path]           # supported files under the given paths, sorted, no duplicates
    decode_bytes(data) -> (text, encoding)  # BOM, strict UTF-8, strict GB18030, then chardet
    read_document(path) -> RawDocument      # one file's text, per-line styles, hash

``RawDocument.line_styles`` is either ``()`` (plain text) or has exactly one entry
per line of ``text``: "Title", "Heading 1".."Heading 4" or None.  .docx, .md and
.html give per-line styles; .txt gives ().

Failures raise writer.errors.InputError / UsageError with one line of Chinese
naming the file and the fix.  Heavy modules (docx, lxml, trafilatura, chardet)
are imported inside the functions that need them.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from writer.errors import InputError, UsageError, os_reason

SUPPORTED = {
    ".txt": "txt",
    ".md": "md",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".doc": "doc",
    ".wps": "wps",
    ".odt": "odt",
    ".rtf": "rtf",
}
_SUPPORTED_SHOWN = " ".join(SUPPORTED)
# Formats read by converting to .docx with LibreOffice (soffice) first.
OFFICE_FORMATS = ("doc", "wps", "odt", "rtf")

TITLE = "Title"
MAX_HEADING = 4  # the genre uses at most four heading levels (一、（一）1.（1）)


@dataclass(frozen=True)
class RawDocument:
    path: str  # as shown to the user
    format: str  # txt | md | docx | html | pdf | doc | wps | odt | rtf
    encoding: str
    text: str  # decoded text; for docx one line per paragraph; newlines normalised to \n
    line_styles: tuple[str | None, ...]  # () or one entry per line: "Title", "Heading 1".. or None
    sha256: str
    # What reading changed or lost (tracked changes resolved, undecodable lines):
    # (line number or None, one line of Chinese).
    warnings: tuple[tuple[int | None, str], ...] = ()


# ---------------------------------------------------------------- discover


_DIGIT_RUNS = re.compile(r"(\d+)")


def _natural_key(path: Path) -> list:
    # "2.txt" before "10.txt": users number their files without zero padding.  Splitting on
    # digit runs alternates text and digits, so the runs (odd places) compare as numbers.
    parts: list = _DIGIT_RUNS.split(path.as_posix().casefold())
    parts[1::2] = map(int, parts[1::2])
    return parts


def _skipped_name(name: str) -> bool:
    # Hidden files/folders, and Office lock files (~$报告.docx) left behind by an open Word.
    return name.startswith(".") or name.startswith("~$")


def discover(paths: list[Path]) -> list[Path]:
    """Supported files named by ``paths`` (files, or folders searched recursively).

    Sorted in natural order, without duplicates; hidden files/folders and Office
    lock files inside folders are skipped.  A missing path or an explicitly named
    file of an unsupported type is a UsageError.
    """
    return survey(paths)[0]


def survey(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """(supported files, files of an unsupported type) under ``paths``.

    Both lists are sorted in natural order without duplicates.  The second lists
    every other file found inside the folders, so that none is left out in silence;
    hidden files (.DS_Store) and Office lock files (~$报告.docx) are not source files
    and appear in neither list.
    """
    found: list[tuple[str, Path]] = []  # (identity, path as found)
    others: list[tuple[str, Path]] = []
    for p in paths:
        p = Path(p)
        if not p.exists():
            raise UsageError(f"找不到路径：{p}。请检查路径拼写，或先把素材放进该文件夹。")
        if p.is_dir():
            for key, path in _walk(str(p)):
                (found if os.path.splitext(path)[1].lower() in SUPPORTED else others).append((key, Path(path)))
        elif p.suffix.lower() in SUPPORTED:
            found.append((_identity(p), p))
        else:
            raise UsageError(f"不支持的文件类型：{p}。只能读取 {_SUPPORTED_SHOWN} 文件，请另存为其中一种格式后重试。")
    return _unique_sorted(found), _unique_sorted(others)


def _walk(top: str) -> Iterator[tuple[str, str]]:
    """(identity, path) of every file under ``top``, hidden names skipped.

    Like os.walk without following symlinked folders (no loops), but the identity of a
    plain file is its folder's real path plus its name — one realpath per folder, not
    one per file (10,000 files); a symlinked file is resolved on its own."""
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            real = os.path.realpath(folder)
            with os.scandir(folder) as entries:
                listed = list(entries)
        except OSError:
            continue  # an unreadable folder is skipped, as os.walk does
        for e in listed:
            if _skipped_name(e.name):
                continue
            try:
                if e.is_dir(follow_symlinks=False):
                    stack.append(e.path)
                    continue
                if e.is_symlink():
                    if e.is_dir():
                        continue  # a symlinked folder is not followed
                    yield _identity(Path(e.path)), e.path
                    continue
            except OSError:
                pass
            yield os.path.join(real, e.name), e.path


def _identity(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):  # a symlink loop: kept, so that reading it reports it by name
        return str(path.absolute())


def _unique_sorted(files: list[tuple[str, Path]]) -> list[Path]:
    unique: dict[str, Path] = {}
    for key, f in files:
        unique.setdefault(key, f)
    return sorted(unique.values(), key=_natural_key)


def unsupported_message(path: Path) -> str:
    """Why a file found in a source folder is not read, and what to do (one line)."""
    suffix = path.suffix.lower()
    kind = f"不支持的文件类型（{suffix}）" if suffix else "不支持的文件类型（没有扩展名）"
    return f"{path} 是{kind}，未读取。如是素材，请另存为 .docx 或 .txt 后放回；否则可移出素材文件夹。"


# ---------------------------------------------------------------- decoding

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF87a", "GIF 图片"),
    (b"GIF89a", "GIF 图片"),
    (b"%PDF-", "PDF 文件"),
    (b"PK\x03\x04", "ZIP 压缩包或 Office 文档"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "旧版 Office 文档（.doc/.xls）或加密文档"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩文件"),
    (b"{\\rtf", "RTF 文档"),
)

_BOMS = (
    # UTF-32 first: its LE BOM starts with the UTF-16 LE BOM.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_ALLOWED_CONTROLS = set("\t\n\r\f\v\x1a")  # \x1a: DOS end-of-file mark in old exports


def _what_binary(data: bytes) -> str | None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    return None


# Characters of ordinary text; only the rest is looked at one by one (speed on big files).
_ORDINARY = re.compile(r"[\t\n\r\f\v\x1a\x20-\x7e\xa0-\u05ff\u2000-\u2bff\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]+")


def _garbage_share(text: str) -> float:
    """Share of characters no real text contains: control, private-use, unassigned, surrogate."""
    if not text:
        return 0.0
    bad = 0
    for c in _ORDINARY.sub("", text):
        if c < " " or "\x7f" <= c <= "\x9f" or unicodedata.category(c) in ("Co", "Cn", "Cs"):
            bad += 1
    return bad / len(text)


def _gb2312_share(text: str) -> float:
    """Share of non-ASCII characters inside GB2312 — near 1 for real simplified Chinese.

    Big5 or Shift-JIS bytes also decode as GB18030, but into rare characters outside GB2312.
    """
    ascii_count = len(text.encode("ascii", "ignore"))
    non_ascii = len(text) - ascii_count
    if not non_ascii:
        return 1.0
    # Every GB2312 character outside ASCII takes two bytes.
    inside = (len(text.encode("gb2312", "ignore")) - ascii_count) / 2
    return inside / non_ascii


def _looks_like_text(text: str) -> bool:
    return _garbage_share(text) <= 0.01


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    # Some exporters write UTF-16 without a BOM; mostly-ASCII/CJK text then has NULs in
    # every other byte.  Accept only a clean decode.
    if len(data) % 2:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and _looks_like_text(text):
            return text, enc
    return None


def _chardet_guess(data: bytes) -> tuple[str, str] | None:
    """The detector's confident guess, decoded strictly, or None."""
    import chardet

    guess = chardet.detect(data)
    enc, confidence = guess.get("encoding"), guess.get("confidence") or 0.0
    if not enc:
        return None
    try:
        name = codecs.lookup(enc).name
        text = data.decode(name)
    except (LookupError, UnicodeDecodeError):
        return None
    if name in ("ascii", "utf-8") or not _looks_like_text(text):
        return None
    if name in _CJK_MULTIBYTE:
        # A strict decode in a multi-byte CJK code page that yields CJK text is strong
        # evidence on its own; the detector's confidence is low on short snippets
        # (Big5 "會議紀要" scores 0.04) yet its ranking is right.
        return (text, name) if confidence >= 0.02 and _cjk_share(text) >= 0.6 else None
    # The single-byte code pages are proposed for almost anything: need real confidence.
    needed = (
        0.8 if name.startswith(("cp125", "iso8859", "latin", "mac", "koi8", "cp437", "cp85", "cp874", "tis")) else 0.3
    )
    return (text, name) if confidence >= needed else None


_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # OLE compound file: .doc, .wps, encrypted Office files

_CJK_MULTIBYTE = {"big5", "big5hkscs", "cp950", "cp932", "shift_jis", "euc_jp", "euc_kr", "cp949", "johab"}


def _cjk_share(text: str) -> float:
    """Share of non-ASCII characters that are CJK ideographs, kana, hangul or CJK punctuation."""
    non_ascii = [c for c in text if c > "\x7f"]
    if not non_ascii:
        return 0.0
    cjk = sum(
        1
        for c in non_ascii
        if "\u3000" <= c <= "\u30ff"
        or "\u3400" <= c <= "\u9fff"
        or "\uac00" <= c <= "\ud7af"
        or "\uff00" <= c <= "\uffef"
    )
    return cjk / len(non_ascii)


def decode_bytes(data: bytes, *, name: str = "") -> tuple[str, str]:
    """Decode a text file's bytes: BOM, strict UTF-8, strict GB18030, then the detector.

    Returns (text, encoding).  ``name`` (the file as shown to the user) only
    goes into error messages.  Raises InputError for binary data or bytes no
    encoding explains.
    """
    who = f"{name} " if name else ""
    fix = "请用记事本或 Word 另存为 UTF-8 编码的 .txt 后重试。"
    what = _what_binary(data)
    if what:
        raise InputError(f"{who}不是文本文件或编码无法识别（看起来是{what}）。{fix}")
    text: str | None  # None: the bytes do not decode as the encoding being tried
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                break
            if not _looks_like_text(text):
                break
            return text.lstrip("\ufeff"), enc
    if b"\x00" in data:
        found = _utf16_without_bom(data)
        if found:
            return found
        raise InputError(f"{who}不是文本文件或编码无法识别（含二进制数据）。{fix}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = None
        # A file cut off in the middle of its last character is still UTF-8.
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3 and exc.start > 0:
            try:
                text = data[: exc.start].decode("utf-8")
            except UnicodeDecodeError:
                text = None
    if text is not None:
        if _looks_like_text(text):
            return text, "utf-8"
        raise InputError(f"{who}不是文本文件或编码无法识别（控制字符过多）。{fix}")
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _looks_like_text(text):
        if _gb2312_share(text) >= 0.8:
            return text, _gb_name(data)
        # Rare characters: maybe Big5 or Shift-JIS that happens to be valid GB18030.
        other = _chardet_guess(data)
        if other and not other[1].startswith(("gb", "hz")):
            return other
        return text, _gb_name(data)
    other = _chardet_guess(data)
    if other:
        return other
    raise InputError(f"{who}不是文本文件或编码无法识别。{fix}")


def decode_mixed(data: bytes) -> tuple[str, list[int], int] | None:
    """Line by line, a text file that mixes UTF-8 lines with GBK lines (pieces pasted
    from different editors): (text, numbers of the lines no encoding explains, GBK
    line count), or None when the file is not such a mix.

    A line is UTF-8 when it decodes so and reads as CJK text, else GBK/GB18030 when it
    decodes so and stays inside GB2312; other lines are lost and left empty, so the
    line numbers stay those of the file.
    """
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    if _what_binary(data) or b"\x00" in data or any(data.startswith(bom) for bom, _ in _BOMS):
        return None
    try:
        whole = data.decode("gb18030")
    except UnicodeDecodeError:
        whole = None
    if whole is not None and _looks_like_text(whole) and _gb2312_share(whole) >= 0.8:
        return None  # a GBK file: decode_bytes reads it whole
    out: list[str] = []
    lost: list[int] = []
    utf8 = gbk = 0
    for number, raw in enumerate(data.split(b"\n"), 1):
        line: str | None = None
        try:
            line = raw.decode("utf-8")
            if not raw.isascii():
                # GBK bytes can pass as UTF-8 by chance, but then read as rare characters.
                if _cjk_share(line) >= 0.6 and _gb2312_share(line) >= 0.8:
                    utf8 += 1
                else:
                    line = None
        except UnicodeDecodeError:
            pass
        if line is None:
            try:
                candidate = raw.decode("gb18030")
            except UnicodeDecodeError:
                candidate = None
            if candidate is not None and _looks_like_text(candidate) and _gb2312_share(candidate) >= 0.8:
                line = candidate
                gbk += 1
        if line is None:
            lost.append(number)
            line = ""
        out.append(line)
    if not utf8 or len(lost) * 2 > len(out):
        return None  # a file in one legacy encoding, or mostly unreadable: decode_bytes decides
    return "\n".join(out), lost, gbk


def _gb_name(data: bytes) -> str:
    # Users know "GBK"; report it when the bytes stay inside GBK (Python's gbk and
    # gb18030 codecs agree on that range).
    try:
        data.decode("gbk")
        return "gbk"
    except UnicodeDecodeError:
        return "gb18030"


# ---------------------------------------------------------------- normalisation

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_ZERO_WIDTH[0xA0] = " "
_TRANSLATED = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00a0]")


def _normalise(text: str) -> str:
    """\\n newlines, NBSP → space, zero-width characters removed; other spaces kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    if not _TRANSLATED.search(text):
        return text  # most files: one fast scan instead of a per-character translate
    return text.translate(_ZERO_WIDTH)


# ---------------------------------------------------------------- Markdown

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
# "#标题" without the space is common in Chinese notes; "#1" is not a heading.
_ATX = re.compile(r"^\s{0,3}(#{1,6})(?:[ \t]+|(?=[\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e]))(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_QUOTE = re.compile(r"^\s{0,3}(>\s?)+")
_BULLET = re.compile(r"^(\s*)[-*+][ \t]+(\[[ xX]\][ \t]+)?")
_INLINE = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),  # images: not text
    (re.compile(r"!\[([^\]]*)\]\[[^\]]*\]"), ""),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),
    (re.compile(r"</?[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?/?>"), ""),  # inline HTML tags
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), r"\1"),
    (re.compile(r"__(?=\S)(.+?)(?<=\S)__"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
    (re.compile(r"(?<![*\\])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?!\*)"), r"\1"),
    (re.compile(r"(?<![\w\\])_(?=[^\s_])(.+?)(?<=[^\s_])_(?!\w)"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])"), r"\1"),  # backslash escapes
)


def _strip_inline(line: str) -> str:
    for pattern, repl in _INLINE:
        line = pattern.sub(repl, line)
    return line


def _setext_target(out: list[str], styles: list[str | None]) -> bool:
    # "---" under a line is a heading underline only under a short, unpunctuated line;
    # under a paragraph Chinese writers mean a rule.
    if not out or styles[-1] is not None:
        return False
    prev = out[-1].strip()
    return bool(prev) and len(prev) <= 40 and prev[-1] not in "。；;！？!?，,：:"


def markdown_lines(text: str) -> tuple[list[str], list[str | None]]:
    """Markdown → plain lines and per-line styles.

    The line count stays that of the source: syntax-only lines (front matter,
    fences, rules, link definitions, setext underlines) become empty lines, so a
    passage's line number points at the same line in the user's file.
    """
    src = text.split("\n")
    out: list[str] = []
    styles: list[str | None] = []
    i = 0
    # YAML (---) or TOML (+++) front matter at the very top.
    if src and src[0].strip() in ("---", "+++"):
        fence = src[0].strip()
        for j in range(1, len(src)):
            if src[j].strip() in (fence, "..."):
                out += [""] * (j + 1)
                styles += [None] * (j + 1)
                i = j + 1
                break
    in_code = False
    while i < len(src):
        line = src[i]
        style: str | None = None
        if _FENCE.match(line):
            in_code = not in_code
            line = ""
        elif in_code:
            pass  # code is kept verbatim
        elif _SETEXT.match(line) and _setext_target(out, styles):
            styles[-1] = "Heading 1" if line.strip().startswith("=") else "Heading 2"
            line = ""
        elif _RULE.match(line):
            line = ""
        elif _REF_DEF.match(line) or _TABLE_SEP.match(line) or line.strip().startswith("<!--"):
            line = ""
        else:
            m = _ATX.match(line)
            if m:
                style = f"Heading {min(len(m.group(1)), MAX_HEADING)}"
                line = m.group(2)
            else:
                line = _QUOTE.sub("", line)
                line = _BULLET.sub(r"\1", line)
                if line.lstrip().startswith("|") and line.rstrip().endswith("|"):
                    line = " ".join(c.strip() for c in line.strip().strip("|").split("|"))
            line = _strip_inline(line)
        out.append(line)
        styles.append(style)
        i += 1
    return out, styles


# ---------------------------------------------------------------- .docx


def _heading_from_name(name: str | None) -> str | None:
    if not name:
        return None
    n = name.strip().casefold()
    if n in ("title", "标题"):
        return TITLE
    m = re.fullmatch(r"(?:heading|标题)\s*(\d)", n)
    if m and int(m.group(1)) >= 1:
        return f"Heading {min(int(m.group(1)), MAX_HEADING)}"
    return None


def _outline_level(element) -> int | None:
    """w:outlineLvl in an element's w:pPr (0-based; 9 means body text)."""
    from docx.oxml.ns import qn

    ppr = element.find(qn("w:pPr"))
    if ppr is None:
        return None
    lvl = ppr.find(qn("w:outlineLvl"))
    if lvl is None:
        return None
    try:
        return int(lvl.get(qn("w:val")))
    except (TypeError, ValueError):
        return None


class _StyleSheet:
    """A document's styles part (python-docx's ``Styles``) with the heading styles
    resolved so far.  Documents whose styles part is byte-identical (made from one
    template) share one: python-docx's default template alone is 350 KB of XML,
    longer to parse than the document's text."""

    def __init__(self, blob: bytes):
        from docx.oxml.parser import parse_xml
        from docx.styles.styles import Styles

        self.styles = Styles(parse_xml(blob))  # raises on a broken part, as docx.Document would
        self.resolved: dict = {}  # _docx_style's cache, valid for any document with these styles


_STYLE_SHEETS: dict[bytes, _StyleSheet] = {}  # the latest few, by their bytes
_STYLE_SHEETS_KEPT = 8


def _style_sheet(blob: bytes) -> _StyleSheet:
    sheet = _STYLE_SHEETS.pop(blob, None) or _StyleSheet(blob)
    _STYLE_SHEETS[blob] = sheet  # most recent last
    while len(_STYLE_SHEETS) > _STYLE_SHEETS_KEPT:
        del _STYLE_SHEETS[next(iter(_STYLE_SHEETS))]
    return sheet


def _docx_style(paragraph, cache: dict, sheet: _StyleSheet | None = None) -> str | None:
    """Canonical heading style of a paragraph, or None.

    Localised or renamed heading styles are recognised by name ("标题 1"), by
    built-in style id (Heading1) or by outline level, following the based-on
    chain; a paragraph's own outline level wins over its style's.  ``sheet``: the
    document's styles when the paragraph has no document part to ask (the
    package was read without python-docx's ``Document``); its cache is then used.
    """
    if sheet is not None:
        cache = sheet.resolved
    direct = _outline_level(paragraph._p)
    if direct is not None and direct < 9:
        return f"Heading {min(direct + 1, MAX_HEADING)}"
    # Cache by the paragraph's own style id before asking python-docx for the
    # style: resolving the default style scans every style of the document.
    raw_key = ("pStyle", paragraph._p.style)
    if raw_key in cache:
        return cache[raw_key]
    try:
        if sheet is None:
            style = paragraph.style
        else:  # what paragraph.style does through the document part
            from docx.enum.style import WD_STYLE_TYPE

            style = sheet.styles.get_by_id(paragraph._p.style, WD_STYLE_TYPE.PARAGRAPH)
    except Exception:  # a style id pointing nowhere
        return None
    key = getattr(style, "style_id", None)
    if key in cache:
        cache[raw_key] = cache[key]
        return cache[key]
    result = None
    seen = 0
    while style is not None and seen < 10 and result is None:
        seen += 1
        result = _heading_from_name(style.name) or _heading_from_name(
            re.sub(r"^(heading|Heading)(\d)$", r"heading \2", style.style_id or "")
        )
        if result is None:
            lvl = _outline_level(style.element)
            if lvl is not None and lvl < 9:
                result = f"Heading {min(lvl + 1, MAX_HEADING)}"
        style = style.base_style
    cache[key] = cache[raw_key] = result
    return result


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_REVISION_SKIP = {_W + "del", _W + "moveFrom", _W + "txbxContent"}


def _revised_text(p_element, counts: dict[str, int]) -> str:
    """A paragraph's text with its tracked changes accepted: inserted runs (w:ins,
    w:moveTo) kept, deleted runs (w:del, w:moveFrom) dropped; ``counts`` tallies them."""
    counts["ins"] += sum(1 for _ in p_element.iter(_W + "ins", _W + "moveTo"))
    counts["del"] += sum(1 for _ in p_element.iter(_W + "del", _W + "moveFrom") if _.getparent().tag != _W + "rPr")
    parts: list[str] = []
    for run in p_element.iter(_W + "r"):
        node, skip = run.getparent(), False
        while node is not None and node is not p_element:
            if node.tag in _REVISION_SKIP:
                skip = True
                break
            node = node.getparent()
        if skip:
            continue
        for child in run:
            if child.tag == _W + "t":
                parts.append(child.text or "")
            elif child.tag == _W + "tab":
                parts.append("\t")
            elif child.tag in (_W + "br", _W + "cr"):
                parts.append("\n")
    return "".join(parts)


def _has_revisions(p_element) -> bool:
    return next(p_element.iter(_W + "ins", _W + "del", _W + "moveTo", _W + "moveFrom"), None) is not None


def _docx_parts(path: Path):
    """(the body's blocks, the document's styles) read straight from the package's
    main document and styles parts, with python-docx's own XML classes; None when the
    package is not the usual one (then python-docx's ``Document`` reads it, and
    reports what is wrong with it).

    ``docx.Document`` loads and parses every part of the package (settings, fonts,
    numbering, headers…); the text needs only these two, and python-docx's
    ``Paragraph``/``Table`` objects over the same elements give the same text.
    """
    try:
        from docx.opc.constants import CONTENT_TYPE as CT
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.packuri import PACKAGE_URI
        from docx.opc.phys_pkg import PhysPkgReader
        from docx.opc.pkgreader import PackageReader, _ContentTypeMap
        from docx.oxml.parser import parse_xml
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        reader: Any = PhysPkgReader(str(path))  # a zip reader (PhysPkgReader picks the kind)
        try:
            content_types = _ContentTypeMap.from_xml(reader.content_types_xml)

            def only_part(source, reltype: str):
                """The one internal part ``source`` relates to by ``reltype`` (else None,
                where python-docx raises or makes one up)."""
                rels = [r for r in PackageReader._srels_for(reader, source) if r.reltype == reltype]
                return rels[0].target_partname if len(rels) == 1 and not rels[0].is_external else None

            main = only_part(PACKAGE_URI, RT.OFFICE_DOCUMENT)
            if main is None or content_types[main] != CT.WML_DOCUMENT_MAIN:
                return None
            styles_name = only_part(main, RT.STYLES)
            if styles_name is None or content_types[styles_name] != CT.WML_STYLES:
                return None
            document = parse_xml(reader.blob_for(main))
            sheet = _style_sheet(reader.blob_for(styles_name))
        finally:
            reader.close()
        body = document.body
        if body is None:
            return None
        no_part: Any = None  # the blocks never ask for their document part: their styles come from ``sheet``
        blocks = [
            Paragraph(e, no_part) if e.tag == _W + "p" else Table(e, no_part) for e in body.inner_content_elements
        ]
        return blocks, sheet
    except Exception:  # noqa: BLE001 - anything unusual: python-docx reads it the usual way
        return None


def _read_docx(path: Path, shown: str) -> tuple[list[str], list[str | None], list[tuple[int | None, str]]]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    with open(path, "rb") as f:
        data_head = f.read(8)
    if data_head.startswith(_OLE_MAGIC):
        raise InputError(
            f"{shown} 是旧版 .doc 或加密的 Word 文档，无法读取。请用 Word 打开并另存为未加密的 .docx 后重试。"
        )
    parts = _docx_parts(path)
    if parts is None:
        try:
            document = docx.Document(str(path))
        except Exception as exc:  # python-docx raises several kinds for a broken package
            raise InputError(
                f"{shown} 不是有效的 .docx 文件或已损坏（{type(exc).__name__}）。请用 Word 打开并重新保存后重试。"
            ) from exc
    lines: list[str] = []
    styles: list[str | None] = []
    cache: dict = {}
    revisions = {"ins": 0, "del": 0}

    def text_of(paragraph) -> str:
        if _has_revisions(paragraph._p):
            return _revised_text(paragraph._p, revisions)
        return paragraph.text

    def add(text: str, style: str | None) -> None:
        # A soft line break (Shift+Enter) inside a paragraph starts a new line.
        for part in _normalise(text).split("\n"):
            lines.append(part)
            styles.append(style)

    try:
        blocks, style_sheet = parts if parts is not None else (document.iter_inner_content(), None)
        for block in blocks:
            if isinstance(block, Paragraph):
                add(text_of(block), _docx_style(block, cache, style_sheet))
            elif isinstance(block, Table):
                # One line per table row, cells separated by a tab; merged cells once.
                for row in block.rows:
                    cells, seen = [], set()
                    for cell in row.cells:
                        if id(cell._tc) in seen:
                            continue
                        seen.add(id(cell._tc))
                        texts = [text_of(p).strip() for p in cell.paragraphs]
                        cells.append(" ".join(t for t in texts if t))
                    if any(cells):
                        add("\t".join(cells), None)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(
            f"{shown} 内容结构损坏，无法读取（{type(exc).__name__}）。请用 Word 打开并重新保存后重试。"
        ) from exc
    warnings: list[tuple[int | None, str]] = []
    if revisions["ins"] or revisions["del"]:
        warnings.append(
            (
                None,
                f"含修订标记（插入 {revisions['ins']} 处、删除 {revisions['del']} 处），"
                "已按接受全部修订后的文字读取：插入的保留，删除的不用。请核对修订是否都应接受。",
            )
        )
    return lines, styles, warnings


# ---------------------------------------------------------------- HTML

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)


def _decode_html(data: bytes, shown: str) -> tuple[str, str]:
    if not any(data.startswith(bom) for bom, _ in _BOMS):
        m = _META_CHARSET.search(data[:8192])
        if m:
            declared = m.group(1).decode("ascii", "ignore")
            try:
                name = codecs.lookup(declared).name
            except LookupError:
                name = None
            if name:
                # Pages declaring gb2312/gbk routinely use characters beyond it: decode as GB18030.
                decoder = "gb18030" if name in ("gb2312", "gbk", "gb18030") else name
                try:
                    text = data.decode(decoder)
                except UnicodeDecodeError:
                    text = None  # a wrong declaration: detect instead
                if text is not None and _looks_like_text(text):
                    return text, name
    return decode_bytes(data, name=shown)


_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "th", "pre", "blockquote", "dd", "dt")
_JUNK = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "template")


# class/id words of navigation, sidebars and footers on Chinese government/news sites
# (<div class="footer">, <div id="top-nav">, <div class="xgxw">相关新闻…).
_BOILERPLATE_WORDS = {
    "nav",
    "navbar",
    "menu",
    "footer",
    "foot",
    "bottom",
    "header",
    "top",
    "topbar",
    "sidebar",
    "side",
    "aside",
    "breadcrumb",
    "crumb",
    "share",
    "copyright",
    "comment",
    "comments",
    "related",
    "ad",
    "ads",
    "banner",
    "toolbar",
    "login",
    "search",
    "pager",
    "prev",
    "next",
    "position",
    "location",
    "links",
    "friendlink",
    "hot",
    "rank",
    "xgxw",
    "dqwz",
}


def _is_boilerplate(el) -> bool:
    if not isinstance(el.tag, str):
        return False
    words = re.split(r"[\s_\-]+", f"{el.get('class', '')} {el.get('id', '')}".casefold())
    return any(w in _BOILERPLATE_WORDS for w in words)


def _html_fallback(html: str) -> list[tuple[str, str | None]]:
    """Plain lxml extraction: innermost block elements' text, boilerplate tags dropped."""
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except Exception:
        return []
    for el in root.xpath("//" + " | //".join(_JUNK)):
        el.drop_tree()
    for el in list(root.iter()):
        if el.getparent() is not None and _is_boilerplate(el):
            el.drop_tree()
    out: list[tuple[str, str | None]] = []
    for el in root.iter(*_BLOCKS):
        if any(True for _ in el.iterdescendants(*_BLOCKS)):
            continue  # the inner blocks are taken on their own
        text = " ".join(el.text_content().split())
        if not text:
            continue
        style = None
        if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            style = TITLE if el.tag == "h1" else f"Heading {min(int(el.tag[1]), MAX_HEADING)}"
        out.append((text, style))
    if not out:
        text = " ".join((root.text_content() or "").split())
        if text:
            out.append((text, None))
    return out


def _promote_headings(blocks: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """Make the page's top section level "Heading 1": pages keep <h1> for the title and
    start their sections at <h2> or <h3>."""
    levels = [int(st.split()[1]) for _, st in blocks if st and st.startswith("Heading ")]
    shift = min(levels) - 1 if levels else 0
    if not shift:
        return blocks
    return [
        (t, f"Heading {int(st.split()[1]) - shift}" if st and st.startswith("Heading ") else st) for t, st in blocks
    ]


def _read_html(data: bytes, shown: str) -> tuple[list[str], list[str | None], str]:
    html, encoding = _decode_html(data, shown)
    html = _normalise(html)
    blocks: list[tuple[str, str | None]] = []
    title = None
    trafilatura: ModuleType | None
    try:
        import trafilatura as _trafilatura
    except ImportError:  # a broken install must not make HTML unreadable
        trafilatura = None
    else:
        trafilatura = _trafilatura
    if trafilatura is not None:
        try:
            body = trafilatura.extract(
                html,
                favor_precision=True,
                include_comments=False,
                include_tables=True,
                output_format="markdown",
            )
            meta = trafilatura.extract_metadata(html)
        except Exception:  # trafilatura failing on odd markup: use the fallback
            body, meta = None, None
        title = getattr(meta, "title", None)
        if body and body.strip():
            md_lines, md_styles = markdown_lines(_normalise(body))
            # Paragraphs separated by one blank line, whatever trafilatura emitted.
            blocks = [(line.strip(), st) for line, st in zip(md_lines, md_styles) if line.strip()]
    if not blocks:
        blocks = _html_fallback(html)
        if blocks and blocks[0][1] == TITLE:
            title = None  # the fallback kept the page's own <h1>
    if title and blocks and title.strip() != blocks[0][0]:
        blocks.insert(0, (title.strip(), TITLE))
    blocks = _promote_headings(blocks)
    lines: list[str] = []
    styles: list[str | None] = []
    for n, (text, style) in enumerate(blocks):
        if n:
            lines.append("")
            styles.append(None)
        lines.append(text)
        styles.append(style)
    return lines, styles, encoding


# ---------------------------------------------------------------- .pdf

_PAGE_NUMBER = re.compile(
    r"^[\s\-—–·•]*(?:第\s*\d+\s*页(?:\s*[/／共]\s*\d+\s*页?)?|\d+\s*[/／]\s*\d+|\d{1,4}|[-—–]\s*\d{1,4}\s*[-—–]"
    r"|page\s*\d+(?:\s*of\s*\d+)?)[\s\-—–·•]*$",
    re.I,
)
_PDF_TERMINAL = set("。！？!?；;：:")
_PDF_CLOSERS = set("”’」』）)》")


def _running_key(text: str) -> str:
    # Running heads differ only by their page number.
    return re.sub(r"\d+", "#", "".join(text.split()))


def _running_lines(pages: list[list[dict]]) -> set[str]:
    """Keys of the lines repeated at the top or bottom of most pages (running head/foot)."""
    if len(pages) < 2:
        return set()
    counts: dict[str, int] = {}
    for lines in pages:
        edge = {_running_key(x["text"]) for x in lines[:2] + lines[-2:]}
        for key in edge:
            counts[key] = counts.get(key, 0) + 1
    return {k for k, n in counts.items() if k and n >= max(2, (len(pages) + 1) // 2)}


def _char_width(lines: list[dict]) -> float:
    widths = sorted(c["x1"] - c["x0"] for x in lines for c in x.get("chars", ()) if c.get("text", "") > "\u2e7f")
    if not widths:
        widths = sorted(c["x1"] - c["x0"] for x in lines for c in x.get("chars", ()))
    return widths[len(widths) // 2] if widths else 10.0


def _pdf_joins(prev: dict, nxt: dict, right: float, left: float, cw: float) -> bool:
    """Whether ``nxt`` continues the paragraph of ``prev`` (a line wrapped at the margin)."""
    text = prev["text"].rstrip()
    if not text or not nxt["text"].strip():
        return False
    if nxt["x0"] > left + 1.5 * cw:
        return False  # a first-line indent starts a new paragraph
    last = text[-1]
    if last in _PDF_CLOSERS and len(text) > 1:
        last = text[-2] if text[-2] in _PDF_TERMINAL else last
    # A sentence end reaching the margin may still wrap; elsewhere line-breaking rules
    # (no break before ”, inside “1416”) leave a wrapped line a few characters short.
    slack = 0.6 * cw if last in _PDF_TERMINAL else 5 * cw
    return prev["x1"] >= right - slack


def _join_pdf_text(a: str, b: str) -> str:
    # Latin words broken across lines get their space back; Chinese joins directly.
    if a and b and a[-1].isascii() and a[-1].isalpha() and b[0].isascii() and b[0].isalpha():
        return f"{a} {b}"
    return a + b


def _read_pdf(path: Path, shown: str) -> list[str]:
    """The text layer of a PDF, one line per paragraph.

    Lines wrapped at the right margin are joined again (Chinese without a space);
    running heads/feet repeated on most pages and page numbers are removed.  A PDF
    without a text layer (a scan) is an InputError.
    """
    try:
        import pdfplumber
    except ImportError as exc:  # pragma: no cover - a broken install
        raise InputError(f"{shown} 是 PDF，但未安装 pdfplumber。请运行 pip install pdfplumber 后重试。") from exc
    pages: list[list[dict]] = []
    try:
        with pdfplumber.open(str(path)) as pdf:
            for page in pdf.pages:
                height = float(page.height or 0)
                lines = [x for x in page.extract_text_lines(return_chars=True) if x["text"].strip()]
                for x in lines:
                    x["edge"] = height and (x["top"] < height * 0.12 or x["bottom"] > height * 0.88)
                pages.append(lines)
    except Exception as exc:  # pdfminer raises many kinds for broken or encrypted files
        what = "加密" if "password" in f"{type(exc).__name__} {exc}".casefold() else "损坏"
        raise InputError(
            f"{shown} 无法打开（PDF {what}，{type(exc).__name__}）。请用 PDF 阅读器另存一份未加密的 PDF 或 Word 文档后重试。"
        ) from exc
    if not any(pages):
        raise InputError(
            f"{shown} 没有文字层（可能是扫描件或图片），已跳过。请用 OCR 软件识别成文字，或找原单位要 Word 版后重试。"
        )
    running = _running_lines(pages)
    body: list[dict] = []
    for lines in pages:
        for n, x in enumerate(lines):
            at_edge = n < 2 or n >= len(lines) - 2
            if at_edge and x["edge"] and (_PAGE_NUMBER.match(x["text"]) or _running_key(x["text"]) in running):
                continue
            body.append(x)
    if not body:
        raise InputError(f"{shown} 除页眉页脚外没有文字，已跳过。请确认文件内容后重试。")
    cw = _char_width(body)
    right = max(x["x1"] for x in body)
    left = min(x["x0"] for x in body)
    out: list[str] = []
    prev: dict | None = None
    for x in body:
        text = _normalise(x["text"]).strip()
        if prev is not None and out and _pdf_joins(prev, x, right, left, cw):
            out[-1] = _join_pdf_text(out[-1], text)
        else:
            out.append(text)
        prev = x
    return out


# ---------------------------------------------------------------- .doc .wps .odt .rtf (LibreOffice)


def soffice_path() -> str | None:
    """LibreOffice's command-line program, or None when it is not installed."""
    import shutil

    return shutil.which("soffice") or shutil.which("libreoffice")


def _convert_to_docx(path: Path, shown: str, fmt: str, workdir: Path) -> Path:
    """Convert an office document to .docx with LibreOffice headless; the .docx path."""
    import subprocess

    soffice = soffice_path()
    if soffice is None:
        raise InputError(
            f"{shown} 是 .{fmt} 文档，读取需要 LibreOffice（soffice），本机未安装。"
            "请安装 LibreOffice，或用 Word/WPS 另存为 .docx 后重试。"
        )
    # A plain ASCII name (WPS binary files are Word files: open them as .doc), and a
    # profile of our own so that a running LibreOffice does not swallow the request.
    src = workdir / f"source.{'doc' if fmt == 'wps' else fmt}"
    src.write_bytes(path.read_bytes())
    profile = (workdir / "profile").as_uri()
    cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx", "--outdir", str(workdir)]
    try:
        done = subprocess.run([*cmd, str(src)], capture_output=True, timeout=180, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InputError(
            f"{shown} 用 LibreOffice 转换失败（{type(exc).__name__}）。请用 Word/WPS 另存为 .docx 后重试。"
        ) from exc
    target = workdir / "source.docx"
    if done.returncode != 0 or not target.exists() or target.stat().st_size == 0:
        raise InputError(
            f"{shown} 用 LibreOffice 转换失败（文件可能已损坏或加密）。请用 Word/WPS 打开并另存为 .docx 后重试。"
        )
    return target


def _read_office(path: Path, shown: str, fmt: str) -> tuple[list[str], list[str | None], list[tuple[int | None, str]]]:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="writer-office-") as tmp:
        converted = _convert_to_docx(path, shown, fmt, Path(tmp))
        return _read_docx(converted, shown)


# ---------------------------------------------------------------- read_document


def read_document(path: Path) -> RawDocument:
    """Read one source file into a RawDocument; InputError when it has no readable text."""
    path = Path(path)
    shown = str(path)
    fmt = SUPPORTED.get(path.suffix.lower(), "txt")
    try:
        data = path.read_bytes()
    except PermissionError as exc:
        raise InputError(f"无法读取 {shown}：没有读取权限。请检查文件权限后重试。") from exc
    except OSError as exc:
        raise InputError(f"无法读取 {shown}：{os_reason(exc)}。请确认文件可以打开后重试。") from exc
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise InputError(f"{shown} 没有可读文本（文件为空或只有空白）。请确认文件内容后重试。")

    styles: tuple[str | None, ...]
    warnings: list[tuple[int | None, str]] = []
    if fmt == "docx" and data.startswith(_OLE_MAGIC) and soffice_path() is not None:
        fmt = "doc"  # a .doc renamed .docx: LibreOffice reads it
    if fmt in ("docx", *OFFICE_FORMATS):
        if fmt == "docx":
            lines, style_list, warnings = _read_docx(path, shown)
        else:
            lines, style_list, warnings = _read_office(path, shown, fmt)
        text, styles, encoding = "\n".join(lines), tuple(style_list), "utf-8"  # OOXML parts are UTF-8
    elif fmt == "pdf":
        text, styles, encoding = "\n".join(_read_pdf(path, shown)), (), "pdf"
    elif fmt == "html":
        lines, style_list, encoding = _read_html(data, shown)
        text, styles = "\n".join(lines), tuple(style_list)
    else:
        mixed = decode_mixed(data)
        if mixed is not None:
            text, lost, gbk = mixed
            encoding = "utf-8+gbk" if gbk else "utf-8"
            if lost:
                shown_lines = "、".join(str(n) for n in lost[:10]) + (f" 等 {len(lost)} 行" if len(lost) > 10 else "")
                warnings.append(
                    (
                        lost[0],
                        f"编码混杂（UTF-8 与 GBK），第 {shown_lines} 行无法识别，已丢弃，其余照读。"
                        "请打开原文件核对这些行，另存为 UTF-8 后重试。",
                    )
                )
            elif gbk:
                warnings.append((None, f"编码混杂：{gbk} 行是 GBK，其余是 UTF-8，已逐行识别。建议另存为 UTF-8。"))
        else:
            text, encoding = decode_bytes(data, name=shown)
        text = _normalise(text)
        if fmt == "md":
            lines, style_list = markdown_lines(text)
            text, styles = "\n".join(lines), tuple(style_list)
        else:
            styles = ()
    if not text.strip():
        raise InputError(f"{shown} 没有可读文本（没有提取到任何文字）。请确认文件内容后重试。")
    return RawDocument(shown, fmt, encoding, text, styles, digest, tuple(warnings))
