from .mlp import build_forecaster

__all__ = ["build_forecaster"]
