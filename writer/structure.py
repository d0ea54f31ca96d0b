"""STUB: file text → Source with articles and passages (being implemented)."""

from __future__ import annotations

import hashlib
import re

from writer.model import BODY, Article, Location, Passage, Source
from writer.reading import RawDocument


def parse_document(raw: RawDocument) -> Source:
    passages = []
    offset = 0
    for n, line in enumerate(raw.text.split("\n"), 1):
        t = line.strip()
        if t:
            pid = "p" + hashlib.sha1(t.encode()).hexdigest()[:10]
            sents = tuple(s for s in re.findall(r"[^。！？]+[。！？]?", t) if s)
            passages.append(Passage(pid, BODY, t, sents, None, "", (), Location(raw.path, n, n, offset, offset + len(line))))
        offset += len(line) + 1
    loc = Location(raw.path, 1, raw.text.count("\n") + 1, 0, len(raw.text))
    art = Article(f"{raw.path}#1", None, None, None, (), (), tuple(passages), loc)
    return Source(raw.path, raw.format, raw.encoding, raw.sha256, (art,), (), ())
