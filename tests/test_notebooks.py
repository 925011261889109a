"""Jupyter notebooks as sources: discovery, cells as one module, IPython syntax, positions per cell, fixes that
change only the fixed cells' `source`, bad input. The notebooks are written byte for byte as JupyterLab and Colab
save them."""

import difflib
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tflint_bnn.cli import main
from tflint_bnn.files import SourceError
from tflint_bnn.notebooks import mask_ipython, read_notebook

# As JupyterLab 4 saves it (nbformat: indent 1, sorted keys, non-ASCII as is, a final newline), after a run:
# cell ids, execution counts, a stream output, an image and an execute_result.
JUPYTERLAB = r"""{
 "cells": [
  {
   "cell_type": "markdown",
   "id": "3f1a2b4c-intro",
   "metadata": {},
   "source": [
    "# MC dropout on MNIST — uncertainty"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 1,
   "id": "8d0c1e2f-imports",
   "metadata": {
    "tags": []
   },
   "outputs": [],
   "source": [
    "%matplotlib inline\n",
    "import numpy as np\n",
    "import tf_keras as keras"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 2,
   "id": "a9b8c7d6-data",
   "metadata": {},
   "outputs": [
    {
     "name": "stdout",
     "output_type": "stream",
     "text": [
      "(10000, 784)\n"
     ]
    }
   ],
   "source": [
    "!nvidia-smi -L\n",
    "(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()\n",
    "x_test = x_test.reshape(-1, 784).astype(\"float32\") / 255\n",
    "print(x_test.shape)"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 3,
   "id": "5e4d3c2b-model",
   "metadata": {},
   "outputs": [
    {
     "data": {
      "image/png": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
      "text/plain": [
       "<Figure size 640x480 with 1 Axes>"
      ]
     },
     "metadata": {},
     "output_type": "display_data"
    }
   ],
   "source": [
    "%%time\n",
    "model = keras.Sequential([keras.layers.Dense(1024, activation=\"relu\"), keras.layers.Dropout(0.5),\n",
    "                          keras.layers.Dense(10)])\n",
    "model.summary?"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 4,
   "id": "0f9e8d7c-shell",
   "metadata": {},
   "outputs": [],
   "source": [
    "%%bash\n",
    "for f in *.npy; do echo \"$f\"; done"
   ]
  },
  {
   "cell_type": "code",
   "execution_count": 5,
   "id": "b1c2d3e4-predict",
   "metadata": {},
   "outputs": [
    {
     "data": {
      "text/plain": [
       "(50, 10000, 10)"
      ]
     },
     "execution_count": 5,
     "metadata": {},
     "output_type": "execute_result"
    }
   ],
   "source": [
    "probs = model(x_test).numpy()\n",
    "samples = np.stack([model(x_test, training=True).numpy() for _ in range(50)])\n",
    "files = !ls\n",
    "samples.shape"
   ]
  }
 ],
 "metadata": {
  "kernelspec": {
   "display_name": "Python 3 (ipykernel)",
   "language": "python",
   "name": "python3"
  },
  "language_info": {
   "codemirror_mode": {
    "name": "ipython",
    "version": 3
   },
   "file_extension": ".py",
   "mimetype": "text/x-python",
   "name": "python",
   "nbconvert_exporter": "python",
   "pygments_lexer": "ipython3",
   "version": "3.11.7"
  }
 },
 "nbformat": 4,
 "nbformat_minor": 5
}
"""

