"""Output files: atomic, never over a user's file unless asked, safe names."""

from __future__ import annotations

import pytest

from writer.errors import UsageError
from writer.render.output import atomic_write, safe_filename


def test_atomic_write_writes_bytes_and_utf8_text_creating_folders(tmp_path):
    target = tmp_path / "新建" / "初稿.md"
    assert atomic_write(target, "一、思想引领\n") == target
    assert target.read_bytes() == "一、思想引领\n".encode()
    atomic_write(tmp_path / "a.docx", b"PK\x03\x04")
    assert (tmp_path / "a.docx").read_bytes() == b"PK\x03\x04"
    assert [p.name for p in (tmp_path / "新建").iterdir()] == ["初稿.md"]  # no temp file left


def test_existing_file_is_not_overwritten_unless_asked(tmp_path):
    target = tmp_path / "初稿.docx"
    target.write_bytes(b"user's edits")
    with pytest.raises(UsageError, match="已存在"):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"user's edits"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["初稿.docx"]
    atomic_write(target, b"new", overwrite=True)
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["初稿.docx"]


def test_safe_filename_removes_forbidden_characters_and_keeps_chinese_quotes():
    assert safe_filename('以"党建+"促发展: 经验/做法?') == "以党建+促发展 经验做法"
    assert (
        safe_filename("发挥“三个引领”作用 以高质量党建促进检察高质量发展")
        == "发挥“三个引领”作用 以高质量党建促进检察高质量发展"
    )
    assert safe_filename("  标题\n第二行\t ") == "标题 第二行"


def test_safe_filename_shortens_and_never_returns_an_unusable_name():
    assert len(safe_filename("党建" * 100)) == 60
    assert safe_filename("???") == "未命名材料"
    assert safe_filename("...") == "未命名材料"
    assert safe_filename("CON") == "_CON"
