"""The domain lexicon and the tokenizer built on it.

Three editable files in ``config/lexicon/``:

- ``userdict.txt``: jieba user-dictionary lines ``词 词频 词性`` (frequency and
  tag optional), so that genre terms (第一议题, 支部建在办案组, 一岗双责 …) stay
  one token instead of being cut into pieces;
- ``synonyms.yaml``: ``规范词: [变体, …]``; after cutting, each variant becomes
  its canonical term, so an outline keyword written once matches every wording;
- ``stopwords.txt``: one word a line, dropped from the tokens (function words and
  the genre's empty verbs: 开展, 推动, 进一步 …).

``tokenize(text)`` cuts with jieba plus these files and returns the content
tokens.  jieba is imported inside the functions that need it (start-up must stay
light), its log output is silenced (library code never prints), and its prefix
dictionary cache lives in the writer's own cache folder (``$WRITER_CACHE_DIR``,
else ``$XDG_CACHE_HOME/writer``, else ``~/.cache/writer``) rather than /tmp.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from writer.errors import ConfigError
from writer.config.paths import CONFIG_DIR

LEXICON_DIR = CONFIG_DIR / "lexicon"

# Frequency given to synonym terms that the user dictionary does not list: high
# enough that a term of several characters wins over its pieces.
DEFAULT_TERM_FREQ = 3000

_USERDICT_LINE = re.compile(r"^(?P<word>\S+)(?: (?P<freq>\d+))?(?: (?P<tag>[a-z]+))?$")


@dataclass(frozen=True)
class Term:
    """One user-dictionary entry."""

    word: str
    freq: int | None
    tag: str | None
    line: int


@dataclass(frozen=True)
class Lexicon:
    """The loaded lexicon files (no jieba state: that lives in ``_tokenizer``)."""

    directory: Path
    terms: tuple[Term, ...]
    synonyms: Mapping[str, str]  # variant → canonical
    stopwords: frozenset[str]

    def canonical(self, word: str) -> str:
        """The canonical form of ``word`` (itself if it is no variant)."""
        return self.synonyms.get(word, word)

    def words(self) -> set[str]:
        """Every word the tokenizer must keep whole: dictionary terms, canonicals, variants."""
        return {t.word for t in self.terms} | set(self.synonyms) | set(self.synonyms.values())


# ---------------------------------------------------------------- files


def read_userdict(path: Path) -> tuple[Term, ...]:
    """Parse a jieba user dictionary; every bad or duplicate line is an error."""
    problems: list[str] = []
    terms: list[Term] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(_read_lines(path), 1):
        line = raw.strip()
        if not line:
            continue
        match = _USERDICT_LINE.match(line)
        if not match:
            problems.append(f"{path} 第{number}行：应为“词 词频 词性”（以空格分隔，词频为整数、词性为小写字母），现在是 \"{line}\"")
            continue
        word = match["word"]
        if word in seen:
            problems.append(f"{path} 第{number}行：词“{word}”重复（第{seen[word]}行已有）；请删去一行")
            continue
        seen[word] = number
        freq = int(match["freq"]) if match["freq"] else None
        terms.append(Term(word, freq, match["tag"], number))
    if problems:
        raise ConfigError(f"用户词典有 {len(problems)} 处错误：{path}", problems=problems)
    return tuple(terms)


def read_synonyms(path: Path) -> dict[str, str]:
    """Parse ``规范词: [变体, …]`` into variant → canonical, checking that no
    variant belongs to two canonicals and no canonical is also a variant."""
    import yaml

    text = "\n".join(_read_lines(path))
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" 第{mark.line + 1}行" if mark else ""
        raise ConfigError(f"{path}{line}：YAML 格式错误；请检查缩进和冒号") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}：应为“规范词: [变体, …]”的映射")
    problems: list[str] = []
    mapping: dict[str, str] = {}
    for canonical, variants in data.items():
        canonical = str(canonical).strip()
        if not isinstance(variants, list) or not all(isinstance(v, (str, int)) for v in variants):
            problems.append(f"{path} {canonical}：变体应为文字列表，如 [变体一, 变体二]")
            continue
        for variant in (str(v).strip() for v in variants):
            if variant == canonical or not variant:
                continue
            if variant in mapping and mapping[variant] != canonical:
                problems.append(f"{path} {canonical}：变体“{variant}”已属于“{mapping[variant]}”；一个变体只能有一个规范词")
            mapping[variant] = canonical
    for variant, canonical in mapping.items():
        if canonical in mapping:
            problems.append(f"{path} {canonical}：规范词“{canonical}”又是“{mapping[canonical]}”的变体；请只保留一处")
    if problems:
        raise ConfigError(f"同义词表有 {len(problems)} 处错误：{path}", problems=problems)
    return mapping


def read_stopwords(path: Path) -> frozenset[str]:
    """One stop word a line; blank lines and ``#`` comments are ignored."""
    return frozenset(w for w in (line.strip() for line in _read_lines(path)) if w and not w.startswith("#"))


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise ConfigError(f"找不到词表文件：{path}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"词表文件 {path} 不是 UTF-8 文本；请用 UTF-8 编码另存") from None


@lru_cache(maxsize=None)
def load_lexicon(directory: Path | None = None) -> Lexicon:
    """Read the three lexicon files of ``directory`` (default ``config/lexicon``); cached."""
    directory = Path(directory) if directory else LEXICON_DIR
    return Lexicon(
        directory=directory,
        terms=read_userdict(directory / "userdict.txt"),
        synonyms=read_synonyms(directory / "synonyms.yaml"),
        stopwords=read_stopwords(directory / "stopwords.txt"),
    )


# ---------------------------------------------------------------- jieba


def cache_dir() -> Path:
    """The writer's own cache folder (jieba's prefix dictionary is kept there)."""
    if os.environ.get("WRITER_CACHE_DIR"):
        return Path(os.environ["WRITER_CACHE_DIR"]).expanduser()
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]).expanduser() / "writer"
    return Path.home() / ".cache" / "writer"


