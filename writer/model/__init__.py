"""The models passed between stages, all frozen dataclasses with provenance.

``corpus`` (Corpus → Source → Article → Passage: what extraction produces),
``report`` (what composition produces: sections of items with their SourceRefs)
and ``document`` (the laid-out blocks every writer reads).  Pure data: may import
only ``writer.errors`` and ``writer.text``.
"""
