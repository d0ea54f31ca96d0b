"""The corpus model: what extraction produces and every later stage reads.

Corpus → Source → Article → Passage, all frozen dataclasses.  Every piece knows
where it came from (``Location``: file, 1-based line range, 0-based character
span in the decoded text of the file).  Warnings are data (``Notice``), not
prints.  ``to_dict`` gives a JSON-ready form (used by ``writer ingest --json``
and by the cache, which rebuilds the model itself: ``sources.cache.source_from_row``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

# Passage kinds.
OPENING = "opening"  # the article's opening paragraph(s) before any heading (近年来……)
BODY = "body"  # ordinary body text
CLOSING = "closing"  # 下一步/今后…… closing paragraph
ABSTRACT = "abstract"  # 内容摘要/摘要 of a research report
PASSAGE_KINDS = (OPENING, BODY, CLOSING, ABSTRACT)

# Metadata kinds (kept out of the body text).
META_KINDS = (
    "caption",  # photo caption
    "source",  # 来源：检察日报
    "byline",  # 本报记者…/通讯员…/（兰桂萍）
    "author",  # 党组书记、检察长 王辉
    "date",  # 2024-05-01 / 发布时间
    "keywords",  # 关键词：……
    "editor_note",  # 编者按
    "page_title",  # a compilation page's own title
    "meeting",  # 模范机关建设分享交流(2025年第3场)
)


@dataclass(frozen=True)
class Location:
    """Where something stands in its source file."""

    path: str
    line_start: int  # 1-based, inclusive
    line_end: int  # 1-based, inclusive
    char_start: int  # 0-based offset into the decoded text, inclusive
    char_end: int  # exclusive

    def label(self) -> str:
        """Human-readable place, e.g. ``seeds/000.txt 第4行`` or ``第11–15行``."""
        if self.line_start == self.line_end:
            return f"{self.path} 第{self.line_start}行"
        return f"{self.path} 第{self.line_start}–{self.line_end}行"


@dataclass(frozen=True)
class Notice:
    """A warning as data: what, where, and an excerpt."""

    code: str  # e.g. placeholder, skipped-file, truncated, encoding
    message: str  # one line of Chinese
    path: str
    line: int | None = None
    excerpt: str = ""

    def label(self) -> str:
        if not self.line and self.path in self.message:
            return self.message  # the message names the file already
        where = f"{self.path} 第{self.line}行" if self.line else self.path
        return f"{where}：{self.message}"


@dataclass(frozen=True)
class Meta:
    """A metadata line kept out of the body text (caption, byline, 来源…)."""

    kind: str
    text: str
    location: Location


@dataclass(frozen=True)
class Heading:
    """A heading in an article's heading tree."""

    text: str  # without its enumerator, e.g. "坚持发挥组织体系引领作用……"
    level: int  # 1 = 一、 / top unnumbered; 2 = （一）; 3 = 1.; 4 = （1）
    number: str  # the enumerator as written ("一、", "（二）", "1.", "") or ""
    location: Location


@dataclass(frozen=True)
class Passage:
    """The unit of mapping and composition: a paragraph or one run-in sub-point."""

    id: str  # stable, derived from content ("p" + 10 hex)
    kind: str  # one of PASSAGE_KINDS
    text: str  # cleaned text, enumerator included as written
    sentences: tuple[str, ...]
    lead: str | None  # lead phrase ("强化“思想要素”核心功能") or None
    number: str  # run-in enumerator as written ("一是", "1.") or ""
    heading: tuple[str, ...]  # heading path, outermost first
    location: Location


@dataclass(frozen=True)
class Article:
    """One article of a source file (a compilation holds several)."""

    id: str  # "<file stem>#<n>", 1-based
    title: str | None
    subtitle: str | None
    unit: str | None
    meta: tuple[Meta, ...]
    headings: tuple[Heading, ...]
    passages: tuple[Passage, ...]
    location: Location

    def meta_of(self, kind: str) -> list[str]:
        return [m.text for m in self.meta if m.kind == kind]


@dataclass(frozen=True)
class Source:
    """One input file."""

    path: str
    format: str  # txt | md | docx | html
    encoding: str  # utf-8, utf-8-sig, utf-16, gb18030, … ("docx" for .docx)
    sha256: str
    articles: tuple[Article, ...]
    meta: tuple[Meta, ...]  # file-level metadata (a compilation's page title, 编者按)
    notices: tuple[Notice, ...]


@dataclass(frozen=True)
class SourceSummary:
    """One input file as ``writer ingest`` reports it: its counts and warnings, not its
    text (a warm run over 10,000 files reads these from the cache, not the texts)."""

    path: str
    format: str
    encoding: str
    articles: int
    passages: int
    notices: tuple[Notice, ...]
    sha256: str = ""  # of the file's bytes, as parsed

    @classmethod
    def of(cls, source: Source) -> SourceSummary:
        passages = sum(len(a.passages) for a in source.articles)
        return cls(
            source.path, source.format, source.encoding, len(source.articles), passages, source.notices, source.sha256
        )


@dataclass(frozen=True)
class Survey:
    """What an ingest run found, file by file, without the texts (``writer ingest``'s table)."""

    sources: tuple[SourceSummary, ...]
    notices: tuple[Notice, ...] = field(default=())  # corpus-level (skipped files, the cache)

    def all_notices(self) -> list[Notice]:
        out = list(self.notices)
        for s in self.sources:
            out.extend(s.notices)
        return out


@dataclass(frozen=True)
class Corpus:
    """Everything read from the given paths."""

    sources: tuple[Source, ...]
    notices: tuple[Notice, ...] = field(default=())  # corpus-level (skipped files)

    def iter_passages(self) -> Iterator[tuple[Source, Article, Passage]]:
        for source in self.sources:
            for article in source.articles:
                for passage in article.passages:
                    yield source, article, passage

    def passages(self) -> list[Passage]:
        return [p for _, _, p in self.iter_passages()]

    def articles(self) -> list[tuple[Source, Article]]:
        return [(s, a) for s in self.sources for a in s.articles]

    def all_notices(self) -> list[Notice]:
        out = list(self.notices)
        for s in self.sources:
            out.extend(s.notices)
        return out

    def find_passage(self, passage_id: str) -> tuple[Source, Article, Passage] | None:
        for triple in self.iter_passages():
            if triple[2].id == passage_id:
                return triple
        return None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