# As Colab saves it: two-space indent, nbformat's keys first, cell keys in Colab's order, the cell id in the
# cell's metadata, no final newline.
COLAB = r"""{
  "nbformat": 4,
  "nbformat_minor": 0,
  "metadata": {
    "colab": {
      "provenance": [],
      "gpuType": "T4"
    },
    "kernelspec": {
      "name": "python3",
      "display_name": "Python 3"
    },
    "language_info": {
      "name": "python"
    },
    "accelerator": "GPU"
  },
  "cells": [
    {
      "cell_type": "code",
      "source": [
        "!pip install -q tf_keras\n",
        "import tf_keras as keras\n",
        "import numpy as np"
      ],
      "metadata": {
        "id": "Xy1AbCdEfGh2"
      },
      "execution_count": null,
      "outputs": []
    },
    {
      "cell_type": "code",
      "source": [
        "x = np.random.rand(100000, 784).astype(\"float32\")\n",
        "model = keras.Sequential([keras.layers.Dense(1024), keras.layers.Dense(10)])\n",
        "y = model(x).numpy()"
      ],
      "metadata": {
        "id": "Qw3ErTyUiOp4",
        "colab": {
          "base_uri": "https://localhost:8080/"
        },
        "outputId": "5c1f0e2a-1b2c-4d3e-8f90-123456789abc"
      },
      "execution_count": 2,
      "outputs": [
        {
          "output_type": "stream",
          "name": "stdout",
          "text": [
            "done\n"
          ]
        }
      ]
    }
  ]
}"""


