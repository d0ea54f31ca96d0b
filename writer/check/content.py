"""``writer check``: verify an edited draft against its sources and the house style.

Each check is a small named function ``check_*(draft, ...) -> list[Finding]``;
``run_checks`` runs them all and returns the findings plus notices (a check
that was skipped and why).  Library code: never prints, never exits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from writer.check.draft_reading import Draft, DraftParagraph, read_draft
from writer.check.findings import ERROR, KIND_LABELS, WARNING, CheckReport, Finding
from writer.config.terms import StandardTerm, find_wrong_terms, load_terms, right_form_spans
from writer.model.corpus import Corpus, Notice
from writer.text.enumerators import HEADING_ENUMS, RUN_IN_IN_TEXT
from writer.text.figures import Figure, context_score, extract_figures
from writer.text.numerals import chinese_to_int, cn_number
from writer.text.punctuation import HALF_TO_FULL, URL_RE, normalise_width

# Set phrases with numerals that are not figures (“四个意识”“两个确立”…).
SET_PHRASES = (
    "四个意识",
    "四个自信",
    "两个确立",
    "两个维护",
    "两个结合",
    "四个全面",
    "五位一体",
    "三个务必",
    "四种形态",
    "三会一课",
    "两学一做",
    "八项规定",
    "四风",
    "三严三实",
    "两个大局",
    "五个必由之路",
)


def _excerpt(text: str, start: int, end: int, width: int = 10) -> str:
    a, b = max(0, start - width), min(len(text), end + width)
    return ("…" if a else "") + text[a:b] + ("…" if b < len(text) else "")


# ================================================================ 1. figures


@dataclass(frozen=True)
class SourceText:
    """Everything the sources say, ready for comparison."""

    text: str  # all passages, titles and meta lines, width-normalised, one per line
    figures: tuple[Figure, ...]
    keys: frozenset[str]
    passages: dict  # passage id → width-normalised text
    by_location: tuple[tuple[str, int, int, str], ...]  # (path, line_start, line_end, text)


def source_text(corpus: Corpus) -> SourceText:
    """Collect passage texts, article titles/subtitles/units and meta lines."""
    pieces: list[str] = []
    passages: dict[str, str] = {}
    located: list[tuple[str, int, int, str]] = []
    for source in corpus.sources:
        for meta in source.meta:
            pieces.append(meta.text)
        for article in source.articles:
            pieces.extend(t for t in (article.title, article.subtitle, article.unit) if t)
            pieces.extend(m.text for m in article.meta)
            pieces.extend(h.number + h.text for h in article.headings)
            for p in article.passages:
                t = normalise_width(p.text)
                pieces.append(p.text)
                passages[p.id] = t
                located.append((p.location.path, p.location.line_start, p.location.line_end, t))
    text = normalise_width("\n".join(pieces))
    figures: list[Figure] = []
    for line in text.split("\n"):
        figures.extend(extract_figures(line))
    return SourceText(text, tuple(figures), frozenset(f.key for f in figures), passages, tuple(located))


def _own_source_texts(para: DraftParagraph, src: SourceText) -> list[str]:
    """The passages a paragraph was built from (sidecar or comments)."""
    out = []
    for ref in para.sources:
        if ref.passage_id and ref.passage_id in src.passages:
            out.append(src.passages[ref.passage_id])
            continue
        if not ref.path:
            continue
        want = ref.path.replace("\\", "/")
        for path, a, b, text in src.by_location:
            p = path.replace("\\", "/")
            if not (p == want or p.endswith("/" + want) or want.endswith("/" + p)):
                continue
            if ref.line_start is None or (a <= (ref.line_end or ref.line_start) and ref.line_start <= b):
                out.append(text)
    return list(dict.fromkeys(out))


def _masked_spans(text: str, terms: tuple[StandardTerm, ...]) -> list[tuple[int, int]]:
    spans = right_form_spans(text, terms)
    for phrase in SET_PHRASES:
        spans.extend((m.start(), m.end()) for m in re.finditer(phrase, text))
    return spans


# Table cells that are bookkeeping, not claims: a row number, or a source place
# ("seeds/001.txt 第25行") as the highlights and comparison tables carry.
_BOOKKEEPING_CELL = re.compile(r"\d{1,4}|\S.* 第\d+(?:[–-]\d+)?行")


def check_figures(draft: Draft, src: SourceText, terms: tuple[StandardTerm, ...] = ()) -> list[Finding]:
    """Every figure must appear in the sources with the same value in its context."""
    findings = []
    for para in draft.paragraphs:
        if para.in_table and _BOOKKEEPING_CELL.fullmatch(para.text.strip()):
            continue
        own_figs: list[Figure] = []
        for t in _own_source_texts(para, src):
            own_figs.extend(extract_figures(t))
        for fig in extract_figures(para.text, masked=_masked_spans(para.text, terms)):
            problem = _judge_figure(fig, own_figs, src)
            if problem:
                severity, message, suggestion = problem
                findings.append(
                    Finding(
                        "figure",
                        severity,
                        para.index,
                        _excerpt(para.text, fig.start, fig.end),
                        message.format(fig=fig.text),
                        suggestion,
                    )
                )
    return findings


_STRONG = 3  # shared context characters that make two figures "the same claim"


def _judge_figure(fig: Figure, own: list[Figure], src: SourceText) -> tuple[str, str, str] | None:
    for pool in (own, src.figures):
        same_key = [g for g in pool if g.key == fig.key]
        if any(context_score(fig, g) >= 2 for g in same_key):
            return None  # stated in the same words in a source
        rivals = [g for g in pool if g.unit == fig.unit and g.key != fig.key and context_score(fig, g) >= _STRONG]
        if rivals:
            best = max(rivals, key=lambda g: context_score(fig, g))
            if not same_key or context_score(fig, best) > max(context_score(fig, g) for g in same_key):
                return (
                    ERROR,
                    f"“{{fig}}”与素材不一致：素材为 {best.text}",
                    f"按素材改为“{best.text}”，或核实后在素材中补充依据。",
                )
    if fig.key in src.keys:
        return None
    return (ERROR, "“{fig}”数字在素材中找不到", "核对原始材料；无依据的数字应删除或改正。")


_QUOTED = re.compile(r"“([^“”]{2,40})”|《([^《》]{1,60})》")


def check_quoted_names(draft: Draft, src: SourceText, terms: tuple[StandardTerm, ...] = ()) -> list[Finding]:
    """Names in “…” and 《…》 must be found in the sources (or be a standard term)."""
    known = {t.right for t in terms} | set(SET_PHRASES)
    findings = []
    for para in draft.paragraphs:
        for m in _QUOTED.finditer(para.text):
            name = m[1] or m[2]
            norm = normalise_width(name)
            if norm in src.text or name in known or re.fullmatch(r"[\W\d_]+", name):
                continue
            # Tolerate punctuation differences inside long quotations.
            squeezed = re.sub(r"[\W_]", "", norm)
            if squeezed and squeezed in re.sub(r"[\W_]", "", src.text):
                continue
            mark = "《》" if m[2] else "“”"
            findings.append(
                Finding(
                    "quote",
                    WARNING,
                    para.index,
                    _excerpt(para.text, m.start(), m.end()),
                    f"引号内名称在素材中找不到：{mark[0]}{name}{mark[1]}",
                    "核对名称是否与素材一致（品牌、文件名、称号须照录原文）。",
                )
            )
    return findings


# ================================================================ 2. placeholders

_CJK = "\u3400-\u9fff"
_PLACEHOLDERS = [
    (re.compile(r"\*{2,}"), "遮盖符号“{m}”"),
    (re.compile(r"(?<![A-Za-z])(?:[Xx]{2,}|[ＸＸｘ]{2,}|ZZ)(?![A-Za-z])"), "占位符“{m}”"),
    (re.compile(r"[×╳]{2,}"), "占位符“{m}”"),
    (re.compile(r"【\s*】|\[\s*\]"), "空的方括号“{m}”"),
    (re.compile(r"[（(]此处[^）)]*[）)]"), "编辑提示“{m}”"),
    (re.compile(r"此处|待补充|待定|待核实|待完善"), "编辑提示“{m}”"),
    (re.compile(rf"(?<=[{_CJK}])[?？]{{1,3}}(?=[{_CJK}])"), "疑似丢字“{m}”"),
]


def check_placeholders(draft: Draft) -> list[Finding]:
    """Masks (***, XX, **县, ZZ), empty 【】 and editor's notes (此处…, 待补充) left in."""
    findings = []
    for para in draft.paragraphs:
        taken: list[tuple[int, int]] = []
        for rx, label in _PLACEHOLDERS:
            for m in rx.finditer(para.text):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                taken.append(m.span())
                findings.append(
                    Finding(
                        "placeholder",
                        ERROR,
                        para.index,
                        _excerpt(para.text, *m.span()),
                        f"遗留{label.format(m=m[0])}",
                        "补上真实内容或删除该处。",
                    )
                )
    return findings


