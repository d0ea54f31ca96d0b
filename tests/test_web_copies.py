"""Web copies in traditional script with pinyin notes are read as simplified text, with
a notice, offsets still pointing into the file; a simplified text with a stray
traditional character is left as it is."""

from pathlib import Path

import pytest

from writer.config.outline import find_preset, load_outline
from writer.mapping.scoring import map_corpus
from writer.sources.ingest import ingest
from writer.sources.script import PINYIN_NOTE, simplify, to_simplified

FIXTURE = Path(__file__).parent / "fixtures" / "web_copies" / "繁体转载.txt"


@pytest.fixture(scope="module")
def source():
    return ingest([FIXTURE]).sources[0]


def _passages(source):
    return [p for a in source.articles for p in a.passages]


def test_a_traditional_copy_is_read_as_simplified_with_a_notice(source):
    texts = [p.text for p in _passages(source)]
    assert any(t.startswith("该院按照业务条线设置三个党支部") for t in texts)
    assert any("支部书记由部门负责人担任" in t and "战斗堡垒作用" in t for t in texts)
    assert not any(PINYIN_NOTE.search(t) or "(" in t or "（" in t for t in texts)
    assert all(a.unit and a.unit.startswith("临河县检察院") for a in source.articles)
    assert [h.text for a in source.articles for h in a.headings][:1] == ["把支部建在办案一线"]
    (notice,) = [n for n in source.notices if n.code == "traditional"]
    assert "繁体字" in notice.message and "简体" in notice.message


def test_offsets_still_point_at_the_traditional_text(source):
    raw = FIXTURE.read_text(encoding="utf-8")
    for p in _passages(source):
        original = raw[p.location.char_start : p.location.char_end]
        assert simplify(original) == p.text, p.text[:12]


def test_its_words_match_the_outline(source):
    corpus = ingest([FIXTURE])
    mapping = map_corpus(corpus, load_outline(find_preset("三个引领")))
    by_start = {p.text[:8]: mapping.assignment(p.id).section for p in _passages(corpus.sources[0])}
    assert by_start["该院按照业务条线"] == "zuzhi"
    assert by_start["院党组坚持“第一"] == "sixiang"
    assert by_start["该院制定党建工作"] == "zhidu"


def test_a_simplified_text_with_a_stray_traditional_character_is_not_converted(tmp_path):
    text = "近年来，该院坚持黨建引领，推动党建与业务深度融合，干警的政治素质和业务能力不断提升。\n" * 3
    assert to_simplified(text) is None
    f = tmp_path / "a.txt"
    f.write_text(text, encoding="utf-8")
    source = ingest([f]).sources[0]
    assert "黨建引领" in _passages(source)[0].text
    assert not [n for n in source.notices if n.code == "traditional"]


@pytest.mark.parametrize(
    "line, kept",
    [
        ("堅(jiān)持", "堅持"),
        ("戰鬥堡（bǎo）壘", "戰鬥堡壘"),
        ("开发了“检察（app）”", "开发了“检察（app）”"),  # Latin without tone marks stays
        ("附件(PDF)", "附件(PDF)"),
        ("支部(一)", "支部(一)"),
    ],
)
def test_pinyin_notes_go_and_other_brackets_stay(line, kept):
    assert PINYIN_NOTE.sub("", line) == kept


def test_a_paragraph_of_two_numbered_points_is_split_when_each_is_long_enough(tmp_path):
    # two points of ~45 characters each, with no lead-in before 一是
    text = (
        "一是把支部建在项目上。在重大专项工作中成立临时党支部，由业务骨干担任支部书记，党员亮身份当先锋。"
        "二是把党员放在岗位上。每名党员联系一个办案组，在急难险重任务中带头攻坚，发挥示范引领作用。\n"
    )
    f = tmp_path / "b.txt"
    f.write_text("某县检察院党建工作情况\n" + text, encoding="utf-8")
    starts = [p.text[:4] for p in _passages(ingest([f]).sources[0])]
    assert "一是把支" in starts and "二是把党" in starts