_TOKENIZERS: dict[Path, Any] = {}


def _tokenizer(lexicon: Lexicon) -> Any:
    """A private jieba.Tokenizer with the lexicon's words (one per lexicon folder).

    Private rather than jieba's global ``jieba.dt`` so that other users of jieba in
    the same process are not affected by our dictionary."""
    tokenizer = _TOKENIZERS.get(lexicon.directory)
    if tokenizer is not None:
        return tokenizer
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # jieba logs its progress to stderr at DEBUG
    tokenizer = jieba.Tokenizer()
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        writable = os.access(folder, os.W_OK)
    except OSError:
        writable = False
    # An unwritable cache folder must not break tokenizing: fall back to the
    # system temp folder rather than fail (jieba would log an error and go on).
    tokenizer.tmp_dir = str(folder) if writable else tempfile.gettempdir()
    # Versioned name: a jieba upgrade with a new dictionary must not read an old cache.
    tokenizer.cache_file = f"jieba-{jieba.__version__}.cache"
    tokenizer.initialize()
    for term in lexicon.terms:
        tokenizer.add_word(term.word, term.freq or DEFAULT_TERM_FREQ, term.tag)
    listed = {t.word for t in lexicon.terms}
    for word in sorted(set(lexicon.synonyms) | set(lexicon.synonyms.values())):
        if word not in listed:
            tokenizer.add_word(word, DEFAULT_TERM_FREQ)
    _TOKENIZERS[lexicon.directory] = tokenizer
    return tokenizer


def _is_noise(token: str) -> bool:
    """Whitespace, punctuation and symbols carry no meaning for matching."""
    return all(unicodedata.category(ch)[0] in "PSZC" for ch in token)


def tokenize(text: str, lexicon: Lexicon | None = None, *, hmm: bool = True) -> list[str]:
    """Content tokens of ``text``: genre terms kept whole, variants mapped to their
    canonical term, stop words, punctuation and whitespace removed.

    ``hmm`` lets jieba guess words missing from its dictionaries (names, brands)."""
    lexicon = lexicon or load_lexicon()
    tokenizer = _tokenizer(lexicon)
    # NFKC folds full-width letters and digits (１２３０９ → 12309) the way web copies mix them.
    text = unicodedata.normalize("NFKC", text)
    tokens = []
    for token in tokenizer.cut(text, HMM=hmm):
        token = token.strip()
        if not token or _is_noise(token):
            continue
        token = lexicon.canonical(token)
        if token in lexicon.stopwords:
            continue
        tokens.append(token)
    return tokens
