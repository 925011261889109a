"""What keeping every Monte Carlo sample costs in memory, against running moments, next to a TF process's own size:
the measurement behind TFB204's `min-retained-mib` default.

    python benchmarks/retained_memory.py

Each case runs in a fresh process: tf_keras, a 64->32->Dropout->outputs MLP, `predict(batch_size=1024)` T times
over N rows. Reported: the process's RSS after imports, model and one warm-up predict (the floor any such
program pays), and the peak RSS growth after that when the T outputs are kept in a list and reduced with
np.mean/np.std (what TFB204 flags) and when a Welford update keeps only running moments (its advice).
"""

from __future__ import annotations

import os
import subprocess
import sys

CASE = """
import resource, sys
import numpy as np
import tf_keras as keras

samples, rows, outputs, kept = (int(v) for v in sys.argv[1:5])
x = np.random.default_rng(0).random((rows, 64), dtype=np.float32)
model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(32, activation="relu"), keras.layers.Dropout(0.5),
                          keras.layers.Dense(outputs)])
model.predict(x, batch_size=1024, verbose=0)
floor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if kept:
    draws = [model.predict(x, batch_size=1024, verbose=0) for _ in range(samples)]
    mean, std = np.mean(draws, axis=0), np.std(draws, axis=0)
else:
    mean = m2 = 0.0
    for t in range(1, samples + 1):
        y = model.predict(x, batch_size=1024, verbose=0)
        delta = y - mean
        mean = mean + delta / t
        m2 = m2 + delta * (y - mean)
    std = np.sqrt(m2 / samples)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(floor / 1024, (peak - floor) / 1024)
"""
CASES = [(20, 50_000, 1), (20, 50_000, 10), (50, 50_000, 10), (100, 50_000, 10), (100, 50_000, 20)]


def run(samples: int, rows: int, outputs: int, kept: bool) -> tuple[float, float]:
    done = subprocess.run([sys.executable, "-c", CASE, str(samples), str(rows), str(outputs), str(int(kept))],
                          capture_output=True, text=True, check=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    floor, growth = done.stdout.split()[-2:]
    return float(floor), float(growth)


def main() -> None:
    print(f"{'T x N x outputs':<22}{'float32 MiB':>12}{'floor MiB':>11}{'kept +MiB':>11}{'Welford +MiB':>14}")
    for samples, rows, outputs in CASES:
        floor, kept = run(samples, rows, outputs, True)
        _, welford = run(samples, rows, outputs, False)
        size = samples * rows * outputs * 4 / 2**20
        print(f"{samples} x {rows:,} x {outputs:<6}{size:>12.0f}{floor:>11.0f}{kept:>11.0f}{welford:>14.0f}", flush=True)


if __name__ == "__main__":
    main()
