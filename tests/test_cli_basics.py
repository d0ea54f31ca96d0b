"""The CLI's contract: Chinese messages, exit codes, no traceback."""

from writer.cli.app import app


def test_missing_path_is_a_usage_error_in_chinese(runner, tmp_path):
    result = runner.invoke(app, ["ingest", str(tmp_path / "不存在")])
    assert result.exit_code == 2
    assert "找不到路径" in result.output
    assert "Traceback" not in result.output


def test_empty_folder_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(app, ["ingest", str(tmp_path)])
    assert result.exit_code == 2
    assert "没有可读取的素材" in result.output


def test_ingest_seeds_prints_table(runner, seeds_dir):
    result = runner.invoke(app, ["ingest", str(seeds_dir)])
    assert result.exit_code == 0, result.output
    assert "素材概览" in result.output
    assert "合计" in result.output and "共 5 个文件" in result.output
