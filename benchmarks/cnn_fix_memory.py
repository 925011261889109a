"""Where the fixed tfb101_cnn run's work memory goes (issue 14): variants of the fixture's last lines, unbudgeted.

    python benchmarks/cnn_fix_memory.py [--repeats N]

Each variant runs as the validation harness runs a fixture (a fresh child, TF_ENABLE_ONEDNN_OPTS=0, `work` = peak
RSS added after arm_budget()), `--repeats` times, interleaved; it prints the smallest and largest work peak of each.
The variants separate what bounds the fix (`predict_on_batch` on slices of 256 rows, joined): the activations of
one batch (the same at 128 and 64 rows; a traced step over numpy slices), against the earlier fix
`model.predict(images, batch_size=256)`, which also holds predict's copy of the whole input (a variant converts the
array to a tensor before arm_budget()), and a floor (no inference at all).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tflint_bnn.validate import catalog  # noqa: E402
from tflint_bnn.validate.runner import ChildConfig, run_program  # noqa: E402

MIB = 2**20
_STEP = ("import tensorflow as tf\nstep = tf.function(lambda b: model(b, training=False))\n"
         "logits = np.concatenate([step(images[i:i + {b}]).numpy() for i in range(0, len(images), {b})])")
_SLICED = ("logits = np.concatenate([model.predict_on_batch(images[start:start + {b}]) "
           "for start in range(0, max(len(images), 1), {b})])")
VARIANTS = {
    "original: predict_on_batch(all rows)": ("", "logits = model.predict_on_batch(images)"),
    "the fix: predict_on_batch on slices of 256 rows": ("", _SLICED.format(b=256)),
    "the same with fix-batch-size = 128": ("", _SLICED.format(b=128)),
    "the same with fix-batch-size = 64": ("", _SLICED.format(b=64)),
    "the earlier fix: predict(batch_size=256)": ("", "logits = model.predict(images, batch_size=256, verbose=0)"),
    "predict(batch_size=256) on a tensor made before arm_budget()": (
        "import tensorflow as tf\nimages = tf.constant(images)\n",
        "logits = model.predict(images, batch_size=256, verbose=0)"),
    "traced step on numpy slices of 256 rows": ("", _STEP.format(b=256)),
    "traced step on numpy slices of 64 rows": ("", _STEP.format(b=64)),
    "floor: no inference": ("", "logits = np.zeros((len(images), 10), 'float32')"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    (spec,) = [s for s in catalog.FIXTURES if s.name == "tfb101_cnn"]
    source = catalog.sized_source((catalog.FIXTURES_DIR / spec.filename).read_text(), spec.rows, spec.width)
    head = source.split("arm_budget()\n")[0]
    config = ChildConfig(python=sys.executable, device="cpu", backend="tensorflow")
    results = {name: [] for name in VARIANTS}
    with tempfile.TemporaryDirectory(prefix="cnn-fix-memory-") as scratch:
        for repeat in range(args.repeats):
            for index, (name, (setup, work)) in enumerate(VARIANTS.items()):
                workdir = Path(scratch) / f"v{index}-{repeat}"
                workdir.mkdir()
                program = workdir / "program.py"
                program.write_text(f"{head}{setup}arm_budget()\n{work}\nemit(logits=logits)\n")
                record, _ = run_program(config, program, 0, "run", workdir)
                results[name].append(record)
                print(f"  {name}: {record.status}, work {(record.work_peak_bytes or 0) / MIB:,.0f} MiB, "
                      f"{record.work_seconds} s", file=sys.stderr, flush=True)
    print(f"tfb101_cnn, {spec.rows:,} images of {spec.width}x{spec.width}x3 float32 "
          f"({spec.rows * spec.width * spec.width * 3 * 4 / MIB:,.0f} MiB of input), {args.repeats} runs each\n")
    print("| variant | work peak (MiB), min-max | work seconds, min-max |\n|---|---|---|")
    for name, records in results.items():
        peaks = [r.work_peak_bytes / MIB for r in records if r.status == "ok" and r.work_peak_bytes is not None]
        seconds = [r.work_seconds for r in records if r.status == "ok" and r.work_seconds is not None]
        peak_text = f"{min(peaks):,.0f}-{max(peaks):,.0f}" if peaks else "failed"
        seconds_text = f"{min(seconds):.1f}-{max(seconds):.1f}" if seconds else "-"
        print(f"| {name} | {peak_text} | {seconds_text} |")


if __name__ == "__main__":
    main()
