"""Composition: from a mapped corpus to a format-free model — the unit's own report
(``draft``), the editor's compilation (``digest``) and the highlights sheet
(``highlights``); ``units`` decides which articles belong to which unit.  May import
the layers below it: errors, text, model, config, sources, mapping.
"""
