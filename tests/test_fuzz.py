"""Property-based tests (hypothesis): whatever bytes a source file holds and whatever
text an outline holds, the writer answers with a result or a WriterError — never a
crash.  The bounded run (a few hundred examples, derandomized: the same examples every
time) is part of the suite; ``pytest -m fuzz`` runs many thousand."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from writer.config.outline import Outline, parse_outline
from writer.errors import WriterError
from writer.model.corpus import Corpus

BOUNDED = settings(
    max_examples=200,
    derandomize=True,  # a fixed seed: the same examples on every run
    database=None,  # nothing written into the working tree
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
LONG = settings(BOUNDED, max_examples=5000)

SUFFIXES = [".txt", ".md", ".html", ".htm", ".docx"]
CHINESE = "一二三、。，；：（）“”是党建检察院坚持引领推动工作\n\n 　"

source_bytes = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=800).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.text(alphabet=CHINESE, max_size=800).map(lambda t: t.encode("gb18030")),
    st.text(alphabet=CHINESE + "<>/p h1 body html", max_size=800).map(str.encode),
    st.binary(max_size=600).map(lambda b: b"PK\x03\x04" + b),
)


def _ingest_once(data: bytes, suffix: str) -> None:
    from writer.sources.ingest import ingest

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"素材{suffix}"
        path.write_bytes(data)
        try:
            corpus = ingest([path])
        except WriterError as exc:
            assert str(exc)  # a message for the user
            return
        assert isinstance(corpus, Corpus) and corpus.sources


@BOUNDED
@given(data=source_bytes, suffix=st.sampled_from(SUFFIXES))
def test_ingesting_any_bytes_gives_a_corpus_or_a_writer_error(data, suffix):
    _ingest_once(data, suffix)


KEYS = ["title", "unit", "date", "length", "sections", "id", "keywords", "include", "max_items", "preset", "- ", "  "]
PIECES = [
    *KEYS,
    ": ",
    "\n",
    "  ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "&a ",
    "*a",
    "!!int ",
    "!!python/name:os.system",
    "!foo ",
    "2024-02-30",
    "三个引领",
    "思想引领",
    "3",
    "-1",
    "1e999",
    '"',
    "'",
    "#",
    "\t",
    "\x00",
    "~",
    "null",
    "---\n",
]
outline_text = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=60).map("".join),
    st.text(max_size=300),
)


def _check_outline_once(text: str) -> None:
    try:
        outline = parse_outline(text, "o.yaml")
    except WriterError as exc:
        assert str(exc)
        return
    assert isinstance(outline, Outline)
    assert all(s.keywords or s.include or s.sections for s in outline.iter_sections())


@BOUNDED
@given(text=outline_text)
def test_checking_any_outline_text_gives_an_outline_or_a_writer_error(text):
    _check_outline_once(text)


@pytest.mark.fuzz
@LONG
@given(data=source_bytes, suffix=st.sampled_from(SUFFIXES))
def test_long_ingestion_fuzz(data, suffix):
    _ingest_once(data, suffix)


@pytest.mark.fuzz
@LONG
@given(text=outline_text)
def test_long_outline_fuzz(text):
    _check_outline_once(text)
