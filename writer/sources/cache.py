"""The corpus cache: parsed sources kept in an embedded SQLite database.

Reading, cleaning and structuring thousands of files takes a while; a re-run
should only redo the files that changed.  The cache keeps, per source file, the
parsed ``Source`` (as ``model.to_dict`` gives it, JSON compressed with zlib),
keyed by the sha256 of the file's bytes and by the parse version (the writer's
version plus ``structure.SCHEMA``).  A second table remembers, per absolute path,
the size and mtime seen last time and the hash they had:

(the row's version also names the file's format, its extension: the same bytes
read as .txt and as .html are two parses).

  - path, size and mtime unchanged → reuse without reading the file;
  - otherwise hash the bytes and look the hash up, so a moved or renamed file
    (or an identical copy) is reused too, with its paths and article ids
    rewritten to the new name;
  - paths under the ingested roots that were not seen in this run are forgotten,
    and parsed sources no file refers to any more are deleted.

Nothing in the cache is trusted blindly: a file that is not SQLite, a SQLite file
of another application or an older layout, and a row that does not decode are
all rebuilt, each with a Notice (warnings are data).  A file that is not ours is
moved aside (``<name>.bad``, or ``<name>-2.bad`` … when that is taken), never deleted.
Any SQLite error in the middle of a run (a damaged data page, a cache deleted or made
read-only meanwhile) stops the cache for that run with one Notice: the run goes on
uncached, and a damaged file is moved aside the same way.  All writes of one run happen in
one SQLite transaction, so an interrupted run leaves the previous cache intact.

Public interface:
    CorpusCache(path)                    # one cache file; .notices, .stats after a run
      .open() / .close()
      .plan(files, on_reuse) -> Plan     # reused sources, files to parse
      .store(plan, parsed, roots)        # one transaction: new parses, files seen, pruning
      .load_counts(termset) / .save_counts(termset, counts)   # mapping's term counts per passage
      .load_blob(key) / .save_blob(key, data)  # passages tables and term indexes (writer.mapping.prepared)
    default_cache_path(outline=None)     # $WRITER_CACHE, else .writer/cache.sqlite
    parse_version()                      # the version string rows are keyed by
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
import os
import sqlite3
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

from writer.model.corpus import Article, Heading, Location, Meta, Notice, Passage, Source, SourceSummary

CACHE_LAYOUT = 3  # the SQLite tables below (PRAGMA user_version); bump when they change
APPLICATION_ID = 0x57525452  # "WRTR" (PRAGMA application_id): tells our file from others
CACHE_ENV = "WRITER_CACHE"
DEFAULT_NAME = Path(".writer") / "cache.sqlite"
_SQLITE_MAGIC = b"SQLite format 3\x00"
# A file modified this close to the moment we record its mtime may change again
# within the same mtime tick without changing size ("racy" stat, as git calls it):
# such rows are stored so that the next run hashes the file instead of trusting stat.
_RACY_NS = 2_000_000_000
_UNTRUSTED_MTIME = -1

_SCHEMA_SQL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (
    sha256 TEXT NOT NULL,
    version TEXT NOT NULL,
    path TEXT NOT NULL,          -- the path as shown when parsed (relocated on reuse)
    data BLOB NOT NULL,          -- zlib(marshal of the Source's fields as nested tuples)
    summary BLOB NOT NULL,       -- marshal of its counts and notices (SourceSummary), for ingest's table
    PRIMARY KEY (sha256, version)
);
CREATE TABLE files (
    path TEXT PRIMARY KEY,       -- absolute (os.path.abspath)
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,   -- -1: do not trust stat, hash next time
    sha256 TEXT NOT NULL
);
CREATE TABLE seen_passages (
    id TEXT PRIMARY KEY,         -- a passage id ever parsed (a hash of its text)
    path TEXT NOT NULL,          -- the file it was in (shown path)
    head TEXT NOT NULL,          -- its first words
    seen INTEGER NOT NULL        -- time_ns of the run that parsed it
);
CREATE TABLE term_counts (
    termset TEXT PRIMARY KEY,    -- what the counts depend on (mapping's term set and rules)
    used INTEGER NOT NULL,       -- time_ns of the last run that wrote it
    data BLOB NOT NULL           -- zlib(marshal(writer.mapping.prepared.KeptCounts.encode()))
);
CREATE TABLE tables (
    key TEXT PRIMARY KEY,        -- "passages:…" (sources and rules) or "terms:…" (term set and passages)
    used INTEGER NOT NULL,       -- time_ns of the last run that wrote or read it
    data BLOB NOT NULL           -- a passages table or a term index (writer.mapping.prepared)
);
"""
_EXPECTED_TABLES = {
    "meta": ["key", "value"],
    "sources": ["sha256", "version", "path", "data", "summary"],
    "files": ["path", "size", "mtime_ns", "sha256"],
    "seen_passages": ["id", "path", "head", "seen"],
    "term_counts": ["termset", "used", "data"],
    "tables": ["key", "used", "data"],
}
SEEN_KEPT_NS = 366 * 24 * 3600 * 10**9  # passages of old versions are remembered for a year
SEEN_HEAD = 40  # characters of a passage remembered
KEPT_TERM_SETS = 4  # outlines whose term counts are kept (the most recently used)
STORE_BATCH = 500  # new parses written per transaction during a run
KEPT_TABLES = 14  # rows of passages tables (two each), term indexes, decisions, evidence and surveys kept (the most recently written)