# ================================================================ 3. punctuation

_CJK_CHAR = re.compile(rf"[{_CJK}\u3000-\u303f\uff00-\uffef“”‘’《》…—]")


def _neighbour(text: str, i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(text) and text[j] == " ":
        j += step
    return text[j] if 0 <= j < len(text) else ""


def _is_heading_like(para: DraftParagraph) -> bool:
    """Headings, titles and short standalone lines without a full stop
    (paired headings are written with a space: “党建领航 让政治建设……”)."""
    return para.level > 0 or para.is_title or (len(para.text) <= 40 and not re.search(r"[。！？]$", para.text))


def check_punctuation(draft: Draft) -> list[Finding]:
    """Half-width punctuation in Chinese text, unpaired brackets and quotes,
    doubled punctuation, spaces between Chinese characters."""
    findings = []
    for para in draft.paragraphs:
        text = para.text
        urls = [m.span() for m in URL_RE.finditer(text)]
        half: dict[str, list[int]] = {}
        for i, ch in enumerate(text):
            if ch not in HALF_TO_FULL or any(a <= i < b for a, b in urls):
                continue
            if (
                ch == "?"
                and re.match(f"[{_CJK}]", _neighbour(text, i, -1))
                and re.match(f"[{_CJK}?]", _neighbour(text, i, 1))
            ):
                continue  # a lost character (检?院): reported as a placeholder
            # Punctuation belongs to the text it follows: "world! 比例" is Latin,
            # "12.5%,成效" and "年,市" are Chinese.  Spaces break the link.
            prev = text[i - 1] if i else " "
            nxt = text[i + 1] if i + 1 < len(text) else " "
            if _CJK_CHAR.match(prev) or _CJK_CHAR.match(nxt):
                half.setdefault(ch, []).append(i)
        for ch, where in half.items():
            more = f"（本段共 {len(where)} 处）" if len(where) > 1 else ""
            findings.append(
                Finding(
                    "punctuation",
                    WARNING,
                    para.index,
                    _excerpt(text, where[0], where[0] + 1),
                    f"中文中使用了半角“{ch}”{more}",
                    f"改为全角“{HALF_TO_FULL[ch]}”。",
                )
            )
        findings.extend(_unpaired(para))
        for m in re.finditer(r"([，。、；：！？])\1+|[，、；：][，。、；：]+|。[，、；：]", text):
            findings.append(
                Finding(
                    "punctuation",
                    WARNING,
                    para.index,
                    _excerpt(text, *m.span()),
                    f"标点重复“{m[0]}”",
                    "只保留一个标点。",
                )
            )
        if not _is_heading_like(para):
            # a quoted slogan keeps its spaces (“抓党建 带队伍 促业务”): house style writes it so
            quoted = [q.span() for q in re.finditer(r"“[^“”]*”", text)]
            for m in re.finditer(rf"(?<=[{_CJK}，。；：、])[ \u3000\t]+(?=[{_CJK}])", text):
                if any(a < m.start() and m.end() < b for a, b in quoted):
                    continue
                findings.append(
                    Finding(
                        "punctuation",
                        WARNING,
                        para.index,
                        _excerpt(text, *m.span()),
                        "汉字之间有多余空格",
                        "删除空格。",
                    )
                )
    return findings


_PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "【": "】", "(": ")"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}


