"""The two calls a fixture makes to the harness.

Fixtures import this before anything heavy, so it imports neither TensorFlow nor numpy.
Run on its own (`python fixtures/x.py`), a fixture finds no session attached and both calls do nothing.
"""

_session = None


def attach(session) -> None:
    """Called by tflint_bnn.validate.child before it runs the fixture."""
    global _session
    _session = session


def arm_budget() -> None:
    """End of setup (imports, data, model): the memory budget applies from here on."""
    if _session is not None:
        _session.arm()


def emit(**outputs) -> None:
    """Hands the fixture's final arrays (numpy or tensors) to the harness for comparison."""
    if _session is not None:
        _session.emit(outputs)
