"""Drafting from the passages table: only the sources that can make the draft are decoded.

A draft of ten items out of 100,000 mapped passages reads a few hundred of them.
``compose_from_table`` works out what composing must know about the whole corpus from
the table's columns (``draft.Whole``: units, the speaking unit's articles, families of
sub-points, intros, which occurrence of a repeated passage counts), then gives
``draft.compose`` the sources of each section's best-scoring passages (and of their
families, and of the opening and closing it may quote) with a mapping that lists only
those passages per section.

The result is the one the whole corpus gives, and checked to be: a section's choice
takes candidates best first (``draft._choose``), so the candidates left out — none
scoring above the first passage left out — could only have been taken after the last
one taken.  When that does not hold for a section (its pool ran out, or a penalised
unit let the choice go deep), the depth grows and the draft is composed again; at worst
with every source.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable
from pathlib import Path
from typing import Any

from writer.compose import draft
from writer.compose.draft import CLOSING, OPENING, Shape, Whole, compose
from writer.config.outline import Outline
from writer.mapping import prepared
from writer.mapping.columnar import ColumnMapping
from writer.mapping.prepared import PassageTable
from writer.model.corpus import Corpus
from writer.model.report import Report

FIRST_DEPTH = 60  # best passages per section tried first; ×4 each time that is not enough
WHOLE_SHARE = 0.5  # needing this share of the sources or more, the whole corpus is loaded instead


def compose_from_table(
    table: PassageTable, mapping: ColumnMapping, outline: Outline, load_all: Callable[[], Corpus], store: Any = None
) -> Report:
    """``draft.compose`` over the corpus the table holds, decoding only the sources needed
    (``load_all`` gives the whole corpus when that is what it takes).  ``store`` (the corpus
    cache) keeps the ``Whole`` worked out for the table and the outline's unit."""
    whole = _kept_whole(table, outline, store)
    leaves = [s for top in outline.sections for s in (top.sections or (top,))]
    ranked = {leaf.id: mapping.ranked(leaf.id) for leaf in leaves}
    depth = FIRST_DEPTH
    while True:
        prefixes = {leaf.id: _prefix(ranked[leaf.id], table.ids, mapping.pinned_in(leaf.id), depth) for leaf in leaves}
        wanted = _sources_needed(table, whole, prefixes, outline)
        if wanted is None or len(wanted) >= WHOLE_SHARE * len(table.paths):
            break  # as much as all of them: compose the whole corpus
        sources = table.sources(wanted)
        if any(s is None for s in sources):
            break
        first = table.first_rows()
        whole.source_rows = [first[k] for k in wanted]
        corpus = Corpus(tuple(s for s in sources if s is not None))
        report = compose(corpus, _Prefixes(mapping, prefixes), outline, whole)  # type: ignore[arg-type]
        if all(_settled(whole, mapping, leaf, ranked[leaf], prefixes[leaf]) for leaf in ranked):
            return report
        depth *= 4
    return compose(load_all(), mapping, outline)


def _kept_whole(table: PassageTable, outline: Outline, store: Any) -> Whole:
    """``whole_of_table``, kept in the store per table, unit and composing rules."""
    key = None
    if table.key and hasattr(store, "save_blob"):
        rules = hashlib.sha1(Path(draft.__file__ or "").read_bytes() + repr(outline.unit).encode()).hexdigest()
        key = f"whole2:{table.key}:{rules[:16]}"
        kept = prepared.load(store, key, _decode_whole)
        if kept is not None:
            return kept
    whole = whole_of_table(table, outline)
    if key:
        store.save_blob(key, _encode_whole(whole))
    return whole


_WHOLE_FIELDS = ("units", "home_units", "own", "notes", "children", "parent_of", "intros", "heading_leads", "home",
                 "first_of_kind")  # fmt: skip


def _encode_whole(whole: Whole) -> bytes:
    return marshal.dumps(tuple(getattr(whole, name) for name in _WHOLE_FIELDS))  # a warm draft reads it whole


