"""The command line for operators: every option says what it does and its default; a build
that is not run in a terminal prints progress lines."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import typer.main

from policyqa.cli import app

TINY = """关于支持小微企业发展的若干措施

一、总体要求
支持小微企业健康发展，优化营商环境。

二、支持政策
对新认定的小微企业给予一次性奖励5万元。

三、保障措施
由市工业和信息化局负责组织实施。
"""


def test_every_option_has_help_text_with_its_default() -> None:
    command = typer.main.get_command(app)
    missing = []
    for name, sub in command.commands.items():  # type: ignore[attr-defined]
        for param in sub.params:
            if param.name == "help":
                continue
            text = (getattr(param, "help", None) or "").lower()
            shown = getattr(param, "show_default", False) and param.default not in (None, False, "", ())
            if not text or not (shown or "default" in text or param.required):
                missing.append(f"{name} {param.opts[0]}")
    assert not missing, f"options without help or a stated default: {missing}"


def test_serve_help_names_the_environment_variables() -> None:
    result = subprocess.run([sys.executable, "-m", "policyqa.cli", "serve", "--help"],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"})
    assert result.returncode == 0
    for variable in ("POLICYQA_HOST", "POLICYQA_PORT", "POLICYQA_WORKERS", "POLICYQA_LOG_FORMAT"):
        assert variable in result.stdout


def test_build_prints_progress_lines_when_not_in_a_terminal(tmp_path: Path) -> None:
    corpus = tmp_path / "docs"
    corpus.mkdir()
    (corpus / "tiny.txt").write_text(TINY, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "policyqa.cli", "build", "--corpus", str(corpus), "--index",
         str(tmp_path / "index")], capture_output=True, text=True, timeout=300,
        env={**os.environ, "COLUMNS": "200"})  # stdout and stderr are pipes, not a terminal
    assert result.returncode == 0, result.stderr
    assert "ingested 1 documents" in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("embedding: ")]
    assert lines and lines[-1].split(",")[0].endswith(tuple(f"{n}/{n} passages" for n in range(1, 50)))
    assert "passages/s" in lines[-1]
    assert "\x1b[" not in result.stderr  # no terminal control codes in a log
    assert "built " in result.stdout
