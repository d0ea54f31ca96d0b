"""What other stages read of the structure stage without importing it (``structure``
compiles its many patterns at import, which a warm run that only reads the cache skips).

Bump SCHEMA whenever reading, cleaning or structuring would give a different Source for
the same bytes: the corpus cache (``writer.sources.cache``) keys rows on it.
"""

from __future__ import annotations

import re

SCHEMA = 4  # 4: traditional script read as simplified, pinyin notes dropped, news leads, titles opening with their unit; 3: broken headings rejoined, introductions and closings after a summary; 2: tracked changes, long boilerplate lines, mixed encodings, .pdf and office formats

# a paragraph opening on a date or a period states results ("今年，该院办理……")
RESULTS_RE = re.compile(r"^(?:今年|目前|截至|截止|至今|全年|一年来|近三年|近五年|\d{4}年)")
