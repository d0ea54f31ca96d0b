"""Mapping: every passage scored against every outline section, explainably
(``scoring``).  May import ``writer.errors``, ``writer.text``, ``writer.model`` and
``writer.config``.
"""