def parse_version() -> str:
    """The version parsed rows are keyed by: a new writer or a new parse schema
    makes every old row stale."""
    from writer import __version__
    from writer.sources.schema import SCHEMA

    return f"{__version__}+s{SCHEMA}+m{MODEL_SHAPE}+e{ROW_ENCODING}"


def default_cache_path(outline: Path | None = None) -> Path:
    """Where the cache lives unless ``--cache`` says otherwise: ``$WRITER_CACHE``,
    else ``.writer/cache.sqlite`` next to the outline, else in the current folder."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    base = Path(outline).parent if outline else Path(".")
    return base / DEFAULT_NAME


def _field_names(cls) -> tuple[str, ...]:
    from dataclasses import fields

    return tuple(f.name for f in fields(cls))


_FIELDS: dict[type, tuple[str, ...]] = {
    cls: _field_names(cls) for cls in (Location, Notice, Meta, Heading, Passage, Article, Source)
}
_RELOCATED: dict[type, tuple[str, ...]] = {**_FIELDS, SourceSummary: _field_names(SourceSummary)}
# The model's shape (every class's fields in order): rows are positional, so a model
# change must make every row stale (it is part of ``parse_version``).
MODEL_SHAPE = hashlib.sha1(repr(sorted((c.__name__, f) for c, f in _FIELDS.items())).encode()).hexdigest()[:8]


_SENTENCES = _FIELDS[Passage].index("sentences")
_TEXT = _FIELDS[Passage].index("text")
ROW_ENCODING = 2  # how rows are packed (part of ``parse_version``)


def _pack(value: Any) -> Any:
    """A model object as nested tuples of its field values, in field order.  A passage's
    sentences, which cut its text into consecutive pieces, are kept as their lengths
    (the text is stored once, not twice)."""
    if type(value) is Passage:
        packed = [_pack(getattr(value, name)) for name in _FIELDS[Passage]]
        if value.sentences and "".join(value.sentences) == value.text:
            packed[_SENTENCES] = tuple(len(x) for x in value.sentences)
        return tuple(packed)
    if type(value) in _FIELDS:
        return tuple(_pack(getattr(value, name)) for name in _FIELDS[type(value)])
    if isinstance(value, tuple):
        return tuple(_pack(v) for v in value)
    return value


def encode_source(source: Source) -> bytes:
    """A Source as compact bytes: its fields as nested tuples (``marshal``), zlib.
    Decoding builds the objects without running their ``__init__`` (see ``source_from_row``)."""
    return zlib.compress(marshal.dumps(_pack(source)), 6)


def _make(cls, values) -> Any:
    """A frozen dataclass from its field values in order, without running __init__ (a
    frozen __init__ sets each field through object.__setattr__, which dominates loading
    100,000 passages).  A row of another length is undecodable, not half-loaded."""
    names = _FIELDS[cls]
    if len(values) != len(names):
        raise ValueError(f"{cls.__name__} 字段不符")
    obj = object.__new__(cls)
    obj.__dict__.update(zip(names, values))
    return obj


_LOC = _FIELDS[Passage].index("location")


def source_from_row(row: tuple) -> Source:
    """The Source a row holds (``encode_source``'s tuples): equal to the one encoded."""

    def loc(x: tuple) -> Location:
        return _make(Location, x)

    def located(cls, x: tuple):
        # Meta, Heading and Passage end with their location
        return _make(cls, (*x[:-1], loc(x[-1])))

    def passage(x: tuple) -> Passage:
        cuts = x[_SENTENCES]
        if cuts and type(cuts[0]) is int:
            text, at, pieces = x[_TEXT], 0, []
            for n in cuts:
                pieces.append(text[at : at + n])
                at += n
            x = (*x[:_SENTENCES], tuple(pieces), *x[_SENTENCES + 1 :])
        return located(Passage, x)

    def article(x: tuple) -> Article:
        aid, title, subtitle, unit, meta, headings, passages, location = x
        return _make(
            Article,
            (
                aid,
                title,
                subtitle,
                unit,
                tuple(located(Meta, m) for m in meta),
                tuple(located(Heading, h) for h in headings),
                tuple(passage(p) for p in passages),
                loc(location),
            ),
        )

    path, fmt, encoding, sha, articles, meta, notices = row
    return _make(
        Source,
        (
            path,
            fmt,
            encoding,
            sha,
            tuple(article(a) for a in articles),
            tuple(located(Meta, m) for m in meta),
            tuple(_make(Notice, n) for n in notices),
        ),
    )


def encode_summary(source: Source) -> bytes:
    summary = SourceSummary.of(source)
    return marshal.dumps(
        _pack(summary.notices) + (summary.format, summary.encoding, summary.articles, summary.passages)
    )


def decode_summary(path: str, blob: bytes, sha256: str = "") -> SourceSummary:
    *notices, fmt, encoding, articles, passages = marshal.loads(blob)
    return SourceSummary(path, fmt, encoding, articles, passages, tuple(_make(Notice, n) for n in notices), sha256)


def decode_source(blob: bytes) -> Source:
    return source_from_row(marshal.loads(zlib.decompress(blob)))


def _stem(shown: str) -> str:
    # Must agree with structure.build_article's article id ("<file stem>#<n>").
    return shown.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def relocate(source: Any, old: str, new: str) -> Any:
    """A parsed source moved from shown path ``old`` to ``new``: every location and
    notice path, notice messages naming the file, and the article ids."""
    if old == new:
        return source
    old_stem, new_stem = _stem(old), _stem(new)

    def walk(x: Any) -> Any:
        if type(x) in _RELOCATED:
            changes = {}
            for name in _RELOCATED[type(x)]:
                v = getattr(x, name)
                if name == "path" and v == old:
                    changes[name] = new
                elif name == "message" and isinstance(v, str):
                    changes[name] = v.replace(old, new)
                elif type(x) is Article and name == "id" and v.startswith(old_stem + "#"):
                    changes[name] = new_stem + v[len(old_stem) :]
                elif isinstance(v, tuple) or type(v) in _RELOCATED:
                    changes[name] = walk(v)
            return dataclasses.replace(x, **changes)
        if isinstance(x, tuple):
            return tuple(walk(v) for v in x)
        return x

    return walk(source)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass
class CacheStats:
    """What the last run did (for the CLI's summary and for tests)."""

    reused: list[str] = field(default_factory=list)  # shown paths served from the cache
    parsed: list[str] = field(default_factory=list)  # shown paths read and parsed anew
    hashed: int = 0  # files whose bytes had to be hashed (stat did not match)
    pruned: int = 0  # file rows forgotten (deleted or moved away under the roots)


@dataclass
class SeenFile:
    """A file as this run saw it (recorded in the ``files`` table by ``store``)."""

    shown: str
    key: str  # absolute path (os.path.abspath)
    size: int
    mtime_ns: int  # -1: do not trust stat next time
    sha256: str | None  # None when the file could not be read


@dataclass
class Plan:
    """What a run must do with its files, by index into the files planned:
    ``reused`` sources come from the cache, ``to_parse`` files must be read and
    parsed (then given back to ``CorpusCache.store``)."""

    shown: list[str]
    reused: dict[int, Any] = field(default_factory=dict)  # Source, or SourceSummary for a light plan
    to_parse: list[int] = field(default_factory=list)
    seen: list[SeenFile] = field(default_factory=list)  # files stat'ed and hashed, in order
    seen_at: dict[int, SeenFile] = field(default_factory=dict)


# One parsed file given back to ``store``: (index in the plan, its Source or None
# when it could not be read, its encoded form from ``encode_source`` or None).
Parsed = tuple[int, Union[Source, None], Union[bytes, None]]


class _CountsMixin:
    """Mapping's term counts per passage, kept per term set (an outline's terms and
    the rules' patterns): a warm ``map`` or ``draft`` does not rescan 100,000 texts.
    Passage ids are hashes of their text, so the counts hold wherever the text moves.
    Reading or writing them never fails a run: a problem only means counting again."""

    path: Path
    _broken: bool
    _version: str

    def _read(self, sql: str, params: tuple | list) -> list | None:
        """The rows of one read-only query; None when there is no usable cache or it fails."""
        if self._broken or not self.path.exists():
            return None
        try:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
            try:
                return conn.execute(sql, params).fetchall()
            finally:
                conn.close()
        except sqlite3.Error:
            return None

    def load_counts(self, termset: str) -> dict:
        rows = self._read("SELECT data FROM term_counts WHERE termset = ?", (termset,))
        try:
            data = marshal.loads(zlib.decompress(rows[0][0])) if rows else {}
        except (zlib.error, ValueError, EOFError, TypeError):
            return {}
        return data if isinstance(data, dict) else {}

    def recall(self, ids: list[str]) -> dict[str, tuple[str, str]]:
        """Passages parsed in earlier runs that are gone now (a source was edited): id →
        (the file it was in, its first words), for warnings about pins that match nothing."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._read(f"SELECT id, path, head FROM seen_passages WHERE id IN ({marks})", ids)
        return {pid: (path, head) for pid, path, head in rows or ()}

    def save_counts(self, termset: str, counts: dict) -> None:
        self._keep("term_counts", "termset", termset, zlib.compress(marshal.dumps(counts), 1), KEPT_TERM_SETS)

    def load_blob(self, key: str) -> bytes | None:
        """A stored passages table or term index (``writer.mapping.prepared``), or None."""
        rows = self._read("SELECT data FROM tables WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def fetch_source(self, sha256: str, shown: str) -> Source | None:
        """One cached parse, decoded and moved to ``shown`` (the few sources whose passages
        a command shows or drafts from); None when it is not there or does not decode."""
        version = f"{self._version or parse_version()}|{_suffix(shown)}"
        rows = self._read("SELECT path, data FROM sources WHERE sha256 = ? AND version = ?", (sha256, version))
        if not rows:
            return None
        row = rows[0]
        try:
            source = decode_source(row[1])
        except Exception:  # a damaged row: the caller reads the texts another way
            return None
        return relocate(source, row[0], shown) if source.sha256 == sha256 else None

    def iter_sources(self, keys: list[tuple[str, str]]) -> Iterator[Source | None]:
        """The cached parses of many files, (sha256, shown path) each, decoded one at a time in
        order (a few queries of 200, never all the texts at once); None for one not there."""
        if self._broken or not self.path.exists():
            yield from (None for _ in keys)
            return
        version = self._version or parse_version()
        try:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
        except sqlite3.Error:
            yield from (None for _ in keys)
            return
        try:
            for at in range(0, len(keys), 200):
                chunk = keys[at : at + 200]
                wanted = {(sha, f"{version}|{_suffix(shown)}") for sha, shown in chunk}
                marks = ",".join("?" * len(chunk))
                query = f"SELECT sha256, version, path, data FROM sources WHERE sha256 IN ({marks})"
                try:
                    rows = {
                        (s, v): (p, d)
                        for s, v, p, d in conn.execute(query, [sha for sha, _ in chunk])
                        if (s, v) in wanted
                    }
                except sqlite3.Error:
                    rows = {}
                for sha, shown in chunk:
                    row = rows.get((sha, f"{version}|{_suffix(shown)}"))
                    yield None if row is None else _decoded(row, sha, shown)
        finally:
            conn.close()

    def save_blob(self, key: str, data: bytes) -> None:
        self._keep("tables", "key", key, data, KEPT_TABLES)

    # ------------------------------------------------------------ a whole survey

    def listing_key(self, files: list[Path]) -> tuple[str, str] | None:
        """(where a survey of exactly these files is kept, what it depends on): the key
        names the files (one kept survey per folder, replaced when a file changes); the
        digest adds each file's absolute path, size and modification time and the parse
        version.  None when a file cannot be stat'ed or was modified within the last two
        seconds (its stat could still change unseen): such a run surveys file by file."""
        if not self._version:
            return None
        names = hashlib.sha1(b"survey")
        h = hashlib.sha1(f"survey|{self._version}".encode())
        limit = time.time_ns() - _RACY_NS
        for f in files:
            try:
                st = os.stat(f)
            except OSError:
                return None
            if st.st_mtime_ns > limit:
                return None
            names.update(f"\n{f}".encode())
            h.update(f"\n{f}\t{os.path.abspath(f)}\t{st.st_size}\t{st.st_mtime_ns}".encode())
        return "survey:" + names.hexdigest()[:24], h.hexdigest()

    def kept_survey(self, listing: tuple[str, str]) -> list[SourceSummary] | None:
        """The summaries an earlier run kept for the same listing (``listing_key``), or None."""
        blob = self.load_blob(listing[0])
        if blob is None:
            return None
        try:
            digest, rows = marshal.loads(blob)
            if digest != listing[1]:
                return None
            out = []
            for path, fmt, enc, articles, passages, notices, sha in rows:
                summary = object.__new__(SourceSummary)  # as ``_make``: 10,000 of them, no frozen __init__
                summary.__dict__.update(
                    path=path, format=fmt, encoding=enc, articles=articles, passages=passages,
                    notices=tuple(_make(Notice, n) for n in notices), sha256=sha,
                )  # fmt: skip
                out.append(summary)
            return out
        except Exception:  # damaged: survey file by file
            return None

    def keep_survey(self, listing: tuple[str, str], summaries: list[SourceSummary]) -> None:
        rows = [(s.path, s.format, s.encoding, s.articles, s.passages, _pack(s.notices), s.sha256) for s in summaries]
        self.save_blob(listing[0], marshal.dumps((listing[1], rows)))

    def _keep(self, table: str, column: str, key: str, data: bytes, kept: int) -> None:
        """Store one row, keeping only the ``kept`` most recently written; never fails a run."""
        if self._broken or not self.path.exists():
            return
        try:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            try:
                conn.execute("BEGIN IMMEDIATE")
                _insert_blob(conn, table, column, key, data)
                conn.execute(
                    f"DELETE FROM {table} WHERE {column} NOT IN (SELECT {column} FROM {table} ORDER BY used DESC LIMIT ?)",
                    (kept,),
                )
                conn.execute("COMMIT")
            finally:
                conn.close()
        except sqlite3.Error:
            return


BLOB_PIECE = 1 << 20  # bytes written at a time into a large stored row


def _insert_blob(conn: sqlite3.Connection, table: str, column: str, key: str, data: bytes) -> None:
    """Insert (or replace) one row of ``table``.  A large blob goes in a piece at a time
    (a zero-filled row first): bound whole, SQLite would copy it twice more, and a passages
    table of 30,000 articles is over 100 MB."""
    piecewise = len(data) > BLOB_PIECE
    cur = conn.execute(
        f"INSERT OR REPLACE INTO {table} ({column}, used, data) VALUES (?, ?, {'zeroblob(?)' if piecewise else '?'})",
        (key, time.time_ns(), len(data) if piecewise else data),
    )
    if not piecewise:
        return
    view, row = memoryview(data), cur.lastrowid
    if row is None:  # an INSERT gives one; without it, no row to write into
        raise sqlite3.Error("no row inserted")
    with conn.blobopen(table, "data", row) as blob:
        for at in range(0, len(data), BLOB_PIECE):
            blob.write(view[at : at + BLOB_PIECE])


class CorpusCache(_CountsMixin):
    """One cache file.  Use through ``writer.sources.ingest.ingest(paths, cache=...)``."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.notices: list[Notice] = []
        self.stats = CacheStats()
        self._conn: sqlite3.Connection | None = None
        self._version = ""
        self._broken = False
        self._rows: dict[tuple[str, str], tuple[str, bytes]] | None = None

    # ------------------------------------------------------------ opening

    def _warn(self, message: str) -> None:
        self.notices.append(Notice("cache", message, str(self.path)))

    def open(self) -> bool:
        """Open (creating or rebuilding as needed); False when the cache cannot be
        used at all (the run then goes on without it, with a Notice)."""
        self.notices = []
        self.stats = CacheStats()
        self._version = parse_version()
        self._broken = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            problem = self._problem_with_existing()
            if problem:
                self._set_aside(problem)
            self._conn = self._connect()
            return True
        except (OSError, sqlite3.Error) as exc:
            self._warn(
                f"无法使用缓存文件 {self.path}（{exc}），本次不使用缓存。可用 --cache 指定其他位置，或 --no-cache 关闭缓存。"
            )
            self.close()
            return False

    def _problem_with_existing(self) -> tuple[str, bool] | None:
        """(why it is unusable, whether it may be someone else's file) or None."""
        if not self.path.exists():
            return None
        size = self.path.stat().st_size
        if size == 0:
            return None  # an empty file is an empty database
        with open(self.path, "rb") as f:
            head = f.read(len(_SQLITE_MAGIC))
        if head != _SQLITE_MAGIC:
            return "不是 SQLite 数据库（可能已损坏）", True
        try:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
            try:
                app_id = conn.execute("PRAGMA application_id").fetchone()[0]
                layout = conn.execute("PRAGMA user_version").fetchone()[0]
                tables = {
                    name: [c[1] for c in conn.execute(f"PRAGMA table_info({name})")]
                    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
                }
            finally:
                conn.close()
        except sqlite3.Error as exc:
            return f"无法读取（{exc}）", True
        if app_id != APPLICATION_ID:
            return "不是 writer 的缓存（另一种 SQLite 数据库）", True
        if layout != CACHE_LAYOUT:
            return f"是旧版缓存格式（{layout}，当前 {CACHE_LAYOUT}）", False
        if tables != _EXPECTED_TABLES:
            return "表结构不对（可能已损坏）", False
        return None

    def _set_aside(self, problem: tuple[str, bool]) -> None:
        why, maybe_foreign = problem
        for suffix in ("-journal", "-wal", "-shm"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)
        if maybe_foreign:
            # Possibly someone else's file (a mistyped --cache): keep it.
            aside = self._move_aside()
            self._warn(f"缓存文件 {self.path} {why}，已另存为 {aside.name} 并重建缓存。")
        else:
            self.path.unlink()
            self._warn(f"缓存文件 {self.path} {why}，已重建缓存。")

    def _move_aside(self) -> Path:
        """Move the cache file to the first free ``<name>.bad``, ``<name>-2.bad`` …
        (an earlier .bad is never overwritten); returns the new name."""
        n = 1
        while True:
            aside = self.path.with_name(f"{self.path.name}.bad" if n == 1 else f"{self.path.name}-{n}.bad")
            n += 1
            if aside.exists() or aside.is_symlink():
                continue
            try:
                os.link(self.path, aside)  # never clobbers: fails if the name was taken meanwhile
            except FileExistsError:
                continue
            except OSError:
                if aside.exists():
                    continue
                os.rename(self.path, aside)
                return aside
            self.path.unlink()
            return aside

    def broken(self, exc: sqlite3.Error) -> None:
        """A database error in the middle of a run: stop using the cache (the run goes
        on uncached) with one Notice; a damaged file is set aside under a free .bad
        name.  A cache that is only read-only, locked, or gone is left where it is."""
        self.close()
        self._broken = True
        text = str(exc).lower()
        harmless = ("readonly", "read-only", "locked", "busy", "unable to open", "disk i/o", "disk is full")
        if any(h in text for h in harmless) or not self.path.exists():
            self._warn(
                f"缓存文件 {self.path} 无法使用（{exc}），本次不使用缓存。可用 --cache 指定其他位置，或 --no-cache 关闭缓存。"
            )
            return
        for suffix in ("-journal", "-wal", "-shm"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)
        try:
            aside = self._move_aside()
        except OSError as move_error:
            self._warn(
                f"缓存文件 {self.path} 已损坏（{exc}），且无法移开（{move_error.strerror}），本次不使用缓存；请删除该文件。"
            )
            return
        self._warn(f"缓存文件 {self.path} 已损坏（{exc}），已另存为 {aside.name}；本次不使用缓存，下次运行重建。")

    @property
    def usable(self) -> bool:
        return self._conn is not None and not self._broken

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves (one transaction per run).
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            if not conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone():
                # Several first runs may get here at once: the write lock orders them,
                # and IF NOT EXISTS lets the later ones find the tables already made.
                conn.execute("BEGIN IMMEDIATE")
                try:
                    for statement in _SCHEMA_SQL.split(";"):
                        if statement.strip():
                            conn.execute(statement.replace("CREATE TABLE ", "CREATE TABLE IF NOT EXISTS "))
                    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    conn.execute(f"PRAGMA user_version = {CACHE_LAYOUT}")
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
        except BaseException:
            conn.close()
            raise
        conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # ------------------------------------------------------------ planning

    def plan(self, files: list[Path], on_reuse: Callable[[str], None] | None = None, light: bool = False) -> Plan:
        """Which files can be served from the cache and which must be parsed.

        Path, size and mtime as recorded → the recorded hash is trusted (the file
        is not read); otherwise the file is hashed.  The hash is then looked up,
        so a moved, renamed or copied file is reused under its new name.  A file
        that cannot be stat'ed or read is left to the parser, which reports it.
        ``on_reuse(shown)`` is called for each reused file as it is found.  ``light``:
        reused files come back as their ``SourceSummary`` (counts and notices), without
        decoding their texts."""
        try:
            return self._plan(files, on_reuse, light)
        except sqlite3.Error as exc:
            self.broken(exc)
            self.stats = CacheStats()
            return Plan([str(f) for f in files], to_parse=list(range(len(files))))

    def _plan(self, files: list[Path], on_reuse: Callable[[str], None] | None, light: bool) -> Plan:
        plan = Plan([str(f) for f in files])
        known = self.known_files()
        for i, f in enumerate(files):
            entry = self._see(f, plan.shown[i], known)
            if entry is None:
                plan.to_parse.append(i)  # read_document will report it properly
                continue
            plan.seen.append(entry)
            plan.seen_at[i] = entry
        self._prefetch([(e.sha256 or "", self._row_version(e.shown)) for e in plan.seen], light)
        try:
            for i, entry in plan.seen_at.items():
                assert entry.sha256 is not None
                cached = self.lookup(entry.sha256, entry.shown, light)  # keyed by bytes, format and parse version
                if cached is None:
                    plan.to_parse.append(i)
                    continue
                plan.reused[i] = cached
                self.stats.reused.append(entry.shown)
        finally:
            self._rows = None
        plan.to_parse.sort()
        if on_reuse:  # reported once the whole plan stands (a database error above means: no reuse)
            for i in plan.reused:
                on_reuse(plan.shown[i])
        return plan

    def _see(self, f: Path, shown: str, known: dict[str, tuple[int, int, str]]) -> SeenFile | None:
        """Stat the file and find its hash (trusting an unchanged stat); None on OSError."""
        try:
            st = f.stat()
            # abspath, not resolve(): resolving symlinks costs a system call per
            # path component, and a symlinked path that differs is still found by hash.
            key = os.path.abspath(f)
            row = known.get(key)
            if row and row[0] == st.st_size and row[1] == st.st_mtime_ns and row[1] >= 0:
                sha = row[2]  # unchanged by stat: trust the recorded hash, skip reading
            else:
                sha = file_sha256(f)
                self.stats.hashed += 1
        except OSError:
            return None
        return SeenFile(shown, key, st.st_size, st.st_mtime_ns, sha)

    def store(self, plan: Plan, parsed: Iterable[Parsed], roots: list[Path]) -> None:
        """Record a run: the files parsed after ``plan`` (unreadable ones are not
        remembered), the files seen, and forgetting what is gone under ``roots``."""
        if not self.usable:
            return
        new: dict[tuple[str, str], tuple[bytes, bytes]] = {}
        heads: list[tuple[str, str, str]] = []
        new_paths: dict[tuple[str, str], str] = {}
        flushed = False
        for i, source, blob in parsed:
            if len(new) >= STORE_BATCH:  # written as they come: 30,000 parses are never all in memory
                try:
                    self._save_parses(new, new_paths, heads)
                except sqlite3.Error as exc:
                    self.broken(exc)
                    return
                new, new_paths, heads, flushed = {}, {}, [], True
            entry = plan.seen_at.get(i)
            if source is None:
                if entry is not None:
                    entry.sha256 = None  # nothing to remember for an unreadable file
                continue
            self.stats.parsed.append(plan.shown[i])
            if entry is not None and blob is not None:
                key = (source.sha256, self._row_version(source.path))
                new[key] = (blob, encode_summary(source))
                heads.extend((p.id, source.path, p.text[:SEEN_HEAD]) for a in source.articles for p in a.passages)
                new_paths[key] = source.path
                if entry.sha256 != source.sha256:
                    # The file changed between hashing and reading: record what
                    # was parsed, and hash it again next time.
                    entry.sha256, entry.mtime_ns = source.sha256, _UNTRUSTED_MTIME
        try:
            self.save(plan.seen, new, new_paths, [Path(os.path.abspath(r)) for r in roots], heads, flushed)
        except sqlite3.Error as exc:
            self.broken(exc)

    def _save_parses(
        self,
        new: dict[tuple[str, str], tuple[bytes, bytes]],
        new_paths: dict[tuple[str, str], str],
        heads: list[tuple[str, str, str]],
    ) -> None:
        """A batch of new parses and their passages, in a transaction of its own (``save``
        records the files afterwards; parses of files it does not record are dropped then)."""
        assert self._conn is not None
        with _transaction(self._conn) as conn:
            _insert_parses(conn, new, new_paths, heads, time.time_ns())

    # ------------------------------------------------------------ lookups

    def _row_version(self, shown: str) -> str:
        """The parse version and the file's format (its extension): the same bytes read
        as .txt and as .html are different parses."""
        return f"{self._version}|{_suffix(shown)}"

    def _unchanged(self, rows: list[tuple[str, int, int, str]], roots: list[Path]) -> bool:
        """Whether the files table already says all a run would write: the same rows for
        the files seen, none to forget, and this version's rows only."""
        known = self.known_files()
        if any(known.get(key) != (size, mtime, sha) for key, size, mtime, sha in rows):
            return False
        seen = {key for key, *_ in rows}
        if any(p not in seen and (_under(p, roots) or not os.path.exists(p)) for p in known):
            return False
        assert self._conn is not None
        prefix = self._version + "|"
        stale = "SELECT 1 FROM sources WHERE substr(version, 1, ?) != ? LIMIT 1"
        return self._conn.execute(stale, (len(prefix), prefix)).fetchone() is None

    def known_files(self) -> dict[str, tuple[int, int, str]]:
        assert self._conn is not None
        return {p: (s, m, h) for p, s, m, h in self._conn.execute("SELECT path, size, mtime_ns, sha256 FROM files")}

    def lookup(self, sha256: str, shown: str, light: bool = False) -> Any:
        """The cached parse of these bytes (its ``SourceSummary`` when ``light``), moved
        to ``shown``; None on a miss or an undecodable row (with a Notice)."""
        assert self._conn is not None
        version = self._row_version(shown)
        row = self._rows.pop((sha256, version), None) if self._rows is not None else None
        if row is None:
            column = "summary" if light else "data"
            row = self._conn.execute(
                f"SELECT path, {column} FROM sources WHERE sha256 = ? AND version = ?", (sha256, version)
            ).fetchone()
        if row is None:
            return None
        old, blob = row
        try:
            if light:
                return relocate(decode_summary(old, blob, sha256), old, shown)
            source = decode_source(blob)
            if source.sha256 != sha256 or source.path != old:
                raise ValueError("条目与键不符")
            return relocate(source, old, shown)
        except Exception as exc:  # any damage to a row means: do not trust it, re-read
            self._warn(f"缓存中 {shown} 的条目无法解码（{type(exc).__name__}），已重新读取该文件。")
            return None

    def _prefetch(self, keys: list[tuple[str, str]], light: bool) -> None:
        """Fetch the rows of many files in a few queries instead of one query each."""
        assert self._conn is not None
        self._rows = {}
        wanted = set(keys)
        shas = sorted({sha for sha, _ in keys})
        for i in range(0, len(shas), 500):
            chunk = shas[i : i + 500]
            marks = ",".join("?" * len(chunk))
            column = "summary" if light else "data"
            query = f"SELECT sha256, version, path, {column} FROM sources WHERE sha256 IN ({marks})"
            for sha, version, path, data in self._conn.execute(query, chunk):
                if (sha, version) in wanted:
                    self._rows[(sha, version)] = (path, data)

    # ------------------------------------------------------------ writing

    def save(
        self,
        seen: list[SeenFile],
        new: dict[tuple[str, str], tuple[bytes, bytes]],
        new_paths: dict[tuple[str, str], str],
        roots: list[Path],
        heads: list[tuple[str, str, str]] = [],  # noqa: B006 — read only
        flushed: bool = False,
    ) -> None:
        """One transaction: new parses, the files seen, and forgetting what is gone
        (``flushed``: parses were written before, in batches).

        ``new`` maps (sha256, row version) → encoded source, ``new_paths`` the same key
        → shown path it was parsed under."""
        assert self._conn is not None
        conn = self._conn
        now = time.time_ns()
        rows = []
        for s in seen:
            if s.sha256 is None:
                continue
            mtime = s.mtime_ns if now - s.mtime_ns > _RACY_NS else _UNTRUSTED_MTIME
            rows.append((s.key, s.size, mtime, s.sha256))
        if not new and not heads and not flushed and self._unchanged(rows, roots):
            self.stats.pruned = 0
            return  # a warm run that found everything as recorded writes nothing
        with _transaction(conn):
            prefix = self._version + "|"
            conn.execute("DELETE FROM sources WHERE substr(version, 1, ?) != ?", (len(prefix), prefix))
            _insert_parses(conn, new, new_paths, heads, now)
            conn.executemany("INSERT OR REPLACE INTO files (path, size, mtime_ns, sha256) VALUES (?, ?, ?, ?)", rows)
            seen_keys = {s.key for s in seen}
            # Forget files under the roots that this run did not see (deleted, moved,
            # now hidden), and files elsewhere only once they no longer exist: another
            # folder ingested with the same cache keeps its rows.
            gone = [
                p
                for (p,) in conn.execute("SELECT path FROM files")
                if p not in seen_keys and (_under(p, roots) or not os.path.exists(p))
            ]
            conn.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in gone])
            self.stats.pruned = len(gone)
            conn.execute("DELETE FROM sources WHERE sha256 NOT IN (SELECT sha256 FROM files)")
            conn.execute("DELETE FROM seen_passages WHERE seen < ?", (now - SEEN_KEPT_NS,))
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('writer', ?)", (self._version,))


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: committed when the block ends, rolled back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        raise


