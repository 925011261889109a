"""Runtime validation: run fixture programs before and after `--fix` under a memory budget.

The parent side (command, suite, runner) never imports TensorFlow; only child processes
(`python -m tflint_bnn.validate.child`) do.
"""
