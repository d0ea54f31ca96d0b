"""Chinese all the way: typer/click's parser errors, usage lines and help, with no
English left, no type placeholders, and help that wraps instead of being cut."""

from __future__ import annotations

import re

import pytest

from writer.cli.app import app
from writer.cli.i18n import translate_message

ENGLISH = re.compile(
    r"No such command|Did you mean|No such option|Possible options|Invalid value|is not a valid|Missing argument"
    r"|Missing option|requires an argument|Usage:|\[OPTIONS\]|COMMAND \[ARGS\]|unexpected extra|Try '"
)


def run(runner, *args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "80", "TERMINAL_WIDTH": "80"})


def flat(text: str) -> str:
    """The output without the panel's frame and line breaks (rich wraps at 80 columns)."""
    return re.sub(r"[│╭╮╰╯─\s]+", "", text)


def test_unknown_command_is_chinese_with_a_suggestion(runner):
    result = run(runner, "draf")
    assert result.exit_code == 2
    assert "没有这个命令：'draf'。您是不是要用'draft'？" in flat(result.output)
    assert not ENGLISH.search(result.output), result.output


def test_unknown_subcommand_of_a_group_is_chinese(runner):
    result = run(runner, "outline", "chek")
    assert result.exit_code == 2
    assert "没有这个命令：'chek'" in flat(result.output) and "'check'" in result.output
    assert not ENGLISH.search(result.output), result.output


def test_unknown_command_without_a_close_match_points_to_help(runner):
    result = run(runner, "zzzz")
    assert result.exit_code == 2
    assert "没有这个命令：'zzzz'。可运行writer--help查看全部命令。" in flat(result.output)


def test_unknown_option_is_chinese_with_a_suggestion(runner):
    result = run(runner, "draft", "--hightlights")
    assert result.exit_code == 2
    assert "没有这个选项：--hightlights（您是不是要用--highlights？）" in flat(result.output)
    assert not ENGLISH.search(result.output), result.output


def test_invalid_value_is_chinese(runner):
    result = run(runner, "digest", "--chars", "abc")
    assert result.exit_code == 2
    assert "'--chars'的值无效：'abc'不是有效的整数。" in flat(result.output)
    assert not ENGLISH.search(result.output), result.output


def test_missing_argument_is_chinese_and_named_in_chinese(runner):
    result = run(runner, "check")
    assert result.exit_code == 2
    assert "缺少参数'稿件'。" in flat(result.output)
    assert not ENGLISH.search(result.output), result.output


def test_option_without_its_value_is_chinese(runner):
    result = run(runner, "draft", "--out")
    assert result.exit_code == 2
    assert "选项'--out'后面要跟一个值。" in flat(result.output)
    assert not ENGLISH.search(result.output), result.output


def test_usage_line_is_chinese(runner):
    result = run(runner, "draft", "--hightlights")
    assert "用法：writer draft [选项] [素材...]" in result.output
    top = run(runner, "draf")
    assert "用法：writer [选项] 命令 [参数]..." in top.output


@pytest.mark.parametrize(
    "args",
    [["--help"], ["ingest", "--help"], ["map", "--help"], ["draft", "--help"], ["digest", "--help"]]
    + [["check", "--help"], ["init", "--help"], ["outline", "check", "--help"]],
)
def test_help_is_chinese_without_type_placeholders_and_is_never_cut(runner, args):
    result = run(runner, *args)
    assert result.exit_code == 0, result.output
    assert not ENGLISH.search(result.output), result.output
    assert not re.search(r"<[a-z]+(\[[A-Za-z]+\])?>", result.output)  # <path>, <list[Path]>, <int>
    assert not re.search(r"\b(TEXT|PATH|INTEGER|BOOLEAN)\b", result.output)
    # rich cuts a line it cannot wrap with "…" at its end; help must wrap instead
    assert not re.search(r"…\s*│?\s*$", result.output, re.M), result.output


def test_cut_text_would_be_caught_and_long_option_help_is_complete(runner):
    result = run(runner, "draft", "--help")
    text = flat(result.output)
    assert "也可用环境变量WRITER_CACHE指定。" in text  # the end of the longest help, after wrapping
    assert "选项" in result.output and "参数" in result.output


def test_translate_message_keeps_unknown_messages_and_translates_known_ones():
    assert translate_message("素材路径不存在") == "素材路径不存在"
    assert translate_message("Got unexpected extra argument (x)").startswith("多余的参数：x。")
    assert translate_message("Invalid value for '--format': 'x' is not one of 'a', 'b'.") == (
        "'--format' 的值无效：'x' 不在可选值 'a', 'b' 之中。"
    )
