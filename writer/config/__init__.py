"""Configuration: every YAML or word list the tool reads, loaded through one layer
(``yamlfile``) that reports all errors at once with file, line and key path.

``outline`` (the meeting's outline and presets), ``style`` (house-style numbers),
``terms`` (standard wording), ``lexicon`` (domain terms, synonyms, stop words) and
``paths`` (the bundled data in ``writer/data``).  May import ``writer.errors`` and
``writer.text``.
"""
