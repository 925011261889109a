"""A project that pins TensorFlow, TFP or Keras before Keras 3 runs Keras 2: TFB501 (TFP layers rejected by Keras 3)
stays silent there, in the CLI, its cache, the flake8 plugin's project and the language server alike."""

import json
from pathlib import Path

import pytest

from tflint_bnn.cli import main
from tflint_bnn.environment import DeclaredKeras, names_old_keras
from tflint_bnn.project import lint_in_project
from tflint_bnn.server.check import check_document
from tflint_bnn.settings import Settings

TFP_MODEL = """\
import tensorflow as tf
import tensorflow_probability as tfp

model = tf.keras.Sequential([tf.keras.layers.Dense(16), tfp.layers.DenseFlipout(1)])
"""


@pytest.mark.parametrize("text", [
    "tensorflow==2.3.1\nnumpy\n",
    "tensorflow-gpu<2.16\n",
    "tensorflow<2.16.0\n",
    "tensorflow_probability==0.8.0  # TF 2.0 era\n",
    "keras==2.4.3\ntensorflow==2.4.1\n",
    "dependencies:\n  - python=3.8\n  - tensorflow=2.3\n",  # conda's single `=`
    '[packages]\ntensorflow = "==2.3.0"\n',  # Pipfile
    "tensorflow~=2.4.1\n",  # 2.4.x only
    'install_requires=["tensorflow[and-cuda]==2.15.0"]\n',
    "tensorflow==2.15.*\n",
    "tensorflow==1.*\n",
    "tf_nightly==1.9.0.dev20180515\ntfp_nightly\n",  # TensorFlow decides which Keras tf.keras is, not TFP
    "tensorflow==2.3.1\ntensorflow-probability\n",
])
def test_pins_before_keras3_declare_keras2(text):
    assert names_old_keras(text) is True


@pytest.mark.parametrize("text", [
    "tensorflow>=2.0\n",
    "tensorflow\n",
    "tensorflow==2.16.1\n",
    "keras==3.1.0\n",
    "tensorflow~=2.4\n",  # any 2.x from 2.4: 2.16 included
    "tensorflow==2.*\n",
    "tensorflow<2.16.1\n",
    "tensorflow==2.3.1\nkeras\n",  # an unpinned keras may be Keras 3
    "# tensorflow==2.3.1\ntensorflow\n",  # a comment pins nothing
    "tf-nightly\n",
    "tfp-nightly\n",  # TFP alone (no TensorFlow named) still stands for it: a nightly is new
])
def test_open_or_new_versions_do_not(text):
    assert names_old_keras(text) is False


@pytest.mark.parametrize("text", ["numpy==1.19\n", "tensorflow-hub==0.8.0\ntensorflow-datasets==3.0\n", ""])
def test_files_that_name_none_of_them_decide_nothing(text):
    assert names_old_keras(text) is None


def tfb501_rows(root: Path, capsys, *extra) -> list:
    main([str(root), "--output-format", "json", *extra])
    return [(Path(item["filename"]).name, item["location"]["row"])
            for item in json.loads(capsys.readouterr().out) if item["code"] == "TFB501"]


def test_requirements_decide_and_the_nearest_folder_wins(tmp_path, capsys):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    (tmp_path / "requirements.txt").write_text("tensorflow==2.3.1\ntensorflow-probability==0.11.0\n")
    (tmp_path / "new" / "requirements.txt").write_text("tensorflow>=2.16\n")
    for folder in ("old", "new"):
        (tmp_path / folder / "train.py").write_text(TFP_MODEL)
    (tmp_path / "top.py").write_text(TFP_MODEL)
    assert tfb501_rows(tmp_path, capsys, "--no-cache") == [("train.py", 4)]  # new/ only


def test_a_changed_requirements_file_is_not_served_from_the_cache(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "train.py").write_text(TFP_MODEL)
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("tensorflow==2.3.1\n")
    assert tfb501_rows(tmp_path, capsys) == []
    requirements.write_text("tensorflow==2.17.0\n")
    assert tfb501_rows(tmp_path, capsys) == [("train.py", 4)]


