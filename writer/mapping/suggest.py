"""Keyword suggestions for a new outline section (``writer outline suggest``).

Given a section title (and an optional description) and the sources:
  1. the title's and description's own words (jieba with the domain user
     dictionary, stopwords dropped) are the seed words;
  2. passages containing a seed word (or one of its lexicon synonyms) lean to the
     section;
  3. words of those passages are ranked by TF-IDF: how many leaning passages
     carry the word, against how common it is in all passages;
  4. variants merge into their lexicon canonical form (so the outline's keyword
     is the form the mapper expands to every synonym).
Each suggestion carries its evidence: the number of leaning passages that hold it.
jieba is imported inside the function (its start-up costs a second).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from writer.config.lexicon import LEXICON_DIR, domain_terms, load_lexicon, synonym_forms
from writer.errors import InputError
from writer.model.corpus import Corpus

MAX_SUGGESTIONS = 12
MAX_LEANING = 40  # passages that lean most to the section
GENERIC = re.compile(
    r"^(?:工作|建设|推进|加强|坚持|推动|开展|全面|进一步|不断|持续|积极|深入|各项|相关|有关|主要|方面|作用|引领|体系"
    r"|发挥|做到|建立|构建|创新|实现|围绕|提升|强化|打造|形成|基层|检察|检察院|检察工作|检察机关|党建|我院|该院|全院)$"
)
DOMAIN_BOOST = 1.5  # words of the domain dictionary or the synonym table


@dataclass(frozen=True)
class KeywordSuggestion:
    word: str  # canonical form
    weight: float  # 1–3, ready for the outline
    evidence: int  # leaning passages that contain it (any form)
    variants: tuple[str, ...]  # lexicon synonyms the mapper will also match
    from_title: bool  # the word came from the title or description


@dataclass(frozen=True)
class Suggestion:
    title: str
    description: str
    leaning: int  # passages that lean to the section
    total: int  # passages read
    keywords: tuple[KeywordSuggestion, ...]

    def to_yaml(self) -> str:
        """A section block ready to paste under ``sections:`` of an outline."""
        lines = [
            f"# writer outline suggest：依据 {self.total} 个段落中与“{self.title}”相关的 {self.leaning} 个；",
            "# 行尾注释是证据：相关段落中含该词（含同义说法）的段落数。权重 1–3，可自行调整。",
        ]
        if not self.leaning:
            lines.append("# 素材中没有与标题或说明相关的段落：下列关键词只取自标题和说明，请补充。")
        lines += ["  - id: 请填写编号", f"    title: {_scalar(self.title)}"]
        if self.description:
            lines.append(f"    description: {_scalar(self.description)}")
        lines.append("    keywords:")
        for k in self.keywords:
            note = f"{k.evidence} 段"
            if k.variants:
                note += "；同义：" + "、".join(k.variants[:4])
            lines.append(f"      {_scalar(k.word)}: {k.weight:g}  # {note}")
        return "\n".join(lines) + "\n"


def _scalar(text: str) -> str:
    """A YAML plain scalar when safe, else double-quoted."""
    if re.search(r"[:#\[\]{}&*!|>'\"%@`,]|^[-?\s]|\s$", text):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def _tokenizer():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # library code stays quiet
    tok = jieba.Tokenizer()
    userdict = LEXICON_DIR / "userdict.txt"
    if userdict.exists():
        tok.load_userdict(str(userdict))
    for canonical, variants in synonym_forms().items():
        for w in (canonical, *variants):
            tok.add_word(w)
    return tok


def _words(tok, text: str, stop: frozenset[str]) -> list[str]:
    out = []
    for w in tok.lcut(text):
        w = w.strip()
        if len(w) < 2 or w in stop or GENERIC.match(w):
            continue
        if not re.search(r"[\u4e00-\u9fff]", w) or re.search(r"\d", w):
            continue
        out.append(w)
    return out


def suggest_keywords(corpus: Corpus, title: str, description: str = "") -> Suggestion:
    """Weighted keywords for a section titled ``title``, with their evidence."""
    passages = corpus.passages()
    if not passages:
        raise InputError("素材中没有可用的段落，无法建议关键词。请放入经验材料、新闻稿等素材再运行。")
    lexicon = load_lexicon()
    stop = lexicon.stopwords
    tok = _tokenizer()
    canon = lexicon.canonical
    seeds = {canon(w) for w in _words(tok, f"{title} {description}", stop)}
    forms = synonym_forms()

    def forms_of(w: str) -> tuple[str, ...]:
        return (w, *forms.get(w, ()))

    docs = [{canon(w) for w in _words(tok, p.text, stop)} for p in passages]
    # passages that lean to the section: the most seed words (any form) first
    hits = [sum(1 for s in seeds if any(f in p.text for f in forms_of(s))) for p in passages]
    leaning = sorted((i for i, h in enumerate(hits) if h), key=lambda i: (-hits[i], i))[:MAX_LEANING]
    n = len(passages)
    df_all: dict[str, int] = {}
    for d in docs:
        for w in d:
            df_all[w] = df_all.get(w, 0) + 1
    df_lean: dict[str, int] = {}
    for i in leaning:
        for w in docs[i]:
            df_lean[w] = df_lean.get(w, 0) + 1
    domain = set(domain_terms()) | set(forms)
    scored = {
        w: c * math.log((n + 1) / (df_all.get(w, 0) + 0.5)) ** 2 * (DOMAIN_BOOST if w in domain else 1.0)
        for w, c in df_lean.items()
        if c >= 2 or w in seeds
    }
    for s in seeds:  # the title's own words always come first
        scored[s] = max(scored.get(s, 0.0), max(scored.values(), default=1.0) + 1)
    ranked = sorted(scored, key=lambda w: (-scored[w], w))[:MAX_SUGGESTIONS]
    top = max((scored[w] for w in ranked), default=1.0) or 1.0
    out = []
    for w in ranked:
        weight = 3.0 if w in seeds else max(1.0, round(1 + 2 * scored[w] / top * 2) / 2)
        evidence = sum(1 for i in leaning if any(f in passages[i].text for f in forms_of(w)))
        out.append(KeywordSuggestion(w, min(weight, 3.0), evidence, tuple(forms.get(w, ())), w in seeds))
    return Suggestion(title, description, len(leaning), n, tuple(out))
