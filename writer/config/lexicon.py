"""The domain lexicon: three editable files in ``config/lexicon/``.

- ``userdict.txt``: dictionary lines ``词 词频 词性`` (frequency and tag optional),
  the genre's terms (第一议题, 支部建在办案组, 一岗双责 …);
- ``synonyms.yaml``: ``规范词: [变体, …]``; an outline keyword written once as the
  canonical term matches every variant;
- ``stopwords.txt``: one word a line (function words and the genre's empty verbs:
  开展, 推动, 进一步 …).

``read_userdict`` and ``read_synonyms`` check their files (every problem at once,
with its line; the YAML goes through ``writer.config.yamlfile``).  The mapper reads
the bundled files through ``synonym_forms`` (canonical → variants) and
``domain_terms`` (the dictionary's terms, longest first).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml

from writer.config import yamlfile
from writer.config.paths import CONFIG_DIR
from writer.errors import ConfigError

LEXICON_DIR = CONFIG_DIR / "lexicon"

_USERDICT_LINE = re.compile(r"^(?P<word>\S+)(?: (?P<freq>\d+))?(?: (?P<tag>[a-z]+))?$")


@dataclass(frozen=True)
class DictionaryWord:
    """One user-dictionary entry."""

    word: str
    freq: int | None
    tag: str | None
    line: int


@dataclass(frozen=True)
class Lexicon:
    """The loaded lexicon files."""

    directory: Path
    terms: tuple[DictionaryWord, ...]
    synonyms: Mapping[str, str]  # variant → canonical
    stopwords: frozenset[str]

    def canonical(self, word: str) -> str:
        """The canonical form of ``word`` (itself if it is no variant)."""
        return self.synonyms.get(word, word)


# ---------------------------------------------------------------- files


def read_userdict(path: Path) -> tuple[DictionaryWord, ...]:
    """Parse the user dictionary; every bad or duplicate line is an error."""
    problems: list[str] = []
    terms: list[DictionaryWord] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(_read_lines(path), 1):
        line = raw.strip()
        if not line:
            continue
        match = _USERDICT_LINE.match(line)
        if not match:
            problems.append(
                f'{path} 第{number}行：应为“词 词频 词性”（以空格分隔，词频为整数、词性为小写字母），现在是 "{line}"'
            )
            continue
        word = match["word"]
        if word in seen:
            problems.append(f"{path} 第{number}行：词“{word}”重复（第{seen[word]}行已有）；请删去一行")
            continue
        seen[word] = number
        freq = int(match["freq"]) if match["freq"] else None
        terms.append(DictionaryWord(word, freq, match["tag"], number))
    if problems:
        raise ConfigError(f"用户词典有 {len(problems)} 处错误：{path}", problems=problems)
    return tuple(terms)


def read_synonym_table(path: Path) -> list[tuple[str, tuple[str, ...], int]]:
    """``synonyms.yaml`` as (canonical, variants, line) in file order, keys and
    variants as text exactly as written (an int key such as ``12309`` becomes "12309").
    The file must be a mapping whose values are lists of text; else ConfigError."""
    document = yamlfile.load(path, what="同义词表")
    checker = yamlfile.Checker(str(path))
    root = document.root
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        checker.problem(root, "", f"应为“规范词: [变体, …]”的映射，现在是{checker.describe(root)}")
        checker.raise_if_any(f"同义词表有 {{n}} 处错误：{path}")
    table = []
    for key_node, value_node in root.value:
        canonical = str(yamlfile.construct(key_node))
        variants = yamlfile.construct(value_node)
        if not isinstance(variants, list) or not all(isinstance(v, (str, int)) for v in variants):
            checker.problem(key_node, canonical.strip(), "变体应为文字列表，如 [变体一, 变体二]")
            continue
        table.append((canonical, tuple(str(v) for v in variants), yamlfile.line_of(key_node)))
    checker.raise_if_any(f"同义词表有 {{n}} 处错误：{path}")
    return table


def read_synonyms(path: Path) -> dict[str, str]:
    """Parse ``规范词: [变体, …]`` into variant → canonical, checking that no
    variant belongs to two canonicals and no canonical is also a variant."""
    checker = yamlfile.Checker(str(path))
    mapping: dict[str, str] = {}
    lines: dict[str, int] = {}
    for canonical, variants, line in read_synonym_table(path):
        canonical = canonical.strip()
        lines.setdefault(canonical, line)
        for variant in (v.strip() for v in variants):
            if variant == canonical or not variant:
                continue
            if variant in mapping and mapping[variant] != canonical:
                checker.problem(line, canonical, f"变体“{variant}”已属于“{mapping[variant]}”；一个变体只能有一个规范词")
            mapping[variant] = canonical
    for canonical in dict.fromkeys(mapping.values()):
        if canonical in mapping:
            checker.problem(
                lines.get(canonical, 1), canonical, f"规范词“{canonical}”又是“{mapping[canonical]}”的变体；请只保留一处"
            )
    checker.raise_if_any(f"同义词表有 {{n}} 处错误：{path}")
    return mapping


def read_stopwords(path: Path) -> frozenset[str]:
    """One stop word a line; blank lines and ``#`` comments are ignored."""
    return frozenset(w for w in (line.strip() for line in _read_lines(path)) if w and not w.startswith("#"))


def _read_lines(path: Path) -> list[str]:
    return yamlfile.read_text(path, what="词表文件").splitlines()


@cache
def load_lexicon(directory: Path | None = None) -> Lexicon:
    """Read the three lexicon files of ``directory`` (default ``config/lexicon``); cached."""
    directory = Path(directory) if directory else LEXICON_DIR
    return Lexicon(
        directory=directory,
        terms=read_userdict(directory / "userdict.txt"),
        synonyms=read_synonyms(directory / "synonyms.yaml"),
        stopwords=read_stopwords(directory / "stopwords.txt"),
    )


# ---------------------------------------------------------------- for the mapper


@lru_cache(maxsize=1)
def synonym_forms() -> dict[str, tuple[str, ...]]:
    """canonical → variants, from the bundled synonyms.yaml (empty if absent).

    Checked like ``read_synonyms`` (a bad table is a ConfigError, not a crash);
    keys and variants as written, in file order."""
    path = LEXICON_DIR / "synonyms.yaml"
    if not path.exists():
        return {}
    read_synonyms(path)  # the checks: one canonical per variant
    return {canonical: variants for canonical, variants, _line in read_synonym_table(path)}


@lru_cache(maxsize=1)
def domain_terms() -> tuple[str, ...]:
    """Domain terms of the bundled user dictionary (for reading section descriptions):
    words of two or more characters, longest first, ties in text order (a set's
    order changes with each run's hash seed, and the order decides which
    description terms are taken)."""
    path = LEXICON_DIR / "userdict.txt"
    if not path.exists():
        return ()
    words = {t.word for t in read_userdict(path) if len(t.word) >= 2 and not t.word.startswith("#")}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=1)
def mechanism_topics() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """(section core words, topic words) from the bundled ``mechanism_topics.yaml``:
    a mechanism named after a topic word ("融学习"机制, 支部联审机制) counts for the
    section whose title's core word is one of the core words.  Empty if absent."""
    path = LEXICON_DIR / "mechanism_topics.yaml"
    if not path.exists():
        return ()
    return tuple(
        (tuple(c for c in key.split("、") if c), tuple(words)) for key, words, _line in read_synonym_table(path)
    )