def run(*args, cwd, capsys, monkeypatch):
    monkeypatch.chdir(cwd)
    code = main(["--no-cache", "--jobs", "1", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cli(capsys, monkeypatch):
    def call(*args, cwd):
        return run(*args, cwd=cwd, capsys=capsys, monkeypatch=monkeypatch)

    return call


def notebook(*sources, language="python", cell_type="code"):
    """A small nbformat 4.5 notebook as JupyterLab writes it, one code cell per source."""
    cells = [{"cell_type": cell_type, "execution_count": None, "id": f"cell-{index}", "metadata": {},
              "outputs": [], "source": textwrap.dedent(source).splitlines(keepends=True)}
             for index, source in enumerate(sources)]
    data = {"cells": cells, "metadata": {"kernelspec": {"language": language, "name": "k", "display_name": "K"}},
            "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


# ---- discovery ------------------------------------------------------------------------------------------------


def test_directory_walk_lints_notebooks_and_skips_checkpoints_and_excluded(tmp_path, cli):
    (tmp_path / "analysis.ipynb").write_text(JUPYTERLAB)
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "analysis-checkpoint.ipynb").write_text(JUPYTERLAB)
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "old.ipynb").write_text(JUPYTERLAB)
    (tmp_path / "pyproject.toml").write_text('[tool.tflint-bnn]\nexclude = ["drafts/"]\n')
    code, out, _ = cli("--output-format", "concise", ".", cwd=tmp_path)
    assert code == 1
    assert sorted({line.split(":")[0] for line in out.splitlines() if ":cell " in line}) == ["analysis.ipynb"]
    # Named on the command line, an excluded notebook is still checked (as a .py file is).
    code, out, _ = cli("--output-format", "concise", "drafts/old.ipynb", cwd=tmp_path)
    assert code == 1 and "drafts/old.ipynb:cell 6:1:9: TFB101" in out


def test_include_setting_can_leave_notebooks_out_of_the_walk(tmp_path, cli):
    (tmp_path / "analysis.ipynb").write_text(JUPYTERLAB)
    (tmp_path / "pyproject.toml").write_text('[tool.tflint-bnn]\ninclude = ["*.py"]\n')
    assert cli(".", cwd=tmp_path)[0] == 0
    assert cli("analysis.ipynb", cwd=tmp_path)[0] == 1  # named explicitly: always read as a notebook


# ---- cells as one module, IPython syntax ------------------------------------------------------------------------


def test_text_output_names_the_cell_and_shows_the_cells_line(tmp_path, cli):
    (tmp_path / "analysis.ipynb").write_text(JUPYTERLAB)
    code, out, err = cli("analysis.ipynb", cwd=tmp_path)
    assert code == 1 and err == ""
    assert "analysis.ipynb:cell 6:1:9: TFB101 [*] `model(x_test)` runs one forward pass over all 10,000 rows" in out
    assert "analysis.ipynb:cell 6:2:21: TFB201 [*]" in out
    assert "1 | probs = model(x_test).numpy()\n  |         ^^^^^^^^^^^^^ TFB101" in out
    assert "Found 2 errors." in out


def test_ipython_lines_are_masked_only_where_a_statement_starts():
    lines = ["%matplotlib inline", "x = !ls", "for f in files:", "    !echo {f}", "text = '''", "%not magic",
             "'''", "y = (1,", "     2)?", "model.fit?", "?model", "%pip install a \\", "    b", "z = 1 % 2"]
    masks = []
    masked = mask_ipython(lines, "#m", 0, masks)
    assert masked[0] == "#m magic 0" and masked[1] == "x = None  #m magic 1"
    assert masked[3] == "    pass  #m magic 2"
    assert masked[5] == "%not magic"  # inside a string
    assert masked[8] == "     2)?"  # inside brackets: left for the parser to report
    assert masked[9].startswith("#m magic") and masked[10].startswith("#m magic")
    assert masked[11].startswith("#m magic") and masked[12].startswith("    #m magic")  # continuation: no statement
    assert masked[13] == "z = 1 % 2"
    assert [mask.original for mask in masks][:3] == ["%matplotlib inline", "x = !ls", "!echo {f}"]


def test_other_language_cells_and_markdown_are_left_out(tmp_path):
    path = tmp_path / "n.ipynb"
    path.write_text(JUPYTERLAB)
    read = read_notebook(path)
    assert [cell.number for cell in read.cells] == [2, 3, 4, 6]  # markdown 1 and %%bash 5 are not Python
    assert "for f in *.npy" not in read.text and "MC dropout" not in read.text
    compile(read.text, "n.ipynb", "exec")  # every IPython line masked: the joined cells parse


def test_notebook_of_another_kernel_is_skipped_with_a_note(tmp_path, cli):
    (tmp_path / "r.ipynb").write_text(notebook("library(keras)\nmodel %>% predict(x_test)\n", language="R"))
    code, out, err = cli("r.ipynb", cwd=tmp_path)
    assert code == 0 and out == "All checks passed!\n"  # nothing left to report, as ruff says it
    assert err == "tflint-bnn: note: r.ipynb: kernel language is R, not Python; skipped\n"


def test_findings_across_cells(tmp_path, cli):
    """Data in one cell, the model in another, the loops in a third and fourth: one module."""
    (tmp_path / "nb.ipynb").write_text(notebook(
        "import numpy as np\nimport tensorflow as tf\n",
        "x_test = np.zeros((50_000, 784), dtype='float32')\nrow = x_test[:1]\n",
        "model = tf.keras.Sequential([tf.keras.layers.Dense(2048, activation='relu'),\n"
        "                             tf.keras.layers.Dropout(0.5), tf.keras.layers.Dense(1)])\n",
        "samples = []\nfor _ in range(50):\n    samples.append(model(x_test, training=True))\n",
        "for i in range(1000):\n    y = model.predict(row)\n"))
    code, out, _ = cli("--output-format", "concise", "nb.ipynb", cwd=tmp_path)
    lines = out.splitlines()
    assert lines[0].startswith("nb.ipynb:cell 4:3:20: TFB201 [*] `model(x_test, training=True)` repeats a "
                               "stochastic pass over all 50,000 rows for each of 50 Monte Carlo samples (the loop "
                               "at cell 4, line 2)")
    assert lines[1].startswith("nb.ipynb:cell 5:2:9: TFB102 [*] `model.predict(row)` runs predict on 1 row 1,000 "
                               "times (the loop at cell 5, line 1)")


def test_noqa_inside_a_cell(tmp_path, cli):
    source = JUPYTERLAB.replace('"probs = model(x_test).numpy()\\n"',
                                '"probs = model(x_test).numpy()  # noqa: TFB101\\n"')
    (tmp_path / "nb.ipynb").write_text(source)
    code, out, _ = cli("--output-format", "concise", "nb.ipynb", cwd=tmp_path)
    assert "TFB101" not in out and "nb.ipynb:cell 6:2:21: TFB201" in out


def test_a_notebook_importing_the_projects_module(tmp_path, cli):
    (tmp_path / "helpers.py").write_text("def predict_all(model, x):\n    return model(x)\n")
    (tmp_path / "nb.ipynb").write_text(notebook(
        "import numpy as np\nimport tensorflow as tf\nfrom helpers import predict_all\n",
        "x = np.load('big.npy')\nmodel = tf.keras.models.load_model('m.keras')\n",
        "p = predict_all(model, x)\n"))
    code, out, _ = cli("--output-format", "concise", ".", cwd=tmp_path)
    assert "helpers.py:2:12: TFB101" in out
    assert "(np.load, nb.ipynb:cell 2:1; assumed more than 1,024)" in out and "called from nb.ipynb:cell 3:1" in out


# ---- machine formats ----------------------------------------------------------------------------------------


def test_json_lines_carry_the_cell_and_rows_inside_it(tmp_path, cli):
    (tmp_path / "nb.ipynb").write_text(JUPYTERLAB)
    code, out, _ = cli("--output-format", "json-lines", "nb.ipynb", cwd=tmp_path)
    first, second = [json.loads(line) for line in out.splitlines()]
    assert (first["code"], first["cell"], first["location"], first["end_location"], first["noqa_row"]) == (
        "TFB101", 6, {"row": 1, "column": 9}, {"row": 1, "column": 22}, 1)
    assert first["filename"] == str(tmp_path / "nb.ipynb")
    helper, call = second["fix"]["edits"]
    assert helper["cell"] == 2 and helper["location"] == {"row": 4, "column": 1}  # after the imports cell's end
    assert call["cell"] == 6 and call["location"] == {"row": 2, "column": 21}


def test_github_and_sarif_point_at_the_notebook_and_name_the_cell(tmp_path, cli):
    (tmp_path / "nb.ipynb").write_text(JUPYTERLAB)
    _, out, _ = cli("--output-format", "github", "nb.ipynb", cwd=tmp_path)
    assert out.splitlines()[0].startswith("::warning file=nb.ipynb,line=1,col=9,endLine=1,endColumn=22,"
                                          "title=TFB101::cell 6: `model(x_test)` runs")
    _, out, _ = cli("--output-format", "sarif", "nb.ipynb", cwd=tmp_path)
    result = json.loads(out)["runs"][0]["results"][0]
    assert result["message"]["text"].startswith("cell 6: `model(x_test)`")
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "nb.ipynb"
    assert "fixes" not in result  # regions of the .ipynb's JSON are not the cell's rows


# ---- fixes ----------------------------------------------------------------------------------------------------


def _changed_lines(before: str, after: str):
    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def test_fix_changes_only_the_fixed_lines_of_a_jupyterlab_notebook(tmp_path, cli):
    path = tmp_path / "nb.ipynb"
    path.write_text(JUPYTERLAB)
    os.chmod(path, 0o640)
    code, out, err = cli("--fix", "nb.ipynb", cwd=tmp_path)
    assert (code, err) == (0, "") and "Found 2 errors (2 fixed, 0 remaining)." in out
    after = path.read_text()
    removed, added = _changed_lines(JUPYTERLAB, after)
    assert removed == ['    "import tf_keras as keras"',
                       '    "probs = model(x_test).numpy()\\n",',
                       '    "samples = np.stack([model(x_test, training=True).numpy() for _ in range(50)])\\n",']
    assert added[0] == '    "import tf_keras as keras\\n",'
    assert added[3] == '    "def _batched_forward(model, x, batch_size, **call_kwargs):\\n",'
    assert added[-3:] == [
        '    "    return joined(parts)"',
        '    "probs = model.predict(x_test, batch_size=256, verbose=0)\\n",',
        '    "samples = np.stack([_batched_forward(model, x_test, 256, training=True).numpy() for _ in range(50)])'
        '\\n",']
    assert all(line.startswith('    "') for line in added)  # the file's indentation
    old, new = json.loads(JUPYTERLAB), json.loads(after)
    for cell_old, cell_new in zip(old["cells"], new["cells"]):
        assert {k: v for k, v in cell_old.items() if k != "source"} == {k: v for k, v in cell_new.items()
                                                                        if k != "source"}
    assert new["cells"][1]["source"][0] == "%matplotlib inline\n"  # IPython lines never rewritten
    assert new["cells"][5]["source"][2] == "files = !ls\n"
    assert oct(path.stat().st_mode & 0o777) == "0o640"
    # Fixed, the notebook has nothing left: a second --fix does not write it.
    before = path.stat()
    assert cli("--fix", "nb.ipynb", cwd=tmp_path)[0] == 0
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_fix_keeps_colab_formatting_and_missing_final_newline(tmp_path, cli):
    path = tmp_path / "colab.ipynb"
    path.write_text(COLAB)
    code, _, err = cli("--fix", "--unsafe-fixes", "colab.ipynb", cwd=tmp_path)
    after = path.read_text()
    assert err == "" and not after.endswith("\n")
    removed, added = _changed_lines(COLAB, after)
    assert removed == ['        "y = model(x).numpy()"']
    assert added == ['        "y = model.predict(x, batch_size=256, verbose=0)"']
    assert list(json.loads(after)) == ["nbformat", "nbformat_minor", "metadata", "cells"]


def test_untouched_notebook_is_not_rewritten(tmp_path, cli):
    path = tmp_path / "clean.ipynb"
    path.write_text(notebook("import tensorflow as tf\nprint(tf.__version__)\n"))
    before = path.stat()
    assert cli("--fix", "clean.ipynb", cwd=tmp_path)[0] == 0
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_diff_shows_the_changed_cells_and_writes_nothing(tmp_path, cli):
    path = tmp_path / "nb.ipynb"
    path.write_text(JUPYTERLAB)
    code, out, _ = cli("--diff", "nb.ipynb", cwd=tmp_path)
    assert code == 1 and path.read_text() == JUPYTERLAB
    assert "--- nb.ipynb:cell 2\n+++ nb.ipynb:cell 2\n" in out and "--- nb.ipynb:cell 6\n+++ nb.ipynb:cell 6\n" in out
    assert "\n-probs = model(x_test).numpy()\n" in out
    assert "\n+probs = model.predict(x_test, batch_size=256, verbose=0)\n" in out
    assert "cell 3" not in out


def test_helper_goes_after_the_imports_in_the_imports_cell(tmp_path, cli):
    path = tmp_path / "nb.ipynb"
    path.write_text(notebook("!pip install tf_keras\n",
                             "import numpy as np\nimport tf_keras as keras\nx = np.ones((100000, 784))\n",
                             "model = keras.Sequential([keras.layers.Dense(1024), keras.layers.Dropout(0.5)])\n"
                             "s = [model(x, training=True) for _ in range(20)]\n"))
    assert cli("--fix", "nb.ipynb", cwd=tmp_path)[0] == 0
    cells = ["".join(cell["source"]) for cell in json.loads(path.read_text())["cells"]]
    assert cells[0] == "!pip install tf_keras\n"
    assert cells[1].startswith("import numpy as np\nimport tf_keras as keras\n\n\ndef _batched_forward(")
    assert cells[1].endswith("\nx = np.ones((100000, 784))\n")
    assert "_batched_forward(model, x, 256, training=True)" in cells[2]


def test_source_as_one_string_is_accepted_and_stays_a_string(tmp_path, cli):
    data = json.loads(notebook("import numpy as np\nimport tf_keras as keras\n",
                               "x = np.ones((100000, 784))\nm = keras.models.load_model('m')\n"
                               "y = m.predict_on_batch(x)"))
    for cell in data["cells"]:
        cell["source"] = "".join(cell["source"])  # nbformat 4 allows a multiline string
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(data, indent=1))
    code, out, _ = cli("--output-format", "concise", "nb.ipynb", cwd=tmp_path)
    assert "nb.ipynb:cell 2:3:5: TFB101" in out
    cli("--fix", "--unsafe-fixes", "nb.ipynb", cwd=tmp_path)
    fixed = json.loads(path.read_text())["cells"][1]["source"]
    assert fixed == ("x = np.ones((100000, 784))\nm = keras.models.load_model('m')\n"
                     "y = m.predict(x, batch_size=256, verbose=0)")


