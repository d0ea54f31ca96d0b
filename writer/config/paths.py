"""Where the bundled data lives: config (outline presets, style, terms, lexicon) and
templates ship inside the package (``writer/data/``), so a plain ``pip install`` or
pipx install finds them.  The repository's top-level ``config/`` and ``templates/``
are links to these folders, for reading and editing in a checkout; a working folder
gets its own editable copy from ``writer init --templates``.

``SEEDS_DIR`` is the checkout's sample sources (absent from an installed wheel).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

DATA_DIR = Path(str(files("writer") / "data"))
CONFIG_DIR = DATA_DIR / "config"
TEMPLATES_DIR = DATA_DIR / "templates"
SEEDS_DIR = Path(__file__).resolve().parent.parent.parent / "seeds"
