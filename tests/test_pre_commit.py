"""The pre-commit hooks (.pre-commit-hooks.yaml), run for real.

pre-commit builds each hook environment from this checkout with pip (hatchling from PyPI, as in CI) and runs the
hooks on files staged in a temporary git repository. `pre-commit try-repo` on a checkout with uncommitted changes
would copy only its tracked and staged files, so a new module or hooks file not yet added would be missing: then the
checkout is copied as it is on disk (tracked and untracked files, not ignored ones) into a temporary repository with
one commit. A clean checkout (CI's) is given to `try-repo` as it is. `try-repo` builds its environment in a store of
its own each time; the tests that use a `.pre-commit-config.yaml` share one store for the session (PRE_COMMIT_HOME),
so that environment is built once.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tflint_bnn import __version__
from tflint_bnn.engine import Linter
from tflint_bnn.rules import RULES_BY_CODE
from tflint_bnn.settings import Settings

pytest.importorskip("pre_commit", reason="pre-commit is not installed (the test extra installs it)")
if shutil.which("git") is None:
    pytest.skip("git is not installed: the pre-commit tests need it", allow_module_level=True)

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 600  # pip builds the hook environment: slow on a cold cache
CLEAN = "import tensorflow as tf\n\nprint(tf.__version__)\n"


@pytest.fixture(scope="session")
def example():
    """A rule's INVALID example with one finding that `--fix` (safe fixes only) turns into its `fixed` text:
    (example, finding)."""
    linter = Linter(Settings())
    for rule in RULES_BY_CODE.values():
        for invalid in rule.INVALID:
            findings = linter.lint(invalid.code)
            if (invalid.fixed is not None and len(findings) == 1 and findings[0].fixable(unsafe_fixes=False)
                    and linter.fix(invalid.code, unsafe_fixes=False).text == invalid.fixed):
                return invalid, findings[0]
    raise AssertionError("no INVALID example has a single finding with a safe fix")


def _git_env(home: Path) -> dict:
    """The environment without the caller's git state (a hook running these tests sets GIT_INDEX_FILE) or its global
    git configuration, with an identity for commits and pre-commit's store under `home`."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(GIT_AUTHOR_NAME="tflint-bnn tests", GIT_AUTHOR_EMAIL="tests@example.invalid",
               GIT_COMMITTER_NAME="tflint-bnn tests", GIT_COMMITTER_EMAIL="tests@example.invalid",
               GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", PRE_COMMIT_HOME=str(home), NO_COLOR="1")
    return env


def _git(*args, cwd: Path, env: dict) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True,
                          timeout=TIMEOUT).stdout