# ---- bad input ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, message", [
    ('{"cells": [', "not a notebook: invalid JSON at line 1, column 12: expected a value"),
    ("", "is empty; not a notebook (a notebook is a JSON object)"),
    ('{"nbformat": 3, "nbformat_minor": 0, "worksheets": [{"cells": []}], "metadata": {}}',
     "nbformat 3 notebook; only nbformat 4 is read (convert it with `jupyter nbconvert --to notebook --inplace`)"),
    ('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "metadata": {}, '
     '"outputs": [], "execution_count": null}]}', "cell 1 has no `source`; not a valid nbformat 4 notebook"),
    ('[1, 2]', "not a notebook: the JSON is not an object"),
    ('{"nbformat": 4, "cells": [{"cell_type": "code", "source": [1]}]}',
     "cell 1: `source` must be a string or a list of strings"),
])
def test_bad_notebooks_get_one_line_and_are_not_written(tmp_path, cli, text, message):
    path = tmp_path / "bad.ipynb"
    path.write_text(text)
    (tmp_path / "good.ipynb").write_text(JUPYTERLAB)
    code, out, err = cli("--fix", "bad.ipynb", "good.ipynb", cwd=tmp_path)
    assert code == 2 and err == f"tflint-bnn: error: bad.ipynb: {message}\n"
    assert path.read_text() == text
    assert "Found 2 errors (2 fixed" in out  # the other notebook is still fixed


