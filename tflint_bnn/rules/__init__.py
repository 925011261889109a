"""Every rule, one per module; the registry the engine, the CLI and the docs read."""

from __future__ import annotations

from typing import Dict, List, Type

from tflint_bnn.rules.base import Invalid, Rule
from tflint_bnn.rules.tfb101_full_batch_forward import FullBatchForward
from tflint_bnn.rules.tfb102_predict_in_loop import PredictInLoop
from tflint_bnn.rules.tfb201_unbatched_mc_sampling import UnbatchedMonteCarloSampling
from tflint_bnn.rules.tfb202_mc_via_predict import MonteCarloViaPredict
from tflint_bnn.rules.tfb203_bulk_distribution_sample import BulkDistributionSample

ALL_RULES: List[Type[Rule]] = [
    FullBatchForward,
    PredictInLoop,
    UnbatchedMonteCarloSampling,
    MonteCarloViaPredict,
    BulkDistributionSample,
]
RULES_BY_CODE: Dict[str, Type[Rule]] = {rule.code: rule for rule in ALL_RULES}

__all__ = ["ALL_RULES", "RULES_BY_CODE", "Invalid", "Rule"]
