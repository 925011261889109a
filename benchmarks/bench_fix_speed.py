"""Speed of programs fixed by `tflint-bnn --fix` against the originals, side by side, where the original fits in memory.

    python benchmarks/bench_fix_speed.py [--repeats N] [--only NAME]

Each case is a small program whose forward passes are timed inside it (imports, data and model building are left
out). The program is fixed with the linter's own `--fix --unsafe-fixes`, and original and fixed run alternately in
fresh processes, `--repeats` times each; the fastest run of each counts. The goal (issue 10): a fixed program at most
1.3x the original's time. The fixed text must differ from the original, or the case reports that no fix was made.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tflint_bnn.engine import Linter  # noqa: E402
from tflint_bnn.settings import Settings  # noqa: E402

GOAL = 1.3
_TIMED = """
import time as _time
_start = _time.perf_counter()
{body}
print("SECONDS", _time.perf_counter() - _start)
"""
_MLP = "[{k}.Input((64,)), {k}.layers.Dense(1024, activation='relu'), {k}.layers.Dropout(0.3), " \
       "{k}.layers.Dense(512, activation='relu'), {k}.layers.Dropout(0.3), {k}.layers.Dense(3)]"
_MC = "samples = np.stack([model(x, training=True).numpy() for _ in range(5)])"


def _program(imports: str, rows: int, model: str, body: str) -> str:
    head = textwrap.dedent(imports).strip() + "\nimport numpy as np\n\n"
    setup = (f"x = np.random.default_rng(0).standard_normal(({rows}, 64)).astype('float32')\n"
             f"model = {model}\nmodel(x[:8])\n")
    return head + setup + _TIMED.format(body=body)


CASES = {
    # the validation suite's MC-dropout case: 40,000 rows x 5 samples, Keras 3 (`import keras`)
    "keras3 MC dropout 40k x 5": _program("import keras", 40_000, "keras.Sequential(" + _MLP.format(k="keras") + ")",
                                          _MC),
    "tf.keras MC dropout 40k x 5": _program("from tensorflow import keras", 40_000,
                                            "keras.Sequential(" + _MLP.format(k="keras") + ")", _MC),
    "tf_keras MC dropout 40k x 5": _program("import tf_keras as keras", 40_000,
                                            "keras.Sequential(" + _MLP.format(k="keras") + ")", _MC),
    "tf_keras flipout 30k x 5": _program(
        "import tf_keras as keras\nimport tensorflow_probability as tfp", 30_000,
        "keras.Sequential([keras.Input((64,)), tfp.layers.DenseFlipout(512, activation='relu'), "
        "tfp.layers.DenseFlipout(512, activation='relu'), tfp.layers.DenseFlipout(10)])",
        "preds = [model(x) for _ in range(5)]\nsamples = np.stack([p.numpy() for p in preds])"),
    "keras3 one pass 100k, training=False": _program(
        "import keras", 100_000, "keras.Sequential(" + _MLP.format(k="keras") + ")",
        "probs = model(x, training=False)"),
}


def fixed(source: str) -> str:
    return Linter(Settings()).fix(source, unsafe_fixes=True).text


def seconds(path: Path) -> float:
    environment = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, env=environment, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("SECONDS ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{path.name} failed:\n{done.stderr[-2000:]}")
    return float(lines[-1].split()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--only", help="run the cases whose name contains this text")
    args = parser.parse_args()
    print(f"{'case':<40}{'original s':>12}{'fixed s':>10}{'ratio':>8}   goal <= {GOAL}")
    with tempfile.TemporaryDirectory() as workdir:
        for name, source in CASES.items():
            if args.only and args.only not in name:
                continue
            after = fixed(source)
            if after == source:
                print(f"{name:<40}{'no fix made':>30}")
                continue
            original, rewritten = Path(workdir, "original.py"), Path(workdir, "fixed.py")
            original.write_text(source)
            rewritten.write_text(after)
            times = {original: [], rewritten: []}
            for _ in range(args.repeats):
                for path in times:
                    times[path].append(seconds(path))
            before, now = min(times[original]), min(times[rewritten])
            verdict = "meets" if now / before <= GOAL else "MISSES"
            print(f"{name:<40}{before:>12.2f}{now:>10.2f}{now / before:>8.2f}   {verdict}", flush=True)


if __name__ == "__main__":
    main()