def _unpaired(para: DraftParagraph) -> list[Finding]:
    text, stack, out = para.text, [], []

    def add(i: int, ch: str, msg: str, sug: str) -> None:
        out.append(Finding("punctuation", WARNING, para.index, _excerpt(text, i, i + 1), msg, sug))

    for i, ch in enumerate(text):
        if ch in _PAIRS:
            stack.append((ch, i))
        elif ch in _CLOSERS:
            opener = _CLOSERS[ch]
            if stack and stack[-1][0] == opener:
                stack.pop()
            elif any(o == opener for o, _ in stack):
                while stack[-1][0] != opener:
                    o, j = stack.pop()
                    add(j, o, f"“{o}”没有配对的“{_PAIRS[o]}”", f"补上“{_PAIRS[o]}”或删除“{o}”。")
                stack.pop()
            else:
                add(i, ch, f"“{ch}”没有配对的“{opener}”", f"补上“{opener}”或删除“{ch}”。")
    for o, j in stack:
        add(j, o, f"“{o}”没有配对的“{_PAIRS[o]}”", f"补上“{_PAIRS[o]}”或删除“{o}”。")
    return out


# ================================================================ 4. numbering


def _cn_value(s: str) -> int:
    return chinese_to_int(s) or 0


def _enum_label(level: int, n: int) -> str:
    cn = cn_number(n)
    return {1: f"{cn}、", 2: f"（{cn}）", 3: f"{n}.", 4: f"（{n}）"}[level]


