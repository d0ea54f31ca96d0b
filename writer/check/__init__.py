"""``writer check``: read an edited draft back (``draft_reading``), check its content
against the sources (``content``) and its look against the house style
(``house_style``); every finding is a record (``findings``).  May import every layer
below it (sources for re-reading, render for the sidecar format).
"""