@pytest.fixture(scope="session")
def env(tmp_path_factory) -> dict:
    return _git_env(tmp_path_factory.mktemp("pre-commit-home"))


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory, env) -> Path:
    """This checkout as it is on disk, committed in a repository of its own."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing to give pre-commit")
    listed = _git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT, env=env)
    snapshot = tmp_path_factory.mktemp("hook-repo")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the work tree is not listed as deleted here
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name)
    assert (snapshot / ".pre-commit-hooks.yaml").is_file()
    _git("init", "-q", cwd=snapshot, env=env)
    _git("add", "-A", cwd=snapshot, env=env)
    _git("commit", "-q", "-m", "snapshot of the checkout", cwd=snapshot, env=env)
    return snapshot


@pytest.fixture(scope="session")
def checkout(hook_repo, env) -> Path:
    """What `pre-commit try-repo` is given: this checkout itself when nothing in it is uncommitted (as in CI, a clean
    clone), otherwise its snapshot, so that new files not yet added are there too."""
    uncommitted = _git("status", "--porcelain", "--untracked-files=all", cwd=ROOT, env=env)
    return ROOT if not uncommitted.strip() else hook_repo


@pytest.fixture
def user_repo(tmp_path, env):
    """write(name, text): a file staged in a fresh repository; the repository is `.path`."""
    repo = tmp_path / "user"
    repo.mkdir()
    _git("init", "-q", cwd=repo, env=env)

    def write(name: str, text: str) -> Path:
        (repo / name).write_text(text)
        _git("add", name, cwd=repo, env=env)
        return repo / name

    write.path = repo
    return write


@pytest.fixture(scope="session")
def config(tmp_path_factory, hook_repo, env) -> Path:
    """The README's .pre-commit-config.yaml, with this checkout's snapshot for the GitHub repository."""
    rev = _git("rev-parse", "HEAD", cwd=hook_repo, env=env).strip()
    path = tmp_path_factory.mktemp("config") / ".pre-commit-config.yaml"
    path.write_text(f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n"
                    "      - id: tflint-bnn\n      - id: tflint-bnn-fix\n")
    return path


def pre_commit(*args, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", *map(str, args), "--color", "never"], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=TIMEOUT)


def _output(result: subprocess.CompletedProcess) -> str:
    return result.stdout + result.stderr


def test_try_repo_check_hook_reports_the_finding_and_changes_nothing(checkout, user_repo, env, example):
    invalid, finding = example
    bad = user_repo("bad.py", invalid.code)
    result = pre_commit("try-repo", checkout, "tflint-bnn", "--files", "bad.py", cwd=user_repo.path, env=env)
    output = _output(result)
    assert result.returncode == 1, output
    row, column = finding.start
    assert [line.rsplit(".", 1)[-1] for line in output.splitlines() if line.startswith("tflint-bnn.")] == \
        ["Failed"], output
    assert f"\nbad.py:{row}:{column + 1}: {finding.code} [*] " in output, output
    assert "files were modified" not in output, output
    assert bad.read_text() == invalid.code


def test_try_repo_fix_hook_rewrites_the_file(checkout, user_repo, env, example):
    invalid, _ = example
    bad = user_repo("bad.py", invalid.code)
    result = pre_commit("try-repo", checkout, "tflint-bnn-fix", "--files", "bad.py", cwd=user_repo.path, env=env)
    output = _output(result)
    assert result.returncode == 1, output  # pre-commit fails a hook that changed files
    assert "files were modified by this hook" in output, output
    assert bad.read_text() == invalid.fixed


def test_configured_hooks_pass_clean_files_and_never_see_other_types(config, user_repo, env, example):
    invalid, _ = example
    # Had notes.txt been passed, tflint-bnn would lint it (a path named on the command line is checked).
    clean = user_repo("clean.py", CLEAN)
    notes = user_repo("notes.txt", invalid.code)
    result = pre_commit("run", "-c", config, "--files", "clean.py", "notes.txt", cwd=user_repo.path, env=env)
    output = _output(result)
    assert result.returncode == 0, output
    assert [line.rsplit(".", 1)[-1] for line in output.splitlines() if line.startswith("tflint-bnn")] == \
        ["Passed", "Passed"], output

    result = pre_commit("run", "-c", config, "--files", "notes.txt", cwd=user_repo.path, env=env)
    output = _output(result)
    assert result.returncode == 0, output
    assert output.count("(no files to check)Skipped") == 2, output
    assert clean.read_text() == CLEAN and notes.read_text() == invalid.code


def test_configured_hooks_check_then_fix(config, user_repo, env, example):
    invalid, finding = example
    bad = user_repo("bad.py", invalid.code)
    result = pre_commit("run", "-c", config, "--files", "bad.py", cwd=user_repo.path, env=env)
    output = _output(result)
    assert result.returncode == 1, output
    check, fix = output.split("- hook id: tflint-bnn-fix")
    assert f"bad.py:{finding.start[0]}:{finding.start[1] + 1}: {finding.code}" in check, output
    assert "files were modified by this hook" in fix, output
    assert bad.read_text() == invalid.fixed


def test_hook_environment_is_installed_from_the_checkout(config, user_repo, env, example):
    _, finding = example
    user_repo("clean.py", CLEAN)
    assert pre_commit("run", "-c", config, "--files", "clean.py", cwd=user_repo.path, env=env).returncode == 0
    environments = list(Path(env["PRE_COMMIT_HOME"]).glob("repo*/py_env-*"))
    assert len(environments) == 1, environments
    scripts = environments[0] / ("Scripts" if os.name == "nt" else "bin")

    def run(*command):  # -I, and away from the checkout: nothing on sys.path but the environment's own
        return subprocess.run([str(scripts / command[0]), *command[1:]], cwd=user_repo.path, env=env,
                              capture_output=True, text=True, timeout=TIMEOUT)

    located = run("python", "-I", "-c", "import tflint_bnn; print(tflint_bnn.__file__)").stdout.strip()
    assert Path(located).resolve().is_relative_to(environments[0].resolve()), located  # not an editable install
    assert run("tflint-bnn", "--version").stdout.strip() == f"tflint-bnn {__version__}"
    # The rule docs come from docs/rules, force-included into the wheel by pyproject.toml.
    explained = run("tflint-bnn", "--explain", finding.code)
    assert explained.returncode == 0, explained.stderr
    assert explained.stdout.strip() == (ROOT / "docs" / "rules" / f"{finding.code}.md").read_text().strip()


def test_manifest_is_valid(env):
    result = pre_commit("validate-manifest", ROOT / ".pre-commit-hooks.yaml", cwd=ROOT, env=env)
    assert result.returncode == 0, _output(result)


def test_configured_hooks_check_and_fix_a_staged_notebook(config, user_repo, env):
    from test_notebooks import JUPYTERLAB  # a notebook as JupyterLab saves it, with two fixable findings

    notebook = user_repo("analysis.ipynb", JUPYTERLAB)
    result = pre_commit("run", "-c", config, "--files", "analysis.ipynb", cwd=user_repo.path, env=env)
    output = _output(result)
    assert result.returncode == 1, output
    check, fix = output.split("- hook id: tflint-bnn-fix")
    assert "analysis.ipynb:cell 6:1:9: TFB101 [*]" in check, output
    assert "files were modified by this hook" in fix, output
    assert "probs = model.predict(x_test, batch_size=256, verbose=0)" in notebook.read_text()


def test_readme_config_works_as_written_and_autoupdate_pins_it(hook_repo, user_repo, env, example, tmp_path):
    """The README's .pre-commit-config.yaml as written, except that the GitHub URL (no network here) is a clone of
    this checkout whose default branch is `main`, as the published repository's: `rev: main` runs both hooks, and
    `pre-commit autoupdate` pins `rev` to the newest commit, as the README says."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (shown,) = [block for block in re.findall(r"```yaml\n(.*?)```", readme, flags=re.DOTALL) if "repos:" in block]
    published_url = "https://github.com/tflint-bnn/tflint-bnn"
    assert f"repo: {published_url}\n" in shown and "rev: main\n" in shown
    published = tmp_path / "published"
    _git("clone", "-q", str(hook_repo), str(published), cwd=tmp_path, env=env)
    _git("checkout", "-q", "-B", "main", cwd=published, env=env)
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(shown.replace(published_url, str(published)))

    invalid, finding = example
    user_repo("bad.py", invalid.code)
    first = pre_commit("run", "-c", config, "--files", "bad.py", cwd=user_repo.path, env=env)
    assert first.returncode == 1, _output(first)
    assert f"bad.py:{finding.start[0]}:{finding.start[1] + 1}: {finding.code}" in _output(first)
    assert "files were modified by this hook" in _output(first)

    pinned = pre_commit("autoupdate", "-c", config, cwd=user_repo.path, env=env)
    assert pinned.returncode == 0, _output(pinned)
    head = _git("rev-parse", "HEAD", cwd=published, env=env).strip()
    assert config.read_text() == shown.replace(published_url, str(published)).replace("rev: main", f"rev: {head}")