def check_numbering(draft: Draft) -> list[Finding]:
    """Heading numbers per level (一、二、四 → missing 三) and run-in
    sequences (一是…三是) inside a paragraph or across paragraphs."""
    findings = []
    last: dict[int, int] = {}
    run_in_last = 0
    for para in draft.paragraphs:
        for level, rx in HEADING_ENUMS:
            m = rx.match(para.text)
            if not m:
                continue
            n = int(m[1]) if m[1].isdigit() else _cn_value(m[1])
            expected = last.get(level, 0) + 1
            if n != expected:
                what = "重复" if n == expected - 1 else "不连续"
                first = "" if expected > 1 else "（本级应从头开始）"
                findings.append(
                    Finding(
                        "numbering",
                        ERROR,
                        para.index,
                        _excerpt(para.text, 0, m.end()),
                        f"标题编号{what}：此处为“{m[0]}”，应为“{_enum_label(level, expected)}”{first}",
                        f"检查是否漏了“{_enum_label(level, expected)}”或编号写错。",
                    )
                )
            last[level] = n
            for deeper in [k for k in last if k > level]:
                del last[deeper]
            run_in_last = 0  # a heading starts a new run of 一是/二是
            break
        else:
            if para.level > 0 or para.is_title:
                run_in_last = 0
        for m in RUN_IN_IN_TEXT.finditer(para.text):
            n = _cn_value(m[1])
            if n == 1:
                run_in_last = 1
                continue
            if n != run_in_last + 1:
                expected_run_in = cn_number(run_in_last + 1) + "是"
                if n <= run_in_last:
                    message = f"分项编号重复或倒退：此处为“{m[1]}是”，应为“{expected_run_in}”"
                else:
                    message = f"分项编号不连续：此处为“{m[1]}是”，前面缺“{expected_run_in}”"
                findings.append(
                    Finding(
                        "numbering",
                        ERROR,
                        para.index,
                        _excerpt(para.text, m.start(1), m.end()),
                        message,
                        f"检查是否漏了“{expected_run_in}”或编号写错。",
                    )
                )
            run_in_last = n
    return findings


# ================================================================ 5. standard wording


def check_terms(draft: Draft, terms: tuple[StandardTerm, ...]) -> list[Finding]:
    """Known wrong forms of standard political and legal wording."""
    findings = []
    for para in draft.paragraphs:
        for hit in find_wrong_terms(para.text, terms):
            note = f"（{hit.term.note}）" if hit.term.note else ""
            findings.append(
                Finding(
                    "term",
                    ERROR,
                    para.index,
                    _excerpt(para.text, hit.start, hit.end),
                    f"提法不规范：“{hit.wrong}”{note}",
                    f"改为“{hit.term.right}”。",
                )
            )
    return findings