def test_a_cell_that_does_not_parse_is_left_out_and_the_others_are_checked_and_fixed(tmp_path, cli):
    """A cell whose closing bracket was commented out (seen in a real notebook): IPython compiles each cell alone, so
    only that cell fails; it is reported by cell and line, and the rest of the notebook is checked and fixed."""
    path = tmp_path / "nb.ipynb"
    broken = "m = tf.keras.models.load_model('m.h5',\n                               # compile=False)\n"
    path.write_text(notebook(
        "import numpy as np\nimport tensorflow as tf\n!saved_model_cli show --dir m \\\n      --tag_set serve\n",
        broken,
        "x = np.zeros((100_000, 784), dtype='float32')\nmodel = tf.keras.models.load_model('m.keras')\n"
        "y = model(x).numpy()\n"))
    error = "tflint-bnn: error: nb.ipynb: syntax error at cell 2, line 1, column 31: '(' was never closed; the cell " \
            "is not checked\n"
    code, out, err = cli("--output-format", "concise", "nb.ipynb", cwd=tmp_path)
    assert code == 2 and err == error
    assert out.startswith("nb.ipynb:cell 3:3:5: TFB101 [*]")
    code, out, err = cli("--fix", "nb.ipynb", cwd=tmp_path)
    assert code == 2 and err == error
    sources = ["".join(cell["source"]) for cell in json.loads(path.read_text())["cells"]]
    assert sources[1] == broken and sources[0].endswith("      --tag_set serve\n")
    assert sources[2].endswith("y = model.predict(x, batch_size=256, verbose=0)\n")


