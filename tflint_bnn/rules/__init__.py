"""Every rule, one per module; the registry the engine, the CLI and the docs read."""

from __future__ import annotations

from typing import Dict, List, Type

from tflint_bnn.rules.base import Invalid, Rule
from tflint_bnn.rules.tfb101_full_batch_forward import FullBatchForward
from tflint_bnn.rules.tfb102_predict_in_loop import PredictInLoop
from tflint_bnn.rules.tfb103_inference_under_tape import InferenceUnderTape
from tflint_bnn.rules.tfb201_unbatched_mc_sampling import UnbatchedMonteCarloSampling
from tflint_bnn.rules.tfb202_mc_via_predict import MonteCarloViaPredict
from tflint_bnn.rules.tfb203_bulk_distribution_sample import BulkDistributionSample
from tflint_bnn.rules.tfb204_mc_outputs_retained import MonteCarloOutputsRetained
from tflint_bnn.rules.tfb205_mc_with_batchnorm import MonteCarloWithBatchNorm
from tflint_bnn.rules.tfb206_vectorized_map_mc import VectorizedMapMonteCarlo
from tflint_bnn.rules.tfb301_retrace_python_scalar import RetracePythonScalar
from tflint_bnn.rules.tfb302_retrace_shape import RetraceShape
from tflint_bnn.rules.tfb303_tf_function_in_loop import TfFunctionInLoop
from tflint_bnn.rules.tfb401_model_build_in_loop import ModelBuildInLoop
from tflint_bnn.rules.tfb501_tfp_layers_in_keras3 import TfpLayersInKeras3

ALL_RULES: List[Type[Rule]] = [
    FullBatchForward,
    PredictInLoop,
    InferenceUnderTape,
    UnbatchedMonteCarloSampling,
    MonteCarloViaPredict,
    BulkDistributionSample,
    MonteCarloOutputsRetained,
    MonteCarloWithBatchNorm,
    VectorizedMapMonteCarlo,
    RetracePythonScalar,
    RetraceShape,
    TfFunctionInLoop,
    ModelBuildInLoop,
    TfpLayersInKeras3,
]
RULES_BY_CODE: Dict[str, Type[Rule]] = {rule.code: rule for rule in ALL_RULES}

__all__ = ["ALL_RULES", "RULES_BY_CODE", "Invalid", "Rule"]
