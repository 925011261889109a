"""TFB303 tf-function-in-loop: a tf.function created inside a loop and called in the same iteration."""

from __future__ import annotations

from typing import Iterator, Optional, Tuple

from tflint_bnn.analysis.summary import TfFunctionMade
from tflint_bnn.findings import Applicability, Edit, Finding, FixPlan
from tflint_bnn.fixes.view import CstView
from tflint_bnn.program.facts import ModuleFacts
from tflint_bnn.rules.base import Invalid, Rule
from tflint_bnn.rules.messages import repetition_phrase, shorten

_PRELUDE = """import tensorflow as tf
from tensorflow import keras

model = keras.Sequential([keras.layers.Dense(4)])
batches = [tf.ones((32, 8)) for _ in range(10)]
"""


class TfFunctionInLoop(Rule):
    code = "TFB303"
    name = "tf-function-in-loop"
    summary = "tf.function created inside a loop and called in the same iteration: a new trace every iteration"

    VALID = (
        _PRELUDE + "fast = tf.function(model)\nfor batch in batches:\n    y = fast(batch)\n",
        _PRELUDE + "models = [model, model]\nfast = [tf.function(m) for m in models]\n",
        _PRELUDE + "serve = None\nfor batch in batches:\n    if serve is None:\n        serve = tf.function(model)\n"
                   "    y = serve(batch)\n",
        _PRELUDE + "for m in [model]:\n    fast = tf.function(m)\n    for batch in batches:\n        y = fast(batch)\n",
        _PRELUDE + "compiled = []\nfor m in [model]:\n    fast = tf.function(m)\n    compiled.append(fast)\n"
                   "    fast(batches[0])\n",
        # a factory that makes the tf.function once and caches it, called in the loop
        _PRELUDE + "_cache = {}\n\ndef compiled(m):\n    if id(m) not in _cache:\n"
                   "        _cache[id(m)] = tf.function(m)\n    return _cache[id(m)]\n\n"
                   "for batch in batches:\n    fast = compiled(model)\n    y = fast(batch)\n",
    )
    INVALID = (
        Invalid(_PRELUDE + "def compiled(m):\n    return tf.function(m)\n\nfor batch in batches:\n"
                           "    fast = compiled(model)\n    y = fast(batch)\n", None,
                ((10, 11), (10, 26)),
                '`compiled(model)` returns a new tf.function (tf.function(m) at line 7) on every call, and `fast` is '
                'called in the same iteration: a new graph is traced 10 times (the loop at line 9). Make it once, '
                'before the loop, and reuse it'),
        Invalid(_PRELUDE + "for batch in batches:\n    fast = tf.function(model)\n    y = fast(batch)\n",
                _PRELUDE + "fast = tf.function(model)\nfor batch in batches:\n    y = fast(batch)\n",
                ((7, 11), (7, 29)),
                '`fast` is a tf.function created inside the loop over `batch` and called in the same iteration: every'
                ' new tf.function traces a new graph on its first call, so this traces once per iteration (TensorFlow'
                ' warns "triggered tf.function retracing"). Create it once, before the loop'),
        Invalid(_PRELUDE + "def run(batches):\n    out = []\n    for batch in batches:\n        @tf.function\n"
                           "        def step(x):\n            return model(x, training=False)\n\n"
                           "        out.append(step(batch))\n    return out\n",
                _PRELUDE + "def run(batches):\n    out = []\n    @tf.function\n    def step(x):\n"
                           "        return model(x, training=False)\n\n    for batch in batches:\n"
                           "        out.append(step(batch))\n    return out\n",
                ((9, 9), (9, 20)),
                '`step` is a tf.function created inside the loop over `batch` and called in the same iteration: every'
                ' new tf.function traces a new graph on its first call, so this traces once per iteration (TensorFlow'
                ' warns "triggered tf.function retracing"). Create it once, before the loop'),
        Invalid(_PRELUDE + "for batch in batches:\n    scale = 2.0 * len(batch)\n"
                           "    fast = tf.function(lambda x: model(x) * scale)\n    y = fast(batch)\n", None,
                ((8, 11), (8, 50)),
                '`fast` is a tf.function created inside the loop over `batch` and called in the same iteration: every'
                ' new tf.function traces a new graph on its first call, so this traces once per iteration (TensorFlow'
                ' warns "triggered tf.function retracing"). Create it once, before the loop'),
        Invalid(_PRELUDE + "for epoch in range(5):\n    fast = tf.function(model)\n    for batch in batches:\n"
                           "        y = fast(batch).numpy()\n    print(fast.experimental_get_tracing_count())\n",
                _PRELUDE + "fast = tf.function(model)\nfor epoch in range(5):\n    for batch in batches:\n"
                           "        y = fast(batch).numpy()\n    print(fast.experimental_get_tracing_count())\n",
                ((7, 11), (7, 29)),
                '`fast` is a tf.function created inside the loop over `epoch` and called in the same iteration: every'
                ' new tf.function traces a new graph on its first call, so this traces once per iteration (TensorFlow'
                ' warns "triggered tf.function retracing"). Create it once, before the loop'),
        Invalid(_PRELUDE + "outputs = [tf.function(model)(batch) for batch in batches]\n", None,
                ((6, 11), (6, 29)),
                '`tf.function(model)` is a tf.function created inside the loop over `batch` and called in the same '
                'iteration: every new tf.function traces a new graph on its first call, so this traces once per '
                'iteration (TensorFlow warns "triggered tf.function retracing"). Create it once, before the loop'),
    )

    fix_safety = (Applicability.SAFE, Applicability.UNSAFE)

    def check(self, facts: ModuleFacts) -> Iterator[Finding]:
        for made in facts.module.tf_functions:
            function = facts.module.functions[made.scope]
            if (not made.loops or made.conditional or not made.called_same_iteration or made.stored
                    or facts.program.traced(facts.module, function)):
                continue
            loop = function.loops[made.loops[0]]
            where = (f"the loop over {', '.join(f'`{t}`' for t in sorted(loop.targets))}" if loop.targets
                     else "a `while` loop")
            text = (f"`{made.name}` is a tf.function created inside {where} and called in the same iteration: "
                    "every new tf.function traces a new graph on its first call, so this traces once per "
                    "iteration (TensorFlow warns \"triggered tf.function retracing\"). Create it once, before "
                    "the loop")
            yield self.finding(made.span, text, _hoist(made))
        for found in facts.tf_functions_from_factories():
            path, made = found.made
            where = facts.program.modules[path].location(made.span[0][0])
            text = (f"`{shorten(found.site.code)}` returns a new tf.function ({made.name} at {where}) on every call, "
                    f"and `{found.site.holder}` is called in the same iteration: a new graph is traced "
                    f"{repetition_phrase(found.levels)}. Make it once, before the loop, and reuse it")
            yield self.finding(found.site.span, text, None)


def _hoist(made: TfFunctionMade) -> Optional[FixPlan]:
    """Move the creating statement's whole lines above the loop, re-indented to its level: safe when nothing the
    function captures changes inside the loop; unsafe when a call in the loop may change it."""
    if made.hoist is None:
        return None
    first, last, loop_row, width, loop_indent = made.hoist
    message = "Create the tf.function once, before the loop: nothing it captures changes inside the loop"
    applicability = Applicability.SAFE
    if made.hoist_blocked:
        message = f"Create the tf.function once, before the loop ({made.hoist_blocked})"
        applicability = Applicability.UNSAFE

    def build(view: CstView) -> Optional[Tuple[Edit, ...]]:
        if view.node_at(made.span) is None:
            return None
        lines = view.module.code.splitlines(keepends=True)
        moved = "".join(loop_indent + line[width:] if line.strip() else line for line in lines[first - 1:last])
        if not moved.endswith(("\n", "\r")):
            moved += view.module.default_newline
        return (Edit((loop_row, 0), (loop_row, 0), moved), Edit((first, 0), (last + 1, 0), ""))

    return FixPlan(applicability, message, build)
