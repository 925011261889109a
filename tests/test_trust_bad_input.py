"""Trust, bad input: every unusable file gets one clear line, the rest is still checked, nothing bad is written;
and a `--fix` killed mid-run leaves every file either original or fully fixed.

All through real subprocesses, as a user runs the tool. The unreadable file: CI runs as root, which reads any file
whatever its mode bits, so there the file is a symlink to /proc/self/mem (reading it from offset 0 fails with EIO
for root too); elsewhere it is a file with mode 000.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tflint_bnn.rules import RULES_BY_CODE

# From the rules' own examples: one finding without a fix, one with a documented fix.
UNFIXABLE = next(case for case in RULES_BY_CODE["TFB301"].INVALID if case.fixed is None)
FIXABLE = RULES_BY_CODE["TFB102"].INVALID[0]
HUGE_FUNCTION = ("def step_{i}(x):\n    total = tf.reduce_sum(x) + {i}\n    for j in range(3):\n"
                 "        total += model(x[j:j + 1], training=False)\n    return total\n\n\n")
HUGE_HEAD = ("import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\n"
             "model = keras.Sequential([keras.layers.Dense(8), keras.layers.Dense(1)])\n\n\n")


def tflint(*args, cwd, timeout=300):
    return subprocess.run([sys.executable, "-m", "tflint_bnn", "--no-cache", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)


def huge_source(size: int = 10_000_000) -> str:
    parts, length, i = [HUGE_HEAD], len(HUGE_HEAD), 0
    while length < size:
        parts.append(HUGE_FUNCTION.format(i=i))
        length += len(parts[-1])
        i += 1
    return "".join(parts)


def make_unreadable(path: Path) -> None:
    if os.geteuid() != 0:
        path.write_text("import tensorflow as tf\n")
        path.chmod(0)
    elif Path("/proc/self/mem").exists():
        path.symlink_to("/proc/self/mem")
    else:
        pytest.skip("running as root without /proc: no file is unreadable")


# file name -> what its one error line must say; does_not_exist.py is named on the command line only
BAD = {
    "syntax_error.py": "syntax error at line 3",
    "nul_bytes.py": "NUL bytes",
    "undecodable.py": "not valid utf-8",
    "huge.py": "MB limit",
    "unreadable.py": "cannot read",
    "dangling.py": "dangling link",
    "fifo.py": "not a regular file",
    "package.py": "is a directory, not a Python file; the files inside it are checked",
    "does_not_exist.py": "no such file or directory",
}


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    (root / "syntax_error.py").write_text("import tensorflow as tf\n\ndef broken(:\n    pass\n")
    (root / "nul_bytes.py").write_bytes(b"import tensorflow as tf\n\x00\nx = 1\n")
    (root / "undecodable.py").write_bytes(b"import tensorflow as tf\nname = '\xff\xfe'\n")
    (root / "huge.py").write_text(huge_source())
    make_unreadable(root / "unreadable.py")
    (root / "dangling.py").symlink_to(root / "gone.py")
    os.mkfifo(root / "fifo.py")
    # Good files: a finding without a fix, a fixable one, the same with BOM + CRLF, and one inside a directory
    # named like a Python file (reported, and walked like any directory).
    (root / "finding.py").write_text(UNFIXABLE.code)
    (root / "fixable.py").write_text(FIXABLE.code)
    (root / "bom_crlf.py").write_bytes(b"\xef\xbb\xbf" + FIXABLE.code.replace("\n", "\r\n").encode())
    (root / "package.py").mkdir()
    (root / "package.py" / "inner.py").write_text(FIXABLE.code)
    return root


def snapshot(root: Path):
    """Every entry below root: its kind and content (a symlink's target, a file's bytes)."""
    state = {}
    for path in sorted(root.rglob("*")):
        name = str(path.relative_to(root))
        if path.is_symlink():
            state[name] = ("link", os.readlink(path))
        elif path.is_fifo():
            state[name] = ("fifo", None)
        elif path.is_dir():
            state[name] = ("dir", None)
        elif path.name == "unreadable.py":
            state[name] = ("file", None)  # mode 000 (not root): its bytes are not ours to read either
        else:
            state[name] = ("file", path.read_bytes())
    return state


def assert_one_line_per_bad_file(stderr: str):
    lines = stderr.splitlines()
    for name, message in BAD.items():
        mine = [line for line in lines if f"{name}:" in line]
        assert len(mine) == 1, (name, stderr)
        assert mine[0].startswith("tflint-bnn: error: ") and message in mine[0], mine[0]
    assert len(lines) == len(BAD), stderr


def test_bad_input_check(tree):
    result = tflint(".", "does_not_exist.py", cwd=tree)
    assert result.returncode == 2
    assert_one_line_per_bad_file(result.stderr)
    rule = RULES_BY_CODE["TFB102"].code
    for good in ("finding.py", "fixable.py", "bom_crlf.py", os.path.join("package.py", "inner.py")):
        assert f"{good}:" in result.stdout, (good, result.stdout)
    assert result.stdout.count(f" {rule} ") == 3 and " TFB301 " in result.stdout


def test_bad_input_fix_writes_only_the_good_files(tree):
    before = snapshot(tree)
    result = tflint("--fix", "--unsafe-fixes", ".", "does_not_exist.py", cwd=tree)
    assert result.returncode == 2
    assert_one_line_per_bad_file(result.stderr)
    after = snapshot(tree)
    assert set(after) == set(before), "a file was created or removed (a temp file left behind?)"
    fixed = {"fixable.py", "bom_crlf.py", os.path.join("package.py", "inner.py")}
    assert {name for name in before if before[name] != after[name]} == fixed
    assert after["fixable.py"][1].decode() == FIXABLE.fixed
    assert after[os.path.join("package.py", "inner.py")][1].decode() == FIXABLE.fixed
    assert after["bom_crlf.py"][1] == b"\xef\xbb\xbf" + FIXABLE.fixed.replace("\n", "\r\n").encode()
    assert "finding.py:" in result.stdout


# ---- an interrupted --fix ------------------------------------------------------------------------------------

FILES = 200


def fixable_tree(root: Path) -> None:
    root.mkdir()
    for i in range(FILES):
        (root / f"m{i:03d}.py").write_text(f"# module {i}\n" + FIXABLE.code)


def test_killed_fix_leaves_each_file_original_or_fully_fixed(tmp_path):
    expected = tmp_path / "expected"
    fixable_tree(expected)
    done = tflint("--fix", "--unsafe-fixes", ".", cwd=expected)
    assert done.returncode == 0, done.stdout + done.stderr
    fully_fixed = {p.name: p.read_bytes() for p in expected.iterdir()}

    work = tmp_path / "work"
    fixable_tree(work)
    original = {p.name: p.read_bytes() for p in work.iterdir()}
    assert all(original[name] != fully_fixed[name] for name in original)
    process = subprocess.Popen([sys.executable, "-m", "tflint_bnn", "--no-cache", "--fix", "--unsafe-fixes",
                                "--jobs", "1", "."], cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if any((work / name).read_bytes() != data for name, data in original.items()):
                break
            time.sleep(0.01)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be killed mid-way"

    names = {p.name for p in work.iterdir()}
    temps = sorted(names - set(original))
    # SIGKILL between the temp file's creation and os.replace can leave that one temp file, never more.
    assert len(temps) <= 1 and all(name.startswith(".m") and name.endswith(".tflint-bnn") for name in temps), temps
    states = {name: ("original" if (work / name).read_bytes() == original[name]
                     else "fixed" if (work / name).read_bytes() == fully_fixed[name] else "broken")
              for name in original}
    assert "broken" not in states.values(), [name for name, state in states.items() if state == "broken"]
    fixed = sum(state == "fixed" for state in states.values())
    assert 1 <= fixed < FILES, fixed
    print(f"\nkilled after {fixed} of {FILES} files were fixed; temp files left: {temps}")

    # A rerun finishes the job and does not trip over a leftover temp file.
    rerun = tflint("--fix", "--unsafe-fixes", ".", cwd=work)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert all((work / name).read_bytes() == fully_fixed[name] for name in original)
