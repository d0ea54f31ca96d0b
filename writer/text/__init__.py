"""Small text helpers shared by every stage: text that remembers its origin
(``traced``), Chinese numerals (``numerals``), enumerators such as 一、/（一）/一是
(``enumerators``), CJK punctuation, widths and URLs (``punctuation``) and figures
with their measure words (``figures``).  The lowest layer: it may import only
``writer.errors``.
"""
