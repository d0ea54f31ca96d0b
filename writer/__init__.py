"""writer：把中文素材整理成检察机关党建经验交流材料初稿。

The public API, imported lazily so that ``import writer`` stays light::

    from writer import make_draft, make_digest, map_sources, check_draft, init_folder
    from writer import ingest, load_outline, Corpus, Report, Document, WriterError

Stages (each a package; imports go downward only): ``text`` → ``model`` → ``config`` →
``sources`` → ``mapping`` → ``compose`` → ``render`` → ``check``; ``pipeline`` runs
them and ``cli`` is the command line over it.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "make_draft": "writer.pipeline",
    "make_digest": "writer.pipeline",
    "map_sources": "writer.pipeline",
    "check_draft": "writer.pipeline",
    "init_folder": "writer.pipeline",
    "ingest": "writer.sources.ingest",
    "load_outline": "writer.config.outline",
    "Corpus": "writer.model.corpus",
    "Source": "writer.model.corpus",
    "Article": "writer.model.corpus",
    "Passage": "writer.model.corpus",
    "Report": "writer.model.report",
    "Document": "writer.model.document",
    "WriterError": "writer.errors",
    "UsageError": "writer.errors",
    "ConfigError": "writer.errors",
    "InputError": "writer.errors",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'writer' has no attribute {name!r}")
