"""The command line: every command has help; bad input is named and never stops the others."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kcextract.cli import COMMANDS, main

REPO = Path(__file__).resolve().parents[1]
ARTICLE = "Cao Bằng: kế hoạch khuyến công\nNăm 2024, tỉnh dành 2,5 tỷ đồng hỗ trợ HTX Phi Đoàn.\n"


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    assert command in capsys.readouterr().out


# fmt: off
BAD_INPUTS = [
    # file name, bytes, error code that must name it
    ("empty.txt", b"", "KC-E004"),
    ("binary.txt", b"\x00\x01\x02PNG\x00\x00", "KC-E003"),
    ("dump.jsonl", b'{"id": "ok-1", "text": "Ti\xc3\xaau \xc4\x91\xe1\xbb\x81\\nN\xc4\x83m 2024."}\n{not json\n', "KC-E005"),
]
# fmt: on


@pytest.mark.parametrize(("name", "data", "code"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_cli_extract_bad_input_is_named_and_others_are_written(tmp_path, capsys, name, data, code):
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / name).write_bytes(data)
    out = tmp_path / "out.jsonl"
    rc = main(["extract", str(tmp_path), "-o", str(out), "--no-models"])
    err = capsys.readouterr().err
    assert rc == 1
    assert code in err and name in err
    ids = [json.loads(line)["doc_id"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert "good" in ids


def test_cli_extract_missing_file_exit_code(tmp_path, capsys):
    rc = main(["extract", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "o.jsonl")])
    assert rc == 1
    assert "nope.txt" in capsys.readouterr().err


def test_cli_extract_reads_stdin():
    proc = subprocess.run(
        [sys.executable, "-m", "kcextract", "extract", "-", "--no-models"],
        input=ARTICLE,
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    rec = json.loads(proc.stdout)
    assert rec["doc_id"] == "stdin"
    assert [a["value_vnd"] for a in rec["amounts"]] == [2_500_000_000]


def test_cli_show_prints_facts_with_evidence(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    assert main(["show", str(path), "--no-models"]) == 0
    out = capsys.readouterr().out
    assert "2,5 tỷ đồng" in out and "[2,5 tỷ đồng]" in out
