"""From files to a Corpus: ``reading`` (find files, detect encodings, extract text),
``cleaning`` (named cleaning rules that keep provenance), ``structure`` (articles,
units, headings, passages, sentences, in named phases), ``ingest`` (the pipeline,
planning which files to read) and ``cache`` (parsed sources kept in SQLite).
May import ``writer.errors``, ``writer.text``, ``writer.model`` and ``writer.config``.
"""
