"""Where the project's bundled folders live (config/, templates/, seeds/)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = ROOT / "config"
TEMPLATES_DIR = ROOT / "templates"
SEEDS_DIR = ROOT / "seeds"