def _insert_parses(
    conn: sqlite3.Connection,
    new: dict[tuple[str, str], tuple[bytes, bytes]],
    new_paths: dict[tuple[str, str], str],
    heads: list[tuple[str, str, str]],
    now: int,
) -> None:
    """New parses (keyed by sha256 and row version) and the passages they hold."""
    conn.executemany(
        "INSERT OR REPLACE INTO sources (sha256, version, path, data, summary) VALUES (?, ?, ?, ?, ?)",
        [(h, v, new_paths[(h, v)], blob, summary) for (h, v), (blob, summary) in new.items()],
    )
    conn.executemany(
        "INSERT OR REPLACE INTO seen_passages (id, path, head, seen) VALUES (?, ?, ?, ?)",
        [(pid, path, head, now) for pid, path, head in heads],
    )


def _decoded(row: tuple[str, bytes], sha256: str, shown: str) -> Source | None:
    """A stored parse (path, data) moved to ``shown``; None when it does not decode."""
    old, blob = row
    try:
        source = decode_source(blob)
    except Exception:
        return None
    return relocate(source, old, shown) if source.sha256 == sha256 and source.path == old else None


def _suffix(shown: str) -> str:
    """``Path(shown).suffix.lower()``, without making a Path per file."""
    name = os.path.basename(shown)
    dot = name.rfind(".")
    return name[dot:].lower() if 0 < dot < len(name) - 1 else ""


def _under(path: str, roots: list[Path]) -> bool:
    for root in roots:
        r = str(root)
        if path == r or path.startswith(r.rstrip(os.sep) + os.sep):
            return True
    return False