def test_empty_notebook_is_clean(tmp_path, cli):
    (tmp_path / "empty.ipynb").write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n')
    assert cli("empty.ipynb", cwd=tmp_path)[:2] == (0, "All checks passed!\n")


def test_large_image_outputs_are_read_without_trouble(tmp_path, cli):
    data = json.loads(JUPYTERLAB)
    image = "iVBORw0KGgo" * (5 * 2 ** 20 // 11)  # about 5 MB of base64 per output, ten outputs
    data["cells"][3]["outputs"] = [{"data": {"image/png": image}, "metadata": {}, "output_type": "display_data"}] * 10
    path = tmp_path / "big.ipynb"
    path.write_text(json.dumps(data, indent=1, sort_keys=True))
    assert path.stat().st_size > 50 * 10 ** 6
    code, out, _ = cli("--output-format", "concise", "big.ipynb", cwd=tmp_path)
    assert code == 1 and "big.ipynb:cell 6:1:9: TFB101" in out


def test_cache_and_jobs_give_the_same_findings(tmp_path, capsys, monkeypatch):
    for name in ("a.ipynb", "b.ipynb"):
        (tmp_path / name).write_text(JUPYTERLAB)
    monkeypatch.chdir(tmp_path)
    outputs = []
    for arguments in (["--jobs", "2"], ["--jobs", "2"], ["--jobs", "1", "--no-cache"]):
        main(["--output-format", "concise", *arguments, "."])
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] == outputs[2] and "b.ipynb:cell 6:2:21: TFB201" in outputs[0]
    assert (tmp_path / ".tflint_bnn_cache").is_dir()


