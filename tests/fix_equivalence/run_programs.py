"""Run fix-equivalence programs one after another in this process and write one JSON line per program.

usage: python run_programs.py RESULTS.jsonl WORKDIR PROGRAM.py...

TensorFlow is imported once for all the programs given (the import costs seconds; the programs well under
that). Each program starts from the same state whichever run it belongs to: the same seeds, a cleared Keras
session, and its own empty working directory, so the original and the fixed version see the same weights.
A line is written as soon as a program ends, so a process that dies still reports the programs before it.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
import traceback
from pathlib import Path

SEED = 1234


def main(argv) -> int:
    results, workdir, programs = Path(argv[0]), Path(argv[1]), [Path(p).resolve() for p in argv[2:]]
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # result_recorder
    import numpy as np  # noqa: F401  (imported before the programs, as they all use it)
    import tensorflow as tf

    # Two cores in CI: one op thread per process lets two programs' processes run side by side.
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(2)
    import result_recorder

    with results.open("a", encoding="utf-8") as out:
        for program in programs:
            out.write(json.dumps(run_one(program, workdir / program.stem, result_recorder)) + "\n")
            out.flush()
    return 0


def run_one(program: Path, workdir: Path, recorder) -> dict:
    workdir.mkdir(parents=True, exist_ok=True)
    reset_state()
    recorder.RECORDS.clear()
    entry = {"program": program.stem}
    cwd = os.getcwd()
    os.chdir(workdir)
    try:
        runpy.run_path(str(program), run_name="__main__")
        entry["status"] = "ok"
    except recorder.ProgramSkipped as skipped:
        entry.update(status="skipped", error=str(skipped))
    except BaseException as error:  # a program's failure is a result, not the runner's
        if isinstance(error, KeyboardInterrupt):
            raise
        entry.update(status="error", error=f"{type(error).__name__}: {str(error)[:800]}",
                     traceback=traceback.format_exc()[-3000:])
    finally:
        os.chdir(cwd)
    entry["records"] = list(recorder.RECORDS)
    return entry


def reset_state() -> None:
    """The same starting point for every program: seeds (Python, NumPy, TensorFlow, Keras 3's generator) and no
    models left from the program before."""
    import keras

    keras.backend.clear_session()
    if "tf_keras" in sys.modules:
        sys.modules["tf_keras"].backend.clear_session()
    keras.utils.set_random_seed(SEED)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
