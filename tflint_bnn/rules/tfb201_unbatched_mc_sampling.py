"""TFB201 unbatched-mc-sampling: T stochastic passes, each over the whole dataset."""

from __future__ import annotations

from typing import Iterator, Optional

from tflint_bnn.analysis.describe import is_large, memory_phrase, rows_phrase, shorten, via_phrase
from tflint_bnn.analysis.foreign import group_by_inner_call
from tflint_bnn.analysis.summaries import MONTE_CARLO
from tflint_bnn.analysis.samples import sample_count
from tflint_bnn.analysis.forward import ForwardSite, is_multi_input
from tflint_bnn.findings import Applicability, Finding, Fix
from tflint_bnn.fixes.batching import (batched_text, batching_safety, call_arguments, fix_blocked_by_context,
                                       fix_message, forward_fix, helper_name_taken)
from tflint_bnn.rules.base import Invalid, Rule, sites_by_call, with_helper
from tflint_bnn.triage import AstFacts

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


class UnbatchedMonteCarloSampling(Rule):
    code = "TFB201"
    name = "unbatched-mc-sampling"
    summary = "Monte Carlo sampling as T stochastic passes over the whole dataset"
    fix_safety = (Applicability.SAFE, Applicability.UNSAFE)
    supersedes = frozenset({"TFB101"})

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
                                      ".numpy() for _ in range(50)])\n")),
        Invalid(_PRELUDE + "preds = []\nfor _ in range(30):\n    preds.append(model(x_test, training=True))\n",
                with_helper(_PRELUDE, "preds = []\nfor _ in range(30):\n"
                                      "    preds.append(_batched_forward(model, x_test, 256, training=True))\n")),
        Invalid(_TFP_PRELUDE + "draws = []\nfor t in range(20):\n    y = bnn(x)\n    draws.append(y)\n",
                with_helper(_TFP_PRELUDE, "draws = []\nfor t in range(20):\n    y = _batched_forward(bnn, x, 256)\n"
                                          "    draws.append(y)\n")),
    )

    def may_apply(self, facts: AstFacts) -> bool:
        # Cross-file: the loop and `training=True` are in the callee; the model and the rows are made here.
        sampling = bool(facts.repeated_calls) and facts.stochastic_passes_possible()
        return (sampling or MONTE_CARLO in facts.imported_model_uses) and facts.makes_models() and \
            self.large_rows_possible(facts)

    def check(self, analysis) -> Iterator[Finding]:
        for call, sites in sites_by_call(analysis).items():
            loop = analysis.context.monte_carlo_loop(call)
            if loop is None:
                continue
            # predict batches by itself: T predict calls keep T x N outputs but not T x N activations.
            hits = [s for s in sites
                    if s.method != "predict" and s.stochastic and is_large(s.rows, self.settings.batch_rows)]
            if not hits:
                continue
            site = hits[0]
            samples = sample_count(analysis, loop, site.view)
            times = f"each of {samples:,} Monte Carlo samples" if samples else "each Monte Carlo sample"
            message = (f"`{shorten(analysis.code(call))}` repeats a stochastic pass over "
                       f"{rows_phrase(site.rows, self.settings.batch_rows)} for {times}; every pass holds activations "
                       f"for all rows{memory_phrase(site.model, site.rows)}{via_phrase(s.view.via_line for s in hits)}."
                       f" Sample per batch of {self.settings.fix_batch_size} rows, keeping `training=`")
            yield self.finding(analysis, call, message, self._fix(analysis, site))
        for sites in group_by_inner_call(analysis.foreign_sites).values():
            hits = [s for s in sites if s.use.repeat == MONTE_CARLO and s.stochastic
                    and is_large(s.rows, self.settings.batch_rows)]
            if hits:
                yield self._foreign_sampling(analysis, hits)

    def _foreign_sampling(self, analysis, sites) -> Finding:
        """A helper in another file samples per Monte Carlo draw over an array one of this module's calls makes."""
        site = sites[0]
        mechanism = (f"`{shorten(site.use.code)}` repeats a stochastic pass over "
                     f"{rows_phrase(site.rows, self.settings.batch_rows)} for each Monte Carlo sample; every pass "
                     f"holds activations for all rows{memory_phrase(site.model, site.rows)}")
        return self.foreign_finding(analysis, sites, mechanism,
                                    f"Sample per batch of {self.settings.fix_batch_size} rows, keeping `training=`")

    def _fix(self, analysis, site: ForwardSite) -> Optional[Fix]:
        if (site.method != "call" or site.model.kind == "backend.function" or site.view.via_line is not None
                or is_multi_input(site.input_expr, analysis, site.view) or helper_name_taken(analysis.module)
                or fix_blocked_by_context(analysis, site.call)):
            return None
        safety = batching_safety(site.model, site.training)
        if safety.applicability is None:
            return None
        text = batched_text(analysis, site, self.settings.fix_batch_size, call_arguments(analysis, site.call))
        return forward_fix(analysis, site.call, text, safety.applicability,
                           fix_message("Run each sample batch by batch", safety.reason), site.model.flavour)
