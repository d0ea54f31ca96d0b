"""`writer init`: a ready-to-edit writing folder."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from writer.errors import UsageError


def init_folder(folder: Path, *, preset: str = "三个引领", with_templates: bool = False, force: bool = False) -> list[Path]:
    """Create folder/outline.yaml (the preset, with its comments), folder/sources/,
    optionally folder/templates/ (a copy of the bundled draft templates)."""
    from writer.outline import find_preset
    from writer.paths import TEMPLATES_DIR

    preset_file = find_preset(preset)  # ConfigError for an unknown preset
    outline = folder / "outline.yaml"
    if outline.exists() and not force:
        raise UsageError(f"{outline} 已存在，未改动。要重新生成请加 --force，或换一个文件夹。")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} 是一个文件，不是文件夹。请换一个名字。")
    created: list[Path] = []
    folder.mkdir(parents=True, exist_ok=True)
    sources = folder / "sources"
    if not sources.exists():
        sources.mkdir()
        created.append(sources)
    text = preset_file.read_text(encoding="utf-8")
    # the folder's own sources/ (and templates/) instead of the commented examples
    text = re.sub(r"(?m)^# sources:\n(?:#   .*\n)*", "sources:\n  - sources\n", text, count=1)
    if "\nsources:" not in text:
        text += "\nsources:\n  - sources\n"
    if with_templates:
        dest = folder / "templates"
        if not dest.exists():
            shutil.copytree(TEMPLATES_DIR / "draft", dest)
            created.append(dest)
        text = re.sub(r"(?m)^# templates: .*$", "templates: templates", text, count=1)
        if "\ntemplates: templates" not in text:
            text += "templates: templates\n"
    from writer.output import atomic_write

    atomic_write(outline, text, overwrite=force)
    created.insert(0, outline)
    return created
