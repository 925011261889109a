"""Facts about one module that every rule shares: imports, values (models, array rows), loops and call sites."""

from tflint_bnn.analysis.module import ModuleAnalysis

__all__ = ["ModuleAnalysis"]
