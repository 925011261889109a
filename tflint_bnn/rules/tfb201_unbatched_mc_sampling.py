"""TFB201 unbatched-mc-sampling: T stochastic passes, each over the whole dataset."""

from __future__ import annotations

from typing import Iterator, Optional

from tflint_bnn.findings import Applicability, Finding, FixPlan
from tflint_bnn.program.facts import ForwardPass, ModuleFacts
from tflint_bnn.rules.base import Invalid, Rule, by_site, with_helper
from tflint_bnn.rules.batching import batching_safety, fix_blocked, helper_plan, message
from tflint_bnn.rules.messages import (activations_worth_reporting, is_large, loop_note, memory_phrase, origins_phrase,
                                      rows_phrase, shorten)
from tflint_bnn.rules.samples import retained

_PRELUDE = """import numpy as np
import tf_keras as keras

x_test = np.zeros((10_000, 64), dtype="float32")
model = keras.Sequential([keras.layers.Dense(512, activation="relu"), keras.layers.Dropout(0.3),
                          keras.layers.Dense(10)])
"""
_TFP_PRELUDE = """import numpy as np
import tf_keras as keras
import tensorflow_probability as tfp

x = np.zeros((20_000, 64), dtype="float32")
bnn = keras.Sequential([tfp.layers.DenseFlipout(512), tfp.layers.DenseFlipout(10)])
"""
_ADVICE = "Sample per batch of 256 rows, keeping `training=`"