def _decode_whole(blob: bytes) -> Whole:
    values = marshal.loads(blob)
    if len(values) != len(_WHOLE_FIELDS):
        raise ValueError("another shape")
    return Whole(**dict(zip(_WHOLE_FIELDS, values)), source_rows=[])


def whole_of_table(table: PassageTable, outline: Outline) -> Whole:
    """``Whole.of_corpus`` from the table's columns."""
    rows_of: list[list[int]] = [[] for _ in table.article_ids]
    for i, a in enumerate(table.article_of):
        rows_of[a].append(i)
    articles = [
        (
            aid,
            table.article_units[a],
            [
                Shape(
                    table.ids[i],
                    table.kinds[i],
                    table.leads[i],
                    table.numbers[i],
                    table.headings[i],
                    table.sentence_counts[i],
                    table.lengths[i],
                )
                for i in rows_of[a]
            ],
        )  # fmt: skip
        for a, aid in enumerate(table.article_ids)
    ]
    return Whole.of_articles(articles, outline, lambda a: [table.texts[i] for i in rows_of[a][:3]])


def _prefix(rows: list[int], ids: list[str], pinned: set[str], depth: int) -> list[int]:
    """A section's best ``depth`` rows, and on to its last pinned passage."""
    last_pin = max((k for k, i in enumerate(rows) if ids[i] in pinned), default=-1) if pinned else -1
    return rows[: max(depth, last_pin + 1)]


def _sources_needed(
    table: PassageTable, whole: Whole, prefixes: dict[str, list[int]], outline: Outline
) -> list[int] | None:
    """The sources (in corpus order) holding every passage composing may look at: the
    prefixes' passages as found by id, their family heads and sub-points, and the opening
    and closing it may quote; with every source of the same file name (article ids
    are "<file stem>#n")."""
    rows: set[int] = set()
    for prefix in prefixes.values():
        for i in prefix:
            pid = table.ids[i]
            head = whole.parent_of.get(pid, pid)
            for x in (pid, head):
                if x not in whole.home:
                    return None
                rows.add(whole.home[x])
            if head in whole.children:
                first, kids = whole.children[head]
                rows.update(first + k for k in kids)
    for kind, literal in ((OPENING, outline.lead), (CLOSING, outline.closing)):
        if not literal and whole.first_of_kind[kind] >= 0:
            rows.add(whole.first_of_kind[kind])
    wanted = {table.source_of[table.article_of[i]] for i in rows}
    stems = {_stem(table.paths[k]) for k in wanted}
    wanted.update(k for k, path in enumerate(table.paths) if _stem(path) in stems)
    return sorted(wanted)


def _stem(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]


def _settled(whole: Whole, mapping: ColumnMapping, section_id: str, rows: list[int], prefix: list[int]) -> bool:
    """Whether the section's choice is the one all its candidates give: every candidate left
    out scores at most as the first passage left out, and ranks (own material first, then
    score, then position) after the last candidate taken."""
    if len(prefix) == len(rows):
        return True
    if section_id in whole.unverified:
        return False  # the pool ran out: the passages left out would have been taken
    last = whole.open_choices.get(section_id)
    if last is None:
        return True  # nothing taken from the pool (pinned passages filled the section)
    cut = mapping.at(rows[len(prefix)]).score
    return (last[0], last[1]) <= (False, -cut)


class _Prefixes:
    """The mapping with each section's passages cut to a prefix (best first)."""

    def __init__(self, mapping: ColumnMapping, prefixes: dict[str, list[int]]):
        self._mapping, self._prefixes = mapping, prefixes

    def in_section(self, section_id: str) -> list:
        return [self._mapping.at(i) for i in self._prefixes.get(section_id, ())]

    def assignment(self, passage_id: str):
        return self._mapping.assignment(passage_id)

    def pinned_in(self, section_id: str) -> set[str]:
        return self._mapping.pinned_in(section_id)
