"""Cross-file findings: a helper in one module runs a model another module passes it with a whole dataset."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tflint_bnn.engine import Linter
from tflint_bnn.project import build_project
from tflint_bnn.settings import Settings

FIXTURE = Path(__file__).parent / "data" / "crossfile_pkg"


@pytest.fixture
def project(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "crossfile_pkg")
    return tmp_path


def run(cwd, *args):
    result = subprocess.run([sys.executable, "-m", "tflint_bnn", "--output-format", "json", *args, "."],
                            cwd=cwd, capture_output=True, text=True)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def line_of(path, text):
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_findings_at_the_inner_call_name_the_callers(project):
    found = run(project, "--no-cache", "-j1")
    metrics, train, models = (project / "crossfile_pkg" / name for name in ("metrics.py", "train.py", "models.py"))
    assert [(Path(f["filename"]).name, f["location"]["row"], f["code"]) for f in found] == [
        ("metrics.py", line_of(metrics, "for _ in range(T)"), "TFB201"),
        ("metrics.py", line_of(metrics, "def evaluate") + 1, "TFB101"),
    ]
    sampling, single = found
    assert "10,000 rows" in sampling["message"]
    assert sampling["message"].endswith(f"the rows come from crossfile_pkg/train.py:"
                                        f"{line_of(train, 'mc_predict(model')}. Sample per batch of 256 rows, "
                                        "keeping `training=`")
    # two callers of one helper: one finding naming both, in discovery order; x_test[:10], a sklearn estimator
    # and describe() (which never calls its model) add nothing
    assert (f"the rows come from crossfile_pkg/models.py:{line_of(models, 'return evaluate')}, "
            f"crossfile_pkg/train.py:{line_of(train, 'metrics.evaluate(model')}.") in single["message"]
    assert single["fix"] is None


def test_noqa_in_the_callee_suppresses(project):
    metrics = project / "crossfile_pkg" / "metrics.py"
    assert "quiet" in metrics.read_text()  # quiet() carries `# noqa: TFB101` and is called with x_test
    metrics.write_text(metrics.read_text().replace("    return model_fn(x)\n", "    return model_fn(x)  # noqa\n"))
    assert [f["code"] for f in run(project, "--no-cache")] == ["TFB201"]


def test_small_arrays_give_nothing(project):
    for name in ("train.py", "models.py"):
        path = project / "crossfile_pkg" / name
        path.write_text(path.read_text().replace("x_test)", "x_test[:10])").replace("5000", "50")
                        .replace("x_test, T=30", "x_test[:10], T=30"))
    assert run(project, "--no-cache") == []


def test_jobs_and_cache_give_identical_output(project):
    expected = run(project, "--no-cache", "-j1")
    assert expected and run(project, "--no-cache", "-j2") == expected
    assert run(project, "-j2") == expected  # fills the cache
    assert run(project, "-j1") == expected  # read from the cache


def test_cache_follows_a_changed_callee(project):
    run(project)
    metrics = project / "crossfile_pkg" / "metrics.py"
    metrics.write_text(metrics.read_text().replace("model_fn(x, training=True)", "model_fn(x[:64], training=True)"))
    assert [f["code"] for f in run(project)] == ["TFB101"]


def test_relative_imports_and_triage(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "helpers.py").write_text("def sample(net, data, n):\n    return [net(data, training=True) "
                                        "for _ in range(n)]\n")
    caller = ("import numpy as np\nfrom tensorflow import keras\nfrom .helpers import sample\n\n"
              "model = keras.Sequential([keras.layers.Dense(8), keras.layers.Dropout(0.2)])\n"
              "draws = sample(model, np.zeros((4096, 8)), 10)\n")
    (package / "run.py").write_text(caller)
    files = sorted(package.glob("*.py"))
    imports = build_project(files, tmp_path).imports_for(package / "run.py")
    with_triage = Linter(Settings(), imports=imports).lint(caller)
    assert with_triage == Linter(Settings(), triage=False, imports=imports).lint(caller)
    assert [(f.code, f.path, f.start, f.origins) for f in with_triage] == [
        ("TFB201", str(package / "helpers.py"), (2, 12), ("pkg/run.py:6",))]
