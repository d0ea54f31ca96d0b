"""The domain lexicon: genre terms stay whole, variants map to canonical terms,
stop words and punctuation never reach the tokens."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from writer.errors import ConfigError
from writer.config.lexicon import LEXICON_DIR, load_lexicon, read_synonyms, read_userdict, tokenize
from writer.config.outline import find_preset, load_outline, preset_names

ROOT = Path(__file__).resolve().parent.parent

GENRE_TERMS = [
    "第一议题", "三会一课", "主题党日", "一岗双责", "支部建在办案组", "临时党支部", "四大检察",
    "十大业务", "公益诉讼", "政治轮训", "忠诚教育", "理想信念", "意识形态", "主体责任", "责任清单",
    "双融双促", "闭环管理", "廉政风险防控", "司法责任制", "案件质量评查", "党员先锋岗", "党员示范岗",
    "青年突击队", "传帮带", "导师制", "两个确立", "两个维护", "四个意识", "四个自信", "模范机关",
    "机关党委", "党总支", "党小组", "标准化规范化", "检察建议", "法律监督", "枫桥经验", "数字检察",
    "理论学习中心组", "文化润检", "党建业务融合",
]


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory, monkeypatch):
    # jieba's cache goes to the writer's cache folder; keep tests out of the user's.
    monkeypatch.setenv("WRITER_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "writer-cache"))


@pytest.mark.parametrize("term", GENRE_TERMS)
def test_genre_term_is_one_token(term):
    assert tokenize(term) == [term]


def test_genre_terms_stay_whole_inside_sentences():
    text = "我院坚持支部建在办案组，成立临时党支部，落实“一岗双责”和责任清单，常态化开展主题党日。"
    tokens = tokenize(text)
    for term in ("支部建在办案组", "临时党支部", "一岗双责", "责任清单", "主题党日"):
        assert term in tokens


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
    tokens = tokenize(f"深入推进{variant}取得实效")
    assert canonical in tokens
    assert variant not in tokens


def test_stop_words_and_punctuation_never_appear(seeds_dir):
    lexicon = load_lexicon()
    for path in sorted(seeds_dir.glob("*.txt")):
        tokens = tokenize(path.read_text(encoding="utf-8"))
        assert tokens
        leaked = set(tokens) & lexicon.stopwords
        assert not leaked, f"{path.name}: {sorted(leaked)[:5]}"
        assert not [t for t in tokens if re.fullmatch(r"[\W_]+", t)], path.name
        assert all(t == t.strip() and t for t in tokens)


def test_full_width_digits_are_folded():
    tokens = tokenize("办理案件１２３件")
    assert "123" in tokens and "１２３" not in tokens


def test_every_preset_keyword_is_its_own_canonical_token():
    """Outline keywords must be matchable: one token, canonical, not a stop word."""
    lexicon = load_lexicon()
    problems = []
    for name in preset_names():
        outline = load_outline(find_preset(name))
        for section in outline.iter_sections():
            for term, _weight in section.keywords:
                if tokenize(term) != [term] or lexicon.canonical(term) != term:
                    problems.append(f"{name}/{section.id}/{term} → {tokenize(term)}")
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


def test_jieba_cache_lives_in_the_writer_cache_folder(tmp_path):
    cache = tmp_path / "cache"
    code = "from writer.config.lexicon import tokenize; print(tokenize('第一议题'))"
    env = {**__import__("os").environ, "WRITER_CACHE_DIR": str(cache)}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['第一议题']"
    assert done.stderr == ""  # jieba's progress log is silenced
    assert [p.name for p in cache.iterdir()] and all(p.name.startswith("jieba-") for p in cache.iterdir())


def test_importing_the_lexicon_does_not_import_jieba():
    code = "import sys, writer.config.lexicon; print('jieba' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False"