# ================================================================ runner


def check_empty(draft: Draft) -> list[Finding]:
    """A draft with no body text (nothing, or a title and headings only) is an error:
    there is nothing to check, and nothing to hand on."""
    if any(not p.is_title and not p.level for p in draft.paragraphs):
        return []
    if draft.paragraphs:
        excerpt, message = draft.paragraphs[0].text[:20], "稿件只有标题，没有正文"
    else:
        excerpt, message = "", "稿件是空的"
    return [Finding("empty", ERROR, 0, excerpt, message, "确认选对了文件；空稿请重新用 writer draft 生成。")]


def run_checks(
    path: Path,
    sources: Corpus | None,
    *,
    style: dict | None = None,
    terms: tuple[StandardTerm, ...] | None = None,
) -> CheckReport:
    """Read the draft and run every check; notices say which checks were skipped."""
    from writer.check.house_style import check_house_style, load_house_style
    from writer.check.structure import check_empty_sections, check_lone_first_point, check_template_text
    from writer.check.voice import check_mixed_first_person, check_speaker_named, check_stray_own_voice

    draft = read_draft(Path(path))
    terms = load_terms() if terms is None else terms
    notices: list[Notice] = []
    findings: list[Finding] = []
    if sources is None:
        notices.append(
            Notice("no-sources", "未提供素材，已跳过数字和引号内名称的核对（用 --sources 指定素材）。", str(path))
        )
    else:
        src = source_text(sources)
        findings += check_figures(draft, src, terms)
        findings += check_quoted_names(draft, src, terms)
    findings += check_empty(draft)
    findings += check_placeholders(draft)
    findings += check_template_text(draft)
    if draft.sidecar is None:
        notices.append(Notice("no-sidecar", "未找到稿件的来源记录（.sources.json），已跳过人称核对。", str(path)))
    findings += check_stray_own_voice(draft)
    findings += check_speaker_named(draft)
    findings += check_mixed_first_person(draft)
    findings += check_terms(draft, terms)
    findings += check_numbering(draft)
    findings += check_lone_first_point(draft)
    findings += check_empty_sections(draft)
    findings += check_punctuation(draft)
    if draft.format == "docx":
        findings += check_house_style(draft, style if style is not None else load_house_style())
    order = list(KIND_LABELS)
    findings.sort(key=lambda f: (order.index(f.kind) if f.kind in order else 99, f.paragraph))
    return CheckReport(str(path), tuple(findings), tuple(notices))


def _sidecar_source_files(sidecar: Path) -> list[dict]:
    """The sidecar's ``source_files`` entries (absent from sidecars of older drafts)."""
    import json

    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    files = data.get("source_files") if isinstance(data, dict) else None
    return [f for f in files if isinstance(f, dict)] if isinstance(files, list) else []


def default_source_paths(draft_path: Path) -> list[Path]:
    """The source paths the draft's sidecar records, existing ones only: its
    ``source_files`` resolved from the sidecar's own folder (else absolute), or for
    older sidecars the cited paths relative to the working directory, else to the
    sidecar's folder."""
    from writer.check.draft_reading import _load_sidecar, _sidecar_paths, find_sidecar

    sidecar = find_sidecar(Path(draft_path))
    if not sidecar:
        return []
    out: list[Path] = []
    recorded = _sidecar_source_files(sidecar)
    if recorded:
        # Written by the draft: relative to the sidecar's own folder, else absolute.
        for entry in recorded:
            candidates = [sidecar.parent / entry["relative"]] if entry.get("relative") else []
            candidates += [Path(entry["absolute"])] if entry.get("absolute") else []
            candidates += [Path(entry["path"]), sidecar.parent / entry["path"]] if entry.get("path") else []
            found = next((c for c in candidates if c.exists()), None)
            if found is not None:
                out.append(found)
        return out
    for p in _sidecar_paths(_load_sidecar(sidecar)):
        for candidate in (Path(p), sidecar.parent / p):
            if candidate.exists():
                out.append(candidate)
                break
    return out
