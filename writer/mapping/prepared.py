"""The passages table: a corpus's passages as columns, with what scoring prepares per passage.

Mapping 100,000 passages does not need 100,000 ``Passage`` objects: it needs each
passage's id, kind, text length, heading path, lead and point, the mechanisms it sets up
and a few flags, side by side.  ``PassageTable.of(corpus)`` works these out once with the
rule functions of ``scoring`` (``scoring_lead``, ``point_of``, ``_mechanisms``,
``_heading_paths``, ``is_short_point`` …); ``encode``/``decode`` keep the table in the
corpus cache, so that a warm ``writer map`` reads one row instead of decoding every source.

A stored table is keyed by ``table_key``: the sources it was built from (shown path, the
sha256 of their bytes, their parse version) and ``rules_key`` (the patterns the prepared
columns depend on).  A changed file, another folder or a change of those rules gives
another key, and the table is built afresh from the sources.

``TermIndex`` holds the outline's term counts per passage (text counts, and which terms its
lead names), flat, so that they are stored per term set and read back without a dict per
passage.  ``table.passage(i)`` rebuilds one ``Passage`` (equal to the parsed one) where a
rule needs the object (special passages, the explainer, pins).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import marshal
import zlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from writer.model.corpus import Corpus, Location, Notice, Passage, Source, Survey

TABLE_SHAPE = 8  # bump when the columns below change
# the prepared columns of a corpus's passages (``scoring.prepare_passages``)
Prepare = Callable[[Corpus, list[Passage]], dict[str, list]]


@dataclass
class PassageTable:
    """Passages as columns, in corpus order (``Corpus.iter_passages``).

    The texts (with each passage's sentences and place in its file) are the bulk of it and
    only some commands read them: a stored table loads them when first read (``texts``),
    and ``passage(i)`` for a few rows decodes just their sources from the corpus cache."""

    # the model's fields
    ids: list[str]
    kinds: list[str]
    lengths: list[int]  # characters of the text
    sentence_counts: list[int]
    openings: list[str]  # the text's first 25 characters (what ``writer map`` shows)
    leads: list[str | None]  # Passage.lead
    numbers: list[str]
    headings: list[tuple[str, ...]]
    article_of: list[int]  # index into the article columns
    article_ids: list[str]
    article_titles: list[str | None]
    article_units: list[str | None]
    source_of: list[int]  # per article: index into the source columns
    paths: list[str]  # per source: its path as shown
    shas: list[str]  # per source: the sha256 of its bytes (its row in the corpus cache)
    # what scoring prepares from the text alone (``scoring`` rules)
    scoring_leads: list[str]
    points: list[str]
    mechanisms: list[tuple]
    scoring_paths: list[tuple[str, ...]]
    short: list[bool]  # a short one-sentence point
    sub_point: list[bool]  # numbered, with a lead, or short
    fixed_special: list[bool]  # never placed by the matrix: opening, closing, background, problem, quotation
    density: list[float]  # business words per 100 characters
    heads_next: list[bool]  # a short line that may head the paragraph after it
    practice: list[int]  # the learned model's score: is it the unit's own practice (``practice.score``)
    notices: tuple[Notice, ...] = field(default=(), compare=False)  # of the run that loaded it
    key: str | None = field(default=None, compare=False)  # ``table_key`` when known (stored term counts follow it)
    # the body: texts, sentences (as lengths when they cut the text) and spans (line start,
    # line end, char start, char end); loaded by ``_load_body`` when first read
    _body: tuple[Sequence[str], Sequence[tuple], Sequence[tuple]] | None = field(
        default=None, compare=False, repr=False
    )
    _load_body: Callable[[], tuple[Sequence[str], Sequence, Sequence]] | None = field(
        default=None, compare=False, repr=False
    )
    _fetch: Callable[[str, str], Source | None] | None = field(default=None, compare=False, repr=False)
    _fetch_many: Callable[[list[tuple[str, str]]], Iterable[Source | None]] | None = field(
        default=None, compare=False, repr=False
    )
    _objects: list[Passage] | None = field(default=None, compare=False, repr=False)  # the parsed passages, if at hand
    _decoded: dict[int, Source | None] = field(default_factory=dict, compare=False, repr=False)
    _first_rows: list[int] | None = field(default=None, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def of(cls, corpus: Corpus, prepare: Prepare) -> PassageTable:
        """The table of a corpus, ``prepare`` giving the prepared columns (``scoring.prepare_passages``)."""
        article_ids: list[str] = []
        titles: list[str | None] = []
        units: list[str | None] = []
        source_of: list[int] = []
        article_of: list[int] = []
        passages: list[Passage] = []
        for k, s in enumerate(corpus.sources):
            for a in s.articles:
                article_ids.append(a.id)
                titles.append(a.title)
                units.append(a.unit)
                source_of.append(k)
                article_of.extend([len(article_ids) - 1] * len(a.passages))
                passages.extend(a.passages)
        texts = [p.text for p in passages]
        body = (texts, [_cuts(p) for p in passages], [_span(p.location) for p in passages])
        prepared: dict[str, Any] = prepare(corpus, passages)
        return cls(
            ids=[p.id for p in passages],
            kinds=[p.kind for p in passages],
            lengths=[len(t) for t in texts],
            sentence_counts=[len(p.sentences) for p in passages],
            openings=[t[:25] for t in texts],
            leads=[p.lead for p in passages],
            numbers=[p.number for p in passages],
            headings=[p.heading for p in passages],
            article_of=article_of,
            article_ids=article_ids,
            article_titles=titles,
            article_units=units,
            source_of=source_of,
            paths=[s.path for s in corpus.sources],
            shas=[s.sha256 for s in corpus.sources],
            **prepared,
            notices=tuple(corpus.all_notices()),
            _body=body,
            _objects=passages,
        )

    # ------------------------------------------------------------ rows

    @property
    def texts(self) -> Sequence[str]:
        return self._loaded_body()[0]

    def _loaded_body(self) -> tuple[Sequence[str], Sequence[tuple], Sequence[tuple]]:
        if self._body is None:
            body = None
            if self._load_body is not None:
                try:
                    body = self._load_body()
                except Exception:  # a missing or damaged body: read from the sources instead
                    body = None
            if body is None or len(body[0]) != len(self):
                body = self._body_from_sources()
            self._body = body
        return self._body

    def _body_from_sources(self) -> tuple[list[str], list[tuple], list[tuple]]:
        texts: list[str] = []
        cuts: list[tuple] = []
        spans: list[tuple] = []
        for k in range(len(self.paths)):
            for p in self._source_passages(k):
                texts.append(p.text)
                cuts.append(_cuts(p))
                spans.append(_span(p.location))
        return texts, cuts, spans

    def passage(self, i: int) -> Passage:
        """Passage ``i`` as the parser made it: the very object when built from a corpus, else
        built from the columns once the texts are loaded, else from its source (decoded)."""
        if self._objects is not None:
            return self._objects[i]
        if self._body is None and self._fetch is not None:
            k = self.source_of[self.article_of[i]]
            source = self.source(k)
            if source is not None:  # else (gone from the cache meanwhile) from the stored texts
                found = [p for a in source.articles for p in a.passages]
                first = self._first_row_of_sources()[k]
                if len(found) > i - first and found[i - first].id == self.ids[i]:
                    return found[i - first]
        texts, sentences, spans = self._loaded_body()
        text, cuts = texts[i], sentences[i]
        if cuts and type(cuts[0]) is int:
            pieces, at = [], 0
            for n in cuts:
                pieces.append(text[at : at + n])
                at += n
            cuts = tuple(pieces)
        # frozen dataclasses made without their __init__ (one field at a time): equal objects, made 3× faster
        location = object.__new__(Location)
        location.__dict__.update(zip(_LOCATION_FIELDS, (self.path_of(i), *spans[i])))
        passage = object.__new__(Passage)
        values = (self.ids[i], self.kinds[i], text, cuts, self.leads[i], self.numbers[i], self.headings[i], location)
        passage.__dict__.update(zip(_PASSAGE_FIELDS, values))
        return passage

    def source(self, k: int) -> Source | None:
        """Source ``k`` decoded from the corpus cache (kept for the run); None when it is not there."""
        if k not in self._decoded:
            self._decoded[k] = self._fetch(self.shas[k], self.paths[k]) if self._fetch is not None else None
        return self._decoded[k]

    def sources(self, ks: list[int]) -> list[Source | None]:
        """``source(k)`` for each of ``ks``, the missing ones fetched together (a few queries
        on one connection rather than one each)."""
        todo = [k for k in dict.fromkeys(ks) if k not in self._decoded]
        if todo and self._fetch_many is not None:
            for k, source in zip(todo, self._fetch_many([(self.shas[k], self.paths[k]) for k in todo])):
                self._decoded[k] = source
        return [self.source(k) for k in ks]

    def _source_passages(self, k: int) -> list[Passage]:
        source = self.source(k)
        if source is None:
            raise ValueError(f"source {self.paths[k]} is no longer in the cache")
        return [p for a in source.articles for p in a.passages]

    def first_rows(self) -> list[int]:
        """The first row of each source, and the number of rows at the end."""
        return self._first_row_of_sources()

    def _first_row_of_sources(self) -> list[int]:
        """The first row of each source, and the number of rows at the end (rows are in source order)."""
        if self._first_rows is None:
            sizes = [0] * len(self.paths)
            for a, rows in Counter(self.article_of).items():  # counted in C, added per article
                sizes[self.source_of[a]] += rows
            self._first_rows = list(itertools.accumulate(sizes, initial=0))
        return self._first_rows

    @property
    def passages(self) -> Sequence[Passage]:
        """Every passage, built from the columns (the parsed objects when built from a corpus)."""
        if self._objects is not None:
            return self._objects
        self._loaded_body()
        return _Passages(self)

    def text_of(self, i: int) -> str:
        """Passage i's text: from the loaded texts, else from its source."""
        return self._body[0][i] if self._body is not None else self.passage(i).text

    def path_of(self, i: int) -> str:
        return self.paths[self.source_of[self.article_of[i]]]

    def all_notices(self) -> list[Notice]:
        return list(self.notices)

    # ------------------------------------------------------------ storage

    def encode(self) -> tuple[bytes, bytes]:
        """(the columns, the body): stored apart, the body read only when needed."""
        return self.encode_columns(), self.encode_body()

    def encode_columns(self) -> bytes:
        return _encode_columns({name: getattr(self, name) for name in _STORED})

    def encode_body(self) -> bytes:
        """The texts, and the sentences and spans apart (read only to make passages), each in
        chunks of ``TEXT_CHUNK`` passages: a few objects to decode, not 100,000, and never
        all the bytes of a large corpus at once."""
        texts, cuts, spans = self._loaded_body()
        parts = [_body_chunk(texts[a : a + TEXT_CHUNK], cuts[a : a + TEXT_CHUNK], spans[a : a + TEXT_CHUNK])
                 for a in range(0, len(texts), TEXT_CHUNK)]  # fmt: skip
        return marshal.dumps((TABLE_SHAPE, [t for t, _ in parts], [sh for _, sh in parts]))

    @classmethod
    def decode(cls, blob: bytes) -> PassageTable:
        shape, columns = marshal.loads(blob)
        if shape != TABLE_SHAPE or set(columns) != set(_STORED):
            raise ValueError("passages table of another shape")
        for name in ("headings", "scoring_paths"):
            refs, distinct = columns[name]
            columns[name] = [distinct[k] for k in refs]
        for name in ("short", "sub_point", "fixed_special", "heads_next"):
            columns[name] = [b == 1 for b in columns[name]]
        columns["density"] = array("d", columns["density"]).tolist()
        columns["practice"] = array("q", columns["practice"]).tolist()
        columns["lengths"] = array("q", columns["lengths"]).tolist()
        columns["sentence_counts"] = array("q", columns["sentence_counts"]).tolist()
        columns["article_of"] = array("q", columns["article_of"]).tolist()
        n = len(columns["ids"])
        for name in _LATER:
            columns[name] = _Later(functools.partial(_column, columns[name], n), n)
        table = cls(**columns)
        if any(len(getattr(table, name)) != n for name in _PER_PASSAGE):
            raise ValueError("columns of different lengths")
        if len(table.shas) != len(table.paths) or len(table.source_of) != len(table.article_ids):
            raise ValueError("columns of different lengths")
        return table

    def decode_body(self, blob: bytes) -> tuple[Sequence[str], Sequence[tuple], Sequence[tuple]]:
        shape, chunks, shapes = marshal.loads(blob)
        if shape != TABLE_SHAPE:
            raise ValueError("body of another shape")
        texts = _Texts(chunks, self.lengths, lambda: self._body_from_sources()[0])
        if len(shapes) != len(chunks):
            raise ValueError("body of another shape")
        kept = _ShapeChunks(shapes, len(self))
        return texts, _ShapeColumn(kept, 0), _ShapeColumn(kept, 1)


TEXT_CHUNK = 2000  # passages per stored chunk of texts


class _Rows(Sequence):
    """A sequence read a row at a time (``_row``), indexed as a list is."""

    def _row(self, i: int) -> Any:
        raise NotImplementedError

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._row(i)


def _remember(decoded: dict[int, Any], c: int, value: Any, kept: int) -> Any:
    """Keep ``value`` as decoded chunk ``c``, forgetting the oldest beyond ``kept``."""
    if len(decoded) >= kept:
        del decoded[next(iter(decoded))]
    decoded[c] = value
    return value


class _Texts(_Rows):
    """The texts as a few compressed chunks of ``TEXT_CHUNK`` passages, a chunk decoded when
    a text of it is read (the last few decoded are kept), each text cut out of its chunk:
    a corpus's texts are never all in memory as strings.  A chunk that does not decode (a
    damaged row) is not trusted: every text is then read with ``fallback``."""

    KEPT = 4

    def __init__(self, chunks: list[bytes], lengths: Sequence[int], fallback: Callable[[], list[str]]):
        self.chunks = chunks
        self.ends = array("q", [0, *itertools.accumulate(lengths)])
        if len(chunks) != -(-len(lengths) // TEXT_CHUNK):
            raise ValueError("texts of another table")
        self._fallback = fallback
        self._whole: list[str] | None = None
        self._decoded: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.ends) - 1

    def _chunk(self, c: int) -> str | None:
        """Chunk ``c`` as one string; None once the texts come from ``fallback``."""
        if self._whole is not None:
            return None
        hit = self._decoded.get(c)
        if hit is None:
            ends = self.ends
            try:
                hit = zlib.decompress(self.chunks[c]).decode("utf-8")
                if len(hit) != ends[min((c + 1) * TEXT_CHUNK, len(ends) - 1)] - ends[c * TEXT_CHUNK]:
                    raise ValueError("texts of another table")
            except (zlib.error, UnicodeDecodeError, ValueError):
                self._whole = self._fallback()
                if len(self._whole) != len(self):
                    raise ValueError("texts of another table") from None
                return None
            _remember(self._decoded, c, hit, self.KEPT)
        return hit

    def _row(self, i: int) -> str:
        chunk = self._chunk(i // TEXT_CHUNK)
        if chunk is None:
            return self._whole[i]  # type: ignore[index]
        base = self.ends[i - i % TEXT_CHUNK]
        return chunk[self.ends[i] - base : self.ends[i + 1] - base]

    def __iter__(self) -> Iterator[str]:
        ends = self.ends
        for c in range(len(self.chunks)):
            at = c * TEXT_CHUNK
            chunk = self._chunk(c)
            if chunk is None:
                yield from self._whole[at : at + TEXT_CHUNK]  # type: ignore[index]
                continue
            base = ends[at]
            for i in range(at, min(at + TEXT_CHUNK, len(ends) - 1)):
                yield chunk[ends[i] - base : ends[i + 1] - base]


class _Later(Sequence):
    """A sequence decoded when first read (of ``length`` items, when known)."""

    def __init__(self, make: Callable[[], Any], length: int | None = None):
        self._make = make
        self._value: Any = None
        self._length = length

    @property
    def value(self) -> Any:
        if self._value is None:
            self._value = self._make()
        return self._value

    def __len__(self) -> int:
        return len(self.value) if self._length is None else self._length

    def __getitem__(self, i):  # type: ignore[override]
        return self.value[i]

    def __iter__(self) -> Iterator:
        return iter(self.value)

    def __eq__(self, other) -> bool:
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented


def _encode_columns(columns: dict[str, Any]) -> bytes:
    """The stored form of a table's columns (``_STORED``: name → list).  Each column in
    ``columns`` is replaced by its encoding as it goes, so a list only the dict holds is
    freed before the next is encoded."""
    # a heading path is shared by many passages: stored once, referred to by number
    for name in ("headings", "scoring_paths"):
        distinct: dict[tuple, int] = {}
        columns[name] = ([distinct.setdefault(h, len(distinct)) for h in columns[name]], list(distinct))
    for name in ("short", "sub_point", "fixed_special", "heads_next"):
        columns[name] = bytes(columns[name])
    columns["density"] = array("d", columns["density"]).tobytes()
    for name in ("practice", "lengths", "sentence_counts", "article_of"):
        columns[name] = array("q", columns[name]).tobytes()
    for name in _LATER:  # decoded when first read: a warm draft reads few of them
        value = columns[name]
        columns[name] = marshal.dumps(value if type(value) is list else list(value))
    return marshal.dumps((TABLE_SHAPE, columns))  # not compressed: every warm run reads it whole


def _body_chunk(texts: Sequence[str], cuts: Sequence, spans: Sequence) -> tuple[bytes, bytes]:
    """One stored chunk of the body: its texts as one string, its sentences and spans."""
    return (
        zlib.compress("".join(texts).encode("utf-8"), 1),
        zlib.compress(marshal.dumps((list(cuts), list(spans))), 1),
    )


class _ShapeChunks:
    """The stored chunks of sentences and spans, each decoded when a row of it is read;
    the last few decoded are kept (rows are mostly read in order: 100,000 rows of tuples
    are never all in memory)."""

    KEPT = 4

    def __init__(self, chunks: list[bytes], n: int):
        self.chunks, self.n = chunks, n
        self.decoded: dict[int, tuple[list, list]] = {}

    def chunk(self, c: int) -> tuple[list, list]:
        hit = self.decoded.get(c)
        if hit is None:
            cuts, spans = marshal.loads(zlib.decompress(self.chunks[c]))
            if len(cuts) != len(spans) or len(cuts) != min(TEXT_CHUNK, self.n - c * TEXT_CHUNK):
                raise ValueError("body of another shape")
            hit = _remember(self.decoded, c, (cuts, spans), self.KEPT)
        return hit


class _ShapeColumn(_Rows):
    """One of a body's sentences or spans, by row (``_ShapeChunks``)."""

    def __init__(self, chunks: _ShapeChunks, which: int):
        self._chunks, self._which = chunks, which

    def __len__(self) -> int:
        return self._chunks.n

    def _row(self, i: int) -> tuple:
        return self._chunks.chunk(i // TEXT_CHUNK)[self._which][i % TEXT_CHUNK]

    def __iter__(self) -> Iterator:
        for c in range(len(self._chunks.chunks)):
            yield from self._chunks.chunk(c)[self._which]


def _column(blob: bytes, n: int) -> list:
    """A stored column of ``n`` items."""
    value = marshal.loads(blob)
    if len(value) != n:
        raise ValueError("columns of different lengths")
    return value


class _Passages(Sequence):
    """A table's passages as a sequence, each built when indexed (nothing kept)."""

    def __init__(self, table: PassageTable):
        self._table = table

    def __len__(self) -> int:
        return len(self._table)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self._table.passage(k) for k in range(*i.indices(len(self)))]
        return self._table.passage(i)

    def __iter__(self) -> Iterator[Passage]:
        return (self._table.passage(i) for i in range(len(self)))


_LOCATION_FIELDS = tuple(f.name for f in fields(Location))
_PASSAGE_FIELDS = tuple(f.name for f in fields(Passage))
_MODEL_COLUMNS = (
    "ids",
    "kinds",
    "lengths",
    "sentence_counts",
    "openings",
    "leads",
    "numbers",
    "headings",
    "article_of",
)
_PREPARED = (
    "scoring_leads", "points", "mechanisms", "scoring_paths", "short", "sub_point", "fixed_special", "density", "heads_next",
    "practice",
)  # fmt: skip
_PER_PASSAGE = _MODEL_COLUMNS + _PREPARED
# the text columns a warm map or draft may not read at all: decoded when first read
_LATER = ("openings", "points", "scoring_leads", "leads", "mechanisms", "numbers")
_STORED = _PER_PASSAGE + ("article_ids", "article_titles", "article_units", "source_of", "paths", "shas")


def _span(location: Location) -> tuple[int, int, int, int]:
    return (location.line_start, location.line_end, location.char_start, location.char_end)


def _cuts(p: Passage) -> tuple:
    """A passage's sentences as their lengths when they cut its text (stored once)."""
    if p.sentences and "".join(p.sentences) == p.text:
        return tuple(len(s) for s in p.sentences)
    return p.sentences


def table_key(sources: list[tuple[str, str, str, int]], rules: str) -> str:
    """What a stored table depends on: each source's (shown path, sha256, format, number of
    articles) in corpus order, the parse version, and the scoring rules' key
    (``rules_key``).  A corpus narrowed to some units' articles has fewer articles in a
    source, or fewer sources: another key (``for_corpus`` checks the ids all the same)."""
    from writer.sources.cache import parse_version

    h = hashlib.sha1(f"table-{TABLE_SHAPE}|{parse_version()}|{rules}".encode())
    for path, sha, fmt, articles in sources:
        h.update(f"\n{path}\t{sha}\t{fmt}\t{articles}".encode())
    return "passages:" + h.hexdigest()[:24]


def survey_key(survey: Survey, rules: str) -> str:
    """The key of the table of the corpus a survey describes (``ingest.survey_sources``)."""
    return table_key([(s.path, s.sha256, s.format, s.articles) for s in survey.sources], rules)


def for_corpus(corpus: Corpus, store: Any, rules: str, prepare: Prepare) -> PassageTable:
    """The corpus's table: the stored one when the store holds it (with the corpus's own
    passage objects), else built and stored."""
    key = table_key([(s.path, s.sha256, s.format, len(s.articles)) for s in corpus.sources], rules)
    table = load(store, key, PassageTable.decode)
    passages = corpus.passages()
    if (
        table is None
        or table.ids != [p.id for p in passages]
        or table.article_ids != [a.id for _, a in corpus.articles()]
    ):
        table = PassageTable.of(corpus, prepare)
        if store is not None and hasattr(store, "save_blob"):
            store.save_blob(key + ":body", table.encode_body())  # one at a time: never both in memory
            store.save_blob(key, table.encode_columns())
    table._objects = passages
    table.key, table.notices = key, tuple(corpus.all_notices())
    return table


def from_sources(survey: Survey, store: Any, rules: str, prepare: Prepare) -> PassageTable | None:
    """The table of the corpus a survey describes, built one source at a time from the
    store's parses (never the whole corpus in memory), and kept; None when a parse is missing."""
    keys = [(s.sha256, s.path) for s in survey.sources]
    if not hasattr(store, "iter_sources"):
        return None
    # numbers and flags accumulate as arrays, heading paths shared: 30,000 articles' columns
    # are not millions of small objects
    parts: dict[str, Any] = {name: _compact_column(name) for name in _STORED}
    shared: dict[tuple, tuple] = {}
    # the body (texts, sentences, spans) compressed a chunk at a time as it comes: 30,000
    # articles' texts are never all in memory as objects
    pending: tuple[list, list, list] = ([], [], [])
    text_chunks: list[bytes] = []
    shape_chunks: list[bytes] = []

    def flush(upto: int) -> None:
        texts, shapes = _body_chunk(*(column[:upto] for column in pending))
        text_chunks.append(texts)
        shape_chunks.append(shapes)
        for column in pending:
            del column[:upto]

    sources = 0
    for source in store.iter_sources(keys):
        if source is None:
            return None
        part = PassageTable.of(Corpus((source,)), prepare)
        articles = len(parts["article_ids"])
        part.article_of = [a + articles for a in part.article_of]
        part.source_of = [sources] * len(part.source_of)
        for name in _STORED:
            parts[name].extend(getattr(part, name))
        for name in ("headings", "scoring_paths"):
            column = parts[name]
            for i in range(len(column) - len(part), len(column)):
                column[i] = shared.setdefault(column[i], column[i])
        for column, more in zip(pending, part._loaded_body()):
            column.extend(more)
        while len(pending[0]) >= TEXT_CHUNK:
            flush(TEXT_CHUNK)
        sources += 1
    if pending[0]:
        flush(len(pending[0]))
    body = marshal.dumps((TABLE_SHAPE, text_chunks, shape_chunks))
    text_chunks.clear()  # in ``body`` now
    shape_chunks.clear()
    key = survey_key(survey, rules)
    # stored, then read back as a warm run reads it: the lists built here are freed column
    # by column as they are encoded, the texts are read from the store when needed
    keep = hasattr(store, "save_blob")
    if keep:
        store.save_blob(key + ":body", body)
        body = b""
    columns = _encode_columns({name: parts.pop(name) for name in _STORED})
    if keep:
        store.save_blob(key, columns)
    table = PassageTable.decode(columns)
    del columns
    _read_body_from(table, store, key)
    if not keep:  # a store that keeps nothing: the body stays in memory
        table._load_body = functools.partial(table.decode_body, body)
    table.key, table.notices = key, tuple(survey.all_notices())
    return table


def _compact_column(name: str) -> Any:
    """An empty column to accumulate ``name`` in, as compact as it is stored."""
    if name in ("short", "sub_point", "fixed_special", "heads_next"):
        return bytearray()
    if name == "density":
        return array("d")
    if name in ("practice", "lengths", "sentence_counts", "article_of"):
        return array("q")
    return []


def _read_body_from(table: PassageTable, store: Any, key: str) -> None:
    """``table`` reads its texts from the store's row ``key:body``, its passages from the
    store's sources."""

    def body() -> tuple[Sequence[str], Sequence, Sequence]:
        blob = store.load_blob(key + ":body")
        if blob is None:
            raise ValueError("no body")
        return table.decode_body(blob)

    table._load_body = body
    table._fetch = getattr(store, "fetch_source", None)
    table._fetch_many = getattr(store, "iter_sources", None)


def from_store(survey: Survey, store: Any, rules: str) -> PassageTable | None:
    """The stored table of the corpus a survey describes, or None (then built from the
    corpus).  Its texts are read from the store when first needed, and single passages
    from their sources (``store.fetch_source``)."""
    key = survey_key(survey, rules)
    table = load(store, key, PassageTable.decode)
    if table is None:
        return None
    if table.paths != [s.path for s in survey.sources] or table.shas != [s.sha256 for s in survey.sources]:
        return None
    table.key, table.notices = key, tuple(survey.all_notices())
    _read_body_from(table, store, key)
    return table


@dataclass
class TermIndex:
    """The outline's term counts per passage, flat: passage i's terms are
    ``terms[starts[i]:starts[i + 1]]`` (numbers into ``names``), with their counts in the
    text and whether the passage's scoring lead names them too."""

    names: list[str]
    starts: array  # int64, one more than there are passages
    terms: array  # int32
    tf: array  # int64
    in_lead: bytes  # 0/1 per entry
    _lists: tuple[list, list, list] | None = field(default=None, compare=False, repr=False)

    def row(self, i: int) -> tuple[dict[str, int], dict[str, int]]:
        """Passage i's counts in its text, and (as 1s) the terms its lead names too."""
        if self._lists is None:  # entries as Python lists, once: rows are read one by one
            names = self.names
            self._lists = ([names[t] for t in self.terms], self.tf.tolist(), list(self.in_lead))
        named, tf, flags = self._lists
        a, b = self.starts[i], self.starts[i + 1]
        counts = dict(zip(named[a:b], tf[a:b]))
        lead = {name: 1 for name, flag in zip(named[a:b], flags[a:b]) if flag}
        return counts, lead

    def rows(self) -> list[dict[str, int]]:
        return [self.row(i)[0] for i in range(len(self.starts) - 1)]

    def df(self) -> dict[str, int]:
        """Passages containing each term."""
        if len(self.terms) > 100_000:  # a large corpus: numpy is loaded for its scoring anyway
            import numpy as np

            counts = np.bincount(np.frombuffer(self.terms, dtype=np.int32), minlength=len(self.names)).tolist()
            return {name: counts[k] for k, name in enumerate(self.names) if counts[k]}
        seen = Counter(self.terms)  # (each passage lists a term once) counted in C
        return {name: seen[k] for k, name in enumerate(self.names) if seen[k]}

    def columns(self, names: list[str], np, matrix) -> list:
        """Each of ``names``' occurrences as a ``matrix.TermColumn`` (rows ascending)."""
        n = len(self.starts) - 1
        starts = np.frombuffer(self.starts, dtype=np.int64)
        own = np.frombuffer(self.terms, dtype=np.int32).astype(np.int64)
        tf = np.frombuffer(self.tf, dtype=np.int64).astype(np.float64)
        in_lead = np.frombuffer(self.in_lead, dtype=np.uint8).astype(bool)
        rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(starts))
        wanted = {name: c for c, name in enumerate(names)}
        remap = np.array([wanted.get(name, -1) for name in self.names] or [-1], dtype=np.int64)
        cols = remap[own] if len(own) else own
        keep = cols >= 0
        cols, tf, in_lead, rows = cols[keep], tf[keep], in_lead[keep], rows[keep]
        order = np.argsort(cols, kind="stable")  # by term, rows ascending within each
        cuts = np.searchsorted(cols[order], np.arange(len(names) + 1))
        out = []
        for c in range(len(names)):
            sel = order[cuts[c] : cuts[c + 1]]
            out.append(matrix.TermColumn(rows[sel], tf[sel], in_lead[sel]))
        return out

    def encode(self) -> bytes:
        parts = (self.names, self.starts.tobytes(), self.terms.tobytes(), self.tf.tobytes(), self.in_lead)
        return marshal.dumps(parts)  # not compressed: every warm map and draft reads it whole

    @classmethod
    def decode(cls, blob: bytes, n: int) -> TermIndex:
        names, starts, terms, tf, in_lead = marshal.loads(blob)
        index = cls(names, array("q", starts), array("i", terms), array("q", tf), in_lead)
        if len(index.starts) != n + 1 or not len(index.terms) == len(index.tf) == len(index.in_lead):
            raise ValueError("term index of another corpus")
        if index.starts[-1] != len(index.terms) or (len(index.terms) and max(index.terms) >= len(names)):
            raise ValueError("term index out of range")
        return index


class KeptCounts:
    """The term counts kept between runs for one term set (``CountStore.load_counts``): each
    passage id's counts in its text, flat as in ``TermIndex`` (row r's terms are
    ``terms[starts[r]:starts[r + 1]]``), and each lead's counts.  Flat, so that 400,000
    passages are a few arrays, not a dict each, when counted, kept and read back."""

    FORMAT = "flat-1"

    def __init__(self, ids: list[str], names: list[str], starts: array, terms: array, tf: array, leads: dict):
        self.ids, self.names, self.starts, self.terms, self.tf, self.leads = ids, names, starts, terms, tf, leads

    @classmethod
    def empty(cls) -> KeptCounts:
        return cls([], [], array("q", [0]), array("i"), array("q"), {})

    @classmethod
    def decode(cls, data: Any) -> KeptCounts:
        """What ``encode`` gave; empty for anything else (an older format, a damaged row)."""
        try:
            if data.get("format") != cls.FORMAT:
                return cls.empty()
            kept = cls(
                list(data["ids"]),
                list(data["names"]),
                array("q", data["starts"]),
                array("i", data["terms"]),
                array("q", data["tf"]),
                dict(data["leads"]),
            )
        except (AttributeError, KeyError, TypeError, ValueError):
            return cls.empty()
        n, m = len(kept.ids), len(kept.terms)
        if (
            len(kept.starts) != n + 1
            or len(kept.tf) != m
            or kept.starts[-1] != m
            or (m and max(kept.terms) >= len(kept.names))
        ):
            return cls.empty()
        return kept

    def encode(self) -> dict:
        return {
            "format": self.FORMAT,
            "ids": self.ids,
            "names": self.names,
            "starts": self.starts.tobytes(),
            "terms": self.terms.tobytes(),
            "tf": self.tf.tobytes(),
            "leads": self.leads,
        }

    def rows(self) -> dict[str, int]:
        """Each kept passage id's row."""
        return {pid: r for r, pid in enumerate(self.ids)}

    def counts(self, r: int) -> dict[str, int]:
        names, a, b = self.names, self.starts[r], self.starts[r + 1]
        return {names[t]: n for t, n in zip(self.terms[a:b], self.tf[a:b])}

    @classmethod
    def of(cls, ids: list[str], index: TermIndex, leads: dict, older: KeptCounts | None) -> KeptCounts:
        """This run's counts (``index``, row i for ``ids[i]``), followed by the rows of
        ``older`` whose passages this run did not have."""
        kept = cls(
            list(ids), list(index.names), array("q", index.starts), array("i", index.terms), array("q", index.tf), leads
        )
        if older is not None and older.ids:
            have = set(ids)
            number = {name: k for k, name in enumerate(kept.names)}
            for r, pid in enumerate(older.ids):
                if pid in have:
                    continue
                have.add(pid)
                for name, n in older.counts(r).items():
                    kept.terms.append(number.setdefault(name, len(number)))
                    kept.tf.append(n)
                kept.starts.append(len(kept.terms))
                kept.ids.append(pid)
            kept.names = list(number)
        return kept


def load(store: Any, key: str, decode) -> Any:
    """A stored object, or None when it is missing or does not decode (then built afresh)."""
    blob = store.load_blob(key) if store is not None and hasattr(store, "load_blob") else None
    if blob is None:
        return None
    try:
        return decode(blob)
    except Exception:  # a damaged row is rebuilt, never trusted
        return None
