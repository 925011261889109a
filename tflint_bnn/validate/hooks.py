"""The calls a fixture makes to the harness.

Fixtures import this before anything heavy, so it imports neither TensorFlow nor numpy.
Run on its own (`python fixtures/x.py`), a fixture finds no session attached and every call does nothing.
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


def emit(claims=None, **outputs) -> None:
    """Hands the fixture's final arrays (numpy or tensors) to the harness for comparison.

    claims: what a retracing fixture counted, for tflint_bnn.validate.claims: `traces` (the tf.function's
    experimental_get_tracing_count()) and `expected` (the traces the rule predicts: one per distinct value or
    shape, or per iteration that made a new tf.function).
    """
    if _session is not None:
        _session.emit(outputs, claims or {})


def end_cycle() -> None:
    """End of one repetition (a call, a build/fit/evaluate cycle): the harness records the time and RSS here."""
    if _session is not None:
        _session.end_cycle()
