"""The domain lexicon files: genre terms listed once, variants map to canonical
terms, outline keywords are canonical, bad lines and tables are errors with lines."""

from __future__ import annotations

import re

import pytest

from writer.config.lexicon import LEXICON_DIR, load_lexicon, read_synonyms, read_userdict
from writer.config.outline import find_preset, load_outline, preset_names
from writer.errors import ConfigError

GENRE_TERMS = [
    "第一议题",
    "三会一课",
    "主题党日",
    "一岗双责",
    "支部建在办案组",
    "临时党支部",
    "四大检察",
    "十大业务",
    "公益诉讼",
    "政治轮训",
    "忠诚教育",
    "理想信念",
    "意识形态",
    "主体责任",
    "责任清单",
    "双融双促",
    "闭环管理",
    "廉政风险防控",
    "司法责任制",
    "案件质量评查",
    "党员先锋岗",
    "党员示范岗",
    "青年突击队",
    "传帮带",
    "导师制",
    "两个确立",
    "两个维护",
    "四个意识",
    "四个自信",
    "模范机关",
    "机关党委",
    "党总支",
    "党小组",
    "标准化规范化",
    "检察建议",
    "法律监督",
    "枫桥经验",
    "数字检察",
    "理论学习中心组",
    "文化润检",
    "党建业务融合",
]


@pytest.mark.parametrize(
    "variant,canonical",
    [
        ("党组中心组学习", "理论学习中心组"),
        ("党组理论学习中心组", "理论学习中心组"),
        ("党建和业务深度融合", "党建业务融合"),
        ("党建与检察业务深度融合", "党建业务融合"),
        ("共产党员先锋岗", "党员先锋岗"),
        ("新时代枫桥经验", "枫桥经验"),
        ("年轻干警", "青年干警"),
        ("检委会", "检察委员会"),
    ],
)
def test_variants_map_to_their_canonical_term(variant, canonical):
    assert load_lexicon().canonical(variant) == canonical


def test_every_preset_keyword_is_its_own_canonical_token():
    """Outline keywords must be canonical terms, so that their variants match too."""
    lexicon = load_lexicon()
    problems = []
    for name in preset_names():
        outline = load_outline(find_preset(name))
        for section in outline.iter_sections():
            for term, _weight in section.keywords:
                if lexicon.canonical(term) != term:
                    problems.append(f"{name}/{section.id}/{term} → {lexicon.canonical(term)}")
    assert not problems


def test_user_dictionary_lines_are_valid_and_unique():
    lines = (LEXICON_DIR / "userdict.txt").read_text(encoding="utf-8").splitlines()
    words = []
    for line in lines:
        assert re.fullmatch(r"\S+ \d+ [a-z]+", line), line  # strict jieba format, no comments
        words.append(line.split()[0])
    assert len(words) == len(set(words))
    assert len(words) >= 300
    # every listed genre term is in the dictionary or a canonical term of the synonym table
    assert set(GENRE_TERMS) <= set(words) | set(load_lexicon().synonyms.values())


def test_user_dictionary_errors_name_file_and_line(tmp_path):
    path = tmp_path / "userdict.txt"
    path.write_text("第一议题 3000 nz\n坏 行 有 空格\n第一议题 10 nz\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        read_userdict(path)
    assert len(info.value.problems) == 2
    assert "第2行" in info.value.problems[0]
    assert "第3行" in info.value.problems[1] and "重复" in info.value.problems[1]


def test_synonym_table_rejects_ambiguous_variants(tmp_path):
    path = tmp_path / "synonyms.yaml"
    path.write_text("甲: [乙, 丙]\n丁: [乙]\n丙: [戊]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        read_synonyms(path)
    text = "\n".join(info.value.problems)
    assert "“乙”已属于“甲”" in text
    assert "规范词“丙”又是“甲”的变体" in text


def test_synonyms_and_stopwords_do_not_overlap():
    lexicon = load_lexicon()
    assert not (set(lexicon.synonyms.values()) & lexicon.stopwords)
    assert not (set(lexicon.synonyms) & lexicon.stopwords)