def test_a_notebooks_own_pip_install_decides(tmp_path, capsys):
    cells = [["!pip install tensorflow_probability==0.8.0\n"], TFP_MODEL.splitlines(keepends=True)]
    notebook = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                           "source": source} for source in cells],
                "metadata": {"kernelspec": {"language": "python", "name": "python3"}}, "nbformat": 4,
                "nbformat_minor": 5}
    (tmp_path / "bnn.ipynb").write_text(json.dumps(notebook))
    (tmp_path / "requirements.txt").write_text("tensorflow\n")  # the notebook's own install comes first
    assert tfb501_rows(tmp_path, capsys, "--no-cache") == []
    cells[0] = ["!pip install tensorflow_probability\n"]
    notebook["cells"][0]["source"] = cells[0]
    (tmp_path / "bnn.ipynb").write_text(json.dumps(notebook))
    assert tfb501_rows(tmp_path, capsys, "--no-cache") == [("bnn.ipynb", 4)]


def test_the_plugins_project_and_the_server_read_the_same_pins(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "train.py").write_text(TFP_MODEL)
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("tensorflow==2.3.1\n")
    path = tmp_path / "train.py"
    assert [f.code for f in lint_in_project(Settings(), path, TFP_MODEL, fixes=False)] == []
    assert [f.code for f in check_document(path.as_uri(), TFP_MODEL).findings] == []
    requirements.write_text("tensorflow\n")
    assert [f.code for f in lint_in_project(Settings(), path, TFP_MODEL, fixes=False)] == ["TFB501"]
    assert [f.code for f in check_document(path.as_uri(), TFP_MODEL + "\n").findings] == ["TFB501"]


def test_requirement_files_are_what_a_cached_result_depends_on(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "pkg").mkdir()
    (tmp_path / "requirements.txt").write_text("tensorflow\n")
    (tmp_path / "pkg" / "environment.yml").write_text("dependencies:\n  - numpy\n")
    (tmp_path / "pkg" / "notes.txt").write_text("tensorflow==2.3\n")
    found = DeclaredKeras(tmp_path).requirement_files([tmp_path / "pkg" / "m.py"])
    assert found == [tmp_path / "pkg" / "environment.yml", tmp_path / "requirements.txt"]


MC_PREDICT = """\
import numpy as np
from keras import Input, Model
from keras.layers import Dense, Dropout

x_test = np.zeros((200, 8), dtype="float32")
inputs = Input((8,))
hidden = Dropout(0.5)(Dense(64)(inputs), training=True)
model = Model(inputs, Dense(1)(hidden))
model.fit(x_test, x_test[:, :1], {fit})
samples = np.array([model.predict(x_test, verbose=0) for _ in range(100)])
"""


def test_code_that_passes_keras1_arguments_runs_keras2(codes):
    # Keras 3 switches training=True dropout off under predict (TFB202); Keras 2, which `nb_epoch=` needs, does not
    assert "TFB202" in codes(MC_PREDICT.format(fit="epochs=10"))
    assert "TFB202" not in codes(MC_PREDICT.format(fit="nb_epoch=10"))


def test_colab_tensorflow_version_1_magic_declares_keras_2(tmp_path, capsys):
    """`%tensorflow_version 1.x` picked TensorFlow 1 on Colab; `2.x` (any 2.x) declares nothing."""
    for magic, expected in (("%tensorflow_version 1.x\n", []), ("%tensorflow_version 2.x\n", [("bnn.ipynb", 4)])):
        notebook = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                               "source": source} for source in ([magic], TFP_MODEL.splitlines(keepends=True))],
                    "metadata": {"kernelspec": {"language": "python", "name": "python3"}}, "nbformat": 4,
                    "nbformat_minor": 5}
        (tmp_path / "bnn.ipynb").write_text(json.dumps(notebook))
        assert tfb501_rows(tmp_path, capsys, "--no-cache") == expected, magic