class UnbatchedMonteCarloSampling(Rule):
    code = "TFB201"
    name = "unbatched-mc-sampling"
    summary = "Monte Carlo sampling as T stochastic passes over the whole dataset"
    fix_safety = (Applicability.SAFE, Applicability.UNSAFE)
    # One finding for one call: the samples it keeps (TFB204's) are named in this message too.
    supersedes = frozenset({"TFB101", "TFB204"})
    fix_leaves = frozenset({"TFB204"})  # per-batch passes still keep every sample

    VALID = (
        _PRELUDE + "samples = [model(x_test[:512], training=True) for _ in range(50)]\n",
        _PRELUDE + "samples = [model.predict(x_test, verbose=0) for _ in range(50)]\n",  # TFB202's, not ours
        _PRELUDE + "for epoch in range(5):\n    model.fit(x_test, x_test[:, :10])\n"
                   "    history.append(model(x_test, training=True))\n",
        _PRELUDE + "outs = [model(x_test[i:i + 256], training=True) for i in range(0, 10_000, 256)]\n",
    )
    INVALID = (
        Invalid(_PRELUDE + "samples = np.stack([model(x_test, training=True).numpy() for _ in range(50)])\n",
                with_helper(_PRELUDE, "samples = np.stack([_batched_forward(model, x_test, 256, training=True)"
                                      ".numpy() for _ in range(50)])\n"),
                ((7, 20), (7, 48)),
                "`model(x_test, training=True)` repeats a stochastic pass over all 10,000 rows for each of 50 Monte "
                "Carlo samples (the loop at line 7); every pass holds activations for all rows (about 68 MiB for a "
                "512-unit layer). " + _ADVICE),
        Invalid(_PRELUDE + "preds = []\nfor _ in range(30):\n    preds.append(model(x_test, training=True))\n",
                with_helper(_PRELUDE, "preds = []\nfor _ in range(30):\n"
                                      "    preds.append(_batched_forward(model, x_test, 256, training=True))\n"),
                ((9, 17), (9, 45)),
                "`model(x_test, training=True)` repeats a stochastic pass over all 10,000 rows for each of 30 Monte "
                "Carlo samples (the loop at line 8); every pass holds activations for all rows (about 68 MiB for a "
                "512-unit layer). " + _ADVICE),
        Invalid(_TFP_PRELUDE + "draws = []\nfor t in range(20):\n    y = bnn(x)\n    draws.append(y)\n",
                with_helper(_TFP_PRELUDE, "draws = []\nfor t in range(20):\n    y = _batched_forward(bnn, x, 256)\n"
                                          "    draws.append(y)\n"),
                ((9, 8), (9, 14)),
                "`bnn(x)` repeats a stochastic pass over all 20,000 rows for each of 20 Monte Carlo samples (the "
                "loop at line 8); every pass holds activations for all rows (about 137 MiB for a 512-unit layer). "
                + _ADVICE),
        Invalid(_PRELUDE + "def mc_predict(net, x, samples):\n"
                           "    return np.stack([net(x, training=True) for _ in range(samples)])\n\n"
                           "mean = mc_predict(model, x_test, 40).mean(0)\n",
                None, ((8, 21), (8, 42)),
                "`net(x, training=True)` repeats a stochastic pass over all 10,000 rows for each of 40 Monte Carlo "
                "samples (the loop at line 8); every pass holds activations for all rows (about 68 MiB for a "
                "512-unit layer); called from line 10. " + _ADVICE),
        Invalid(_PRELUDE + "samples = [model(x_test, training=True).numpy() for _ in range(500)]\n"
                           "mean, std = np.mean(samples, axis=0), np.std(samples, axis=0)\n",
                with_helper(_PRELUDE, "samples = [_batched_forward(model, x_test, 256, training=True).numpy() "
                                      "for _ in range(500)]\nmean, std = np.mean(samples, axis=0), "
                                      "np.std(samples, axis=0)\n"),
                ((7, 11), (7, 39)),
                '`model(x_test, training=True)` repeats a stochastic pass over all 10,000 rows for each of 500 Monte '
                'Carlo samples (the loop at line 7); every pass holds activations for all rows (about 68 MiB for a '
                '512-unit layer). Sample per batch of 256 rows, keeping `training=`; and `samples` keeps every sample'
                ' (500 samples x 10,000 rows x 10 outputs x 4 bytes = 191 MiB) though only their mean/variance is '
                'read: update running moments (Welford) inside the loop instead'),
    )

    def check(self, facts: ModuleFacts) -> Iterator[Finding]:
        for group in by_site(facts.forward_passes).values():
            hits = [found for found in group if self._sampled_in_full(found)]
            if not hits:
                continue
            found = hits[0]
            sampling = found.sampling
            times = (f"each of {sampling.count:,} Monte Carlo samples" if sampling.count else
                     "each Monte Carlo sample")
            origins = tuple(dict.fromkeys(origin for hit in hits for origin in hit.origins))
            text = (f"`{shorten(found.site.code)}` repeats a stochastic pass over "
                    f"{rows_phrase(found.rows, self.settings.batch_rows, facts.path)} for {times}"
                    f"{loop_note(sampling, facts.path, found.site.span[0][0])}; every pass holds activations for all rows"
                    f"{memory_phrase(found.model, found.rows)}{origins_phrase(origins, facts.path)}. Sample per "
                    f"batch of {self.settings.fix_batch_size} rows, keeping `training=`")
            kept = retained(found, self.settings)
            if kept is not None:
                text += (f"; and {kept.label} keeps every sample ({kept.size}) though only their mean/variance is "
                         "read: update running moments (Welford) inside the loop instead")
            yield self.finding(found.site.span, text, self._fix(found))

    def _sampled_in_full(self, found: ForwardPass) -> bool:
        """A stochastic pass over more rows than one batch, repeated as Monte Carlo samples (predict batches by
        itself: T predict calls keep T x N outputs but not T x N activations)."""
        sampling = found.sampling
        if found.method == "predict" or not found.stochastic or sampling is None or not sampling.repeats:
            return False
        if not is_large(found.rows, self.settings.batch_rows):
            return False
        return activations_worth_reporting(found.model, found.rows, self.settings.min_activation_mib)

    def _fix(self, found: ForwardPass) -> Optional[FixPlan]:
        if found.method != "call" or found.model.kind == "backend.function" or fix_blocked(found):
            return None
        safety = batching_safety(found)
        if safety.applicability is None:
            return None
        return helper_plan(found, self.settings.fix_batch_size, safety.applicability,
                           message("Run each sample batch by batch", safety.reason))
