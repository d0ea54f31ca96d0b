"""Rules of the genre that decide where a passage goes, each shown on a small
look-alike fixture (tests/fixtures/genre_rules, one difficulty per file),
through the public API: ingest → map_corpus with the default outline."""

from pathlib import Path

import pytest

from writer.config.outline import find_preset, load_outline
from writer.mapping.scoring import Mapping, map_corpus
from writer.model.corpus import Corpus
from writer.sources.ingest import ingest

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "genre_rules"


def _map(name: str) -> tuple[Corpus, Mapping]:
    corpus = ingest([FIXTURES / name])
    return corpus, map_corpus(corpus, load_outline(find_preset("三个引领")))


def _placed(name: str, start: str):
    corpus, mapping = _map(name)
    hits = [p for _, _, p in corpus.iter_passages() if p.text.startswith(start)]
    assert len(hits) == 1, start
    return hits[0], mapping.assignment(hits[0].id)


@pytest.mark.parametrize(
    ("start", "section"),
    [
        ("以建强基层党组织作为着力点", "zuzhi"),  # the part's 题句 names the party organisation
        ("以服务大局、护航发展作为落脚点", None),  # … or only the business
    ],
)
def test_a_one_sentence_statement_is_placed_on_modest_clear_evidence_like_a_sub_point(start, section):
    p, a = _placed("题句.txt", start)
    assert len(p.sentences) == 1 and not p.lead
    assert a.section == section


def test_a_team_named_a_vanguard_is_the_party_organisation_not_the_study_it_runs():
    _, a = _placed("先锋队.txt", "同心同向，锻造检察先锋队")
    assert a.section == "zuzhi"
    assert any(t.startswith("党员先锋队（要点）") for t in a.terms["zuzhi"])
