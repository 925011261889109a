"""The flake8 plugin and the language server check a file within its project, as the CLI does: a model built in
model.py and sampled in main.py is found from either front end; the same shape on a batch is not."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tflint_bnn.cli import main
from tflint_bnn.server.check import check_document

MODEL_PY = """\
import tensorflow as tf


def get_model():
    return tf.keras.Sequential([tf.keras.layers.Dense(512, activation="relu"), tf.keras.layers.Dropout(0.2),
                                tf.keras.layers.Dense(10)])
"""
MAIN_PY = """\
import numpy as np

from model import get_model

model = get_model()
x_test = np.zeros((100_000, 64), dtype="float32")
draws = [model(x_test, training=True) for _ in range(50)]
"""
ON_A_BATCH = MAIN_PY.replace("(100_000, 64)", "(64, 64)")


def write_project(root: Path, main_text: str) -> Path:
    (root / "pyproject.toml").write_text("[tool.tflint-bnn]\n")
    (root / "model.py").write_text(MODEL_PY)
    (root / "main.py").write_text(main_text)
    return root


def cli_findings(root: Path, capsys) -> set:
    main([str(root), "--no-cache", "--output-format", "json"])
    return {(Path(item["filename"]).name, item["location"]["row"], item["code"])
            for item in json.loads(capsys.readouterr().out)}


@pytest.mark.parametrize("main_text, expected", [(MAIN_PY, {("main.py", 7, "TFB201")}), (ON_A_BATCH, set())])
def test_flake8_reports_what_the_cli_reports_across_modules(tmp_path, capsys, main_text, expected):
    pytest.importorskip("flake8")
    root = write_project(tmp_path, main_text)
    result = subprocess.run([sys.executable, "-m", "flake8", "--select", "TFB",
                             "--format=%(path)s:%(row)d:%(code)s", "."],
                            cwd=root, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    reported = {(Path(path).name, int(row), code)
                for path, row, code in (line.rsplit(":", 2) for line in result.stdout.splitlines())}
    assert reported == expected
    assert cli_findings(root, capsys) == expected


def test_the_server_sees_the_project_and_the_unsaved_buffer(tmp_path):
    root = write_project(tmp_path, ON_A_BATCH)
    uri = (root / "main.py").as_uri()
    saved = check_document(uri, ON_A_BATCH)
    assert saved.problem is None and saved.findings == []
    edited = check_document(uri, MAIN_PY)  # the buffer, not the saved file, is what is checked
    assert [(f.start[0], f.code) for f in edited.findings] == [(7, "TFB201")]


def _flake8_findings(root: Path) -> set:
    result = subprocess.run([sys.executable, "-m", "flake8", "--select", "TFB", "--format=%(path)s:%(row)d:%(code)s",
                             "."], cwd=root, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    return {(Path(path).name, int(row), code)
            for path, row, code in (line.rsplit(":", 2) for line in result.stdout.splitlines())}


def test_flake8_reuses_kept_findings_until_any_file_of_the_project_changes(tmp_path):
    pytest.importorskip("flake8")
    root = write_project(tmp_path, MAIN_PY)
    assert _flake8_findings(root) == {("main.py", 7, "TFB201")}
    kept = list(root.glob(".tflint_bnn_cache/*/run-*.json"))
    assert len(kept) == 2  # one entry per checked file of the project
    for entry in kept:  # a kept answer is what the second run reports: mark it to see it come back
        findings = json.loads(entry.read_text())
        entry.write_text(json.dumps([{**finding, "message": "kept " + finding["message"]} for finding in findings]))
    second = subprocess.run([sys.executable, "-m", "flake8", "--select", "TFB", "."], cwd=root,
                            capture_output=True, text=True, timeout=300)
    assert "TFB201 kept " in second.stdout
    # another module of the project changes (the model no longer drops anything): nothing kept is reused
    (root / "model.py").write_text(MODEL_PY.replace("tf.keras.layers.Dropout(0.2),", ""))
    third = subprocess.run([sys.executable, "-m", "flake8", "--select", "TFB", "."], cwd=root,
                           capture_output=True, text=True, timeout=300)
    assert "kept" not in third.stdout
