"""The linted files as one program: the module graph, the evaluator, calling contexts and the facts rules read."""