def test_read_errors_are_source_errors(tmp_path):
    (tmp_path / "dir.ipynb").mkdir()
    with pytest.raises(SourceError, match="is a directory"):
        read_notebook(tmp_path / "dir.ipynb")


def test_nbqa_runs_the_flake8_plugin_on_a_notebook(tmp_path):
    """The README's way for flake8 users: nbQA converts the cells and maps flake8's rows back (its cell numbers
    count code cells only: our cell 6 is its cell_5)."""
    pytest.importorskip("nbqa")
    pytest.importorskip("flake8")
    (tmp_path / "analysis.ipynb").write_text(JUPYTERLAB)
    result = subprocess.run([sys.executable, "-m", "nbqa", "flake8", "analysis.ipynb", "--select", "TFB"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr
    assert [line.split(" ", 2)[:2] for line in result.stdout.splitlines()] == [
        ["analysis.ipynb:cell_5:1:9:", "TFB101"], ["analysis.ipynb:cell_5:2:21:", "TFB201"]]


def test_readme_notebook_example_is_this_notebook_and_prints_what_the_readme_shows(tmp_path, cli):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Jupyter notebooks"):readme.index("## Integrations")]
    cells_shown = re.search(r"```python\n(.*?)```", section, flags=re.DOTALL).group(1)
    code_cells = [(number, "".join(cell["source"])) for number, cell in enumerate(json.loads(JUPYTERLAB)["cells"], 1)
                  if cell["cell_type"] == "code" and not cell["source"][0].startswith("%%bash")]
    assert cells_shown == "".join(f"# cell {number}\n{source}\n" for number, source in code_cells)
    shown = re.search(r"```\n\$ tflint-bnn analysis\.ipynb\n(.*?)```", section, flags=re.DOTALL).group(1)
    (tmp_path / "analysis.ipynb").write_text(JUPYTERLAB)
    assert cli("analysis.ipynb", cwd=tmp_path)[1] == shown


def test_language_server_checks_notebook_documents_per_cell(tmp_path):
    """LSP 3.17 notebook sync as VS Code sends it: diagnostics land on the cells, and a quick fix edits the cells it
    changes (the helper in the imports cell, the call in its own)."""
    pytest.importorskip("pygls")
    from test_server import LspClient, apply_edits

    client = LspClient(tmp_path, tmp_path / "server.log")
    try:
        initialized = client.request("initialize", {
            "processId": os.getpid(), "rootUri": tmp_path.as_uri(),
            "capabilities": {"workspace": {"workspaceEdit": {"documentChanges": True}},
                             "notebookDocument": {"synchronization": {}}}})
        assert initialized["capabilities"]["notebookDocumentSync"]["notebookSelector"] == [
            {"cells": [{"language": "python"}]}]
        client.notify("initialized", {})
        path = tmp_path / "analysis.ipynb"
        path.write_text(JUPYTERLAB)
        cells = json.loads(JUPYTERLAB)["cells"]
        uris = [f"vscode-notebook-cell:{path.as_posix()}#W{number}" for number in range(len(cells))]
        texts = ["".join(cell["source"]) for cell in cells]
        client.notify("notebookDocument/didOpen", {
            "notebookDocument": {"uri": path.as_uri(), "notebookType": "jupyter-notebook", "version": 1,
                                 "cells": [{"kind": 2 if cell["cell_type"] == "code" else 1, "document": uri}
                                           for cell, uri in zip(cells, uris)]},
            "cellTextDocuments": [{"uri": uri, "languageId": "python" if cell["cell_type"] == "code" else "markdown",
                                   "version": 1, "text": text} for cell, uri, text in zip(cells, uris, texts)]})
        found = client.diagnostics(uris[5])
        assert [(d["code"], d["range"]["start"]) for d in found] == [
            ("TFB101", {"line": 0, "character": 8}), ("TFB201", {"line": 1, "character": 20})]
        assert client.diagnostics(uris[1]) == [] and client.diagnostics(uris[2]) == []
        # A cell that stops parsing: an error on it, the other cells' findings stay.
        client.notify("notebookDocument/didChange", {
            "notebookDocument": {"uri": path.as_uri(), "version": 2},
            "change": {"cells": {"textContent": [{"document": {"uri": uris[2], "version": 2}, "changes": [
                {"text": texts[2] + "\nprint(("}]}]}}})
        [broken] = client.diagnostics(uris[2])
        assert broken["severity"] == 1 and broken["message"].startswith("syntax error at cell 3, line 5")
        assert client.diagnostics(uris[5]) == []  # its rows came from the cell left out
        client.notify("notebookDocument/didChange", {
            "notebookDocument": {"uri": path.as_uri(), "version": 3},
            "change": {"cells": {"textContent": [{"document": {"uri": uris[2], "version": 3}, "changes": [
                {"text": texts[2]}]}]}}})
        assert client.diagnostics(uris[2]) == []
        assert [d["code"] for d in client.diagnostics(uris[5])] == ["TFB101", "TFB201"]
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uris[5]}, "range": found[1]["range"],
            "context": {"diagnostics": [found[1]], "only": ["quickfix"]}})
        assert [action["title"] for action in actions] == ["TFB201: Run each sample batch by batch",
                                                           "TFB201: Disable for this line"]
        changes = {change["textDocument"]["uri"]: change["edits"] for change in actions[0]["edit"]["documentChanges"]}
        assert sorted(changes) == sorted([uris[1], uris[5]])
        assert apply_edits(texts[1], changes[uris[1]]).startswith(texts[1] + "\n\n\ndef _batched_forward(")
        assert apply_edits(texts[5], changes[uris[5]]).splitlines()[1] == (
            "samples = np.stack([_batched_forward(model, x_test, 256, training=True).numpy() for _ in range(50)])")
        disable = actions[1]["edit"]["documentChanges"][0]
        assert disable["textDocument"]["uri"] == uris[5]
        assert apply_edits(texts[5], disable["edits"]).splitlines()[1].endswith("  # noqa: TFB201")
        whole = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uris[5]}, "range": found[0]["range"],
            "context": {"diagnostics": found, "only": ["source.fixAll.tflint-bnn"]}})
        changed = {change["textDocument"]["uri"]: apply_edits(texts[uris.index(change["textDocument"]["uri"])],
                                                              change["edits"])
                   for change in whole[0]["edit"]["documentChanges"]}
        main(["--no-cache", "--fix", str(path)])  # what the CLI writes for the same notebook
        written = ["".join(cell["source"]) for cell in json.loads(path.read_text())["cells"]]
        assert changed == {uris[1]: written[1], uris[5]: written[5]}
    finally:
        client.stop()
