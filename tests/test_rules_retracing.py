"""TFB301-TFB303: tf.function retracing from Python numbers, changing shapes, and functions made in loops."""

import pytest

PRELUDE = """
import numpy as np
import tensorflow as tf
from tensorflow import keras
x = np.zeros((1_000, 8), dtype="float32")
model = keras.Sequential([keras.layers.Dense(4)])

@tf.function
def step(batch, value=1.0):
    return batch * value

"""
RETRACING = {"TFB301", "TFB302", "TFB303"}


def retracing(codes, source):
    return [code for code in codes(source) if code in RETRACING]


# -- TFB301 retrace-python-scalar -------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    "for i in range(100):\n    step(x, i)\n",
    "for i in range(100):\n    step(x, value=float(i) / 10)\n",
    "for i in range(100):\n    t = i / 100\n    step(x, t)\n",
    "for epoch, batch in enumerate(batches):\n    step(batch, epoch)\n",
    "lr = 0.1\nfor _ in range(100):\n    step(x, lr)\n    lr *= 0.9\n",
    "n = 0\nwhile n < 100:\n    step(x, 2 ** n)\n    n += 1\n",
    "def train(data):\n    for i in range(len(data)):\n        step(data, -i)\n",
    "fast = tf.function(lambda a, b: a * b)\nfor i in range(100):\n    fast(x, i)\n",
    "scores = [step(x, i) for i in range(100)]\n",
])
def test_python_scalar_flagged(codes, body):
    assert retracing(codes, PRELUDE + body) == ["TFB301"]


@pytest.mark.parametrize("body", [
    "for i in range(100):\n    step(x, tf.constant(i))\n",
    "for i in tf.range(100):\n    step(x, i)\n",
    "factor = 0.5\nfor i in range(100):\n    step(x, factor)\n",
    "for i in range(100):\n    factor = 0.5\n    step(x, factor)\n",
    "def plain(batch, value):\n    return batch * value\nfor i in range(100):\n    plain(x, i)\n",
    "sig = tf.function(lambda a, b: a * b, input_signature=[tf.TensorSpec(None), tf.TensorSpec(None)])\n"
    "for i in range(100):\n    sig(x, i)\n",
    "for i in range(4):\n    step(x, i)\n",  # 4 traces: below TensorFlow's own warning
    "for batch in batches:\n    step(batch, 2.0)\n",
    "lr = 0.1\nfor _ in range(100):\n    step(x, lr)\n    lr = tf.constant(0.5)\n",
    "def run(value):\n    for _ in range(100):\n        step(x, value)\n",
    "for i in range(100):\n    step(x[i], True)\n",
    "@tf.function\ndef outer(batch):\n    for i in range(10):\n        batch = step(batch, i)\n    return batch\n",
])
def test_python_scalar_silent(codes, body):
    assert "TFB301" not in codes(PRELUDE + body)


def test_python_scalar_under_import_aliases(codes):
    source = ("import tensorflow as tensorflow_alias\nfrom tensorflow import function as compile_graph\n\n"
              "@compile_graph\ndef f(a, b):\n    return a * b\n\n"
              "g = tensorflow_alias.function(f)\nfor i in range(100):\n    f(1, i)\n    g(1, i)\n")
    assert codes(source) == ["TFB301", "TFB301"]


def test_python_scalar_message_names_function_variable_and_measurement(lint):
    (finding,) = [f for f in lint(PRELUDE + "lr = 0.1\nfor _ in range(100):\n    step(x, value=lr)\n    lr *= 0.9\n")
                  if f.code == "TFB301"]
    assert "`step`" in finding.message and "`lr`" in finding.message
    assert "traced by value" in finding.message and "one new graph per distinct value" in finding.message
    assert "200 traces" in finding.message and "7.2 s" in finding.message and "0.2 s" in finding.message
    assert "tf.constant(lr)" in finding.message
    assert finding.fix is None


def test_python_scalar_points_at_the_argument(lint):
    (finding,) = lint(PRELUDE + "for i in range(100):\n    step(x, i + 1)\n")
    line = (PRELUDE + "for i in range(100):\n    step(x, i + 1)\n").splitlines()[finding.start[0] - 1]
    assert line[finding.start[1]:finding.end[1]] == "i + 1"


# -- TFB302 retrace-shape ---------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    "for i in range(1, 100):\n    step(x[:i])\n",
    "tokens = np.zeros((1, 64), dtype='int32')\nfor t in range(1, 64):\n    step(tokens[:, :t])\n",
    "for i in range(1, 100):\n    j = 2 * i\n    step(x[i:j])\n",
    "for i in range(1, 100):\n    batch = x[:i]\n    step(batch)\n",
    "for n in range(1, 100):\n    step(x[n:])\n",
    "fast = tf.function(model)\nfor n in range(1, 100):\n    fast(x[:n])\n",
    "for part in [x[:10], x[:20], x[:40]]:\n    step(part)\n",
    "@tf.function(jit_compile=True)\ndef g(batch):\n    return batch\nfor i in range(1, 100):\n    g(x[:i])\n",
])
def test_changing_shape_flagged(codes, body):
    assert retracing(codes, PRELUDE + body) == ["TFB302"]


@pytest.mark.parametrize("body", [
    "for i in range(0, len(x), 32):\n    step(x[i:i + 32])\n",
    "for k in range(len(x) // 32):\n    step(x[k * 32:(k + 1) * 32])\n",
    "b = 64\nfor start in range(0, len(x), b):\n    end = min(start + b, len(x))\n    step(x[start:end])\n",
    "for i in range(100):\n    step(x[:32])\n",
    "for i in range(100):\n    step(x[i])\n",
    "for part in [x[:10], x[10:20]]:\n    step(part)\n",
    "for i in range(1, 100):\n    tf.reduce_sum(x[:i])\n",
    "relaxed = tf.function(model, reduce_retracing=True)\nfor i in range(1, 100):\n    relaxed(x[:i])\n",
    "relaxed = tf.function(model, experimental_relax_shapes=True)\nfor i in range(1, 100):\n    relaxed(x[:i])\n",
    "sig = tf.function(model, input_signature=[tf.TensorSpec([None, 8])])\nfor i in range(1, 100):\n    sig(x[:i])\n",
    "for i in range(1, 100):\n    step(x[:i // 2 + 1])\n",  # a width it cannot expand: silent
])
def test_changing_shape_silent(codes, body):
    assert "TFB302" not in codes(PRELUDE + body)


def test_changing_shape_message(lint):
    (finding,) = lint(PRELUDE + "for i in range(1, 100):\n    step(x[:i])\n")
    assert "`step`" in finding.message and "`x[:i]`" in finding.message and "`i`" in finding.message
    assert "29 traces" in finding.message and "reduce_retracing=True" in finding.message
    assert "None dimensions" in finding.fix.message
    assert finding.fix.applicability.value == "unsafe"


@pytest.mark.parametrize("before, after", [
    ("@tf.function\ndef g(b):\n    return b\n", "@tf.function(reduce_retracing=True)\ndef g(b):\n    return b\n"),
    ("@tf.function()\ndef g(b):\n    return b\n", "@tf.function(reduce_retracing=True)\ndef g(b):\n    return b\n"),
    ("g = tf.function(model)\n", "g = tf.function(model, reduce_retracing=True)\n"),
    ("g = tf.function(\n    model,\n)\n", "g = tf.function(\n    model, reduce_retracing=True,\n)\n"),
    ("g = tf.function(model, jit_compile=True)\n",
     "g = tf.function(model, jit_compile=True, reduce_retracing=True)\n"),
])
def test_changing_shape_fix(fix, before, after):
    loop = "for i in range(1, 100):\n    g(x[:i])\n"
    result = fix(PRELUDE + before + loop)
    assert result.error is None and result.text == PRELUDE + after + loop
    assert fix(PRELUDE + before + loop, unsafe=False).text == PRELUDE + before + loop  # unsafe: opt-in only


def test_changing_shape_fix_keeps_decorator_alias(fix):
    source = ("import numpy as np\nfrom tensorflow import function as tff\nx = np.zeros((100, 4))\n\n"
              "@tff\ndef g(b):\n    return b\n\nfor i in range(1, 100):\n    g(x[:i])\n")
    assert "@tff(reduce_retracing=True)\n" in fix(source).text


def test_changing_shape_no_fix_when_option_written(lint):
    source = PRELUDE + "g = tf.function(model, reduce_retracing=False)\nfor i in range(1, 100):\n    g(x[:i])\n"
    (finding,) = lint(source)
    assert finding.code == "TFB302" and finding.fix is None


# -- TFB303 tf-function-in-loop ---------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    "for batch in batches:\n    fast = tf.function(model)\n    fast(batch)\n",
    "while True:\n    fast = tf.function(model)\n    fast(x)\n",
    "for batch in batches:\n    @tf.function\n    def inner(b):\n        return model(b)\n    inner(batch)\n",
    "for batch in batches:\n    y = tf.function(model)(batch)\n",
    "ys = [tf.function(model)(batch) for batch in batches]\n",
    "for m in models:\n    fast = tf.function(m)\n    fast(x)\n",
])
def test_function_in_loop_flagged(codes, body):
    assert retracing(codes, PRELUDE + body) == ["TFB303"]


@pytest.mark.parametrize("body", [
    "fast = tf.function(model)\nfor batch in batches:\n    fast(batch)\n",
    "fns = [tf.function(m) for m in models]\n",
    "fast = None\nfor batch in batches:\n    if fast is None:\n        fast = tf.function(model)\n    fast(batch)\n",
    "for m in models:\n    fast = tf.function(m)\n    for batch in batches:\n        fast(batch)\n",
    "cache = {}\nfor k, m in enumerate(models):\n    fast = tf.function(m)\n    cache[k] = fast\n    fast(x)\n",
    "fns = []\nfor m in models:\n    fns.append(tf.function(m))\n",
    "for batch in batches:\n    fast = tf.function(model)\n",
    "for batch in batches:\n    def make():\n        return tf.function(model)\n    make()\n",
])
def test_function_in_loop_silent(codes, body):
    assert "TFB303" not in codes(PRELUDE + body)


def test_function_in_loop_message(lint):
    (finding,) = lint(PRELUDE + "for batch in batches:\n    fast = tf.function(model)\n    fast(batch)\n")
    assert finding.code == "TFB303"
    assert "`fast`" in finding.message and "`batch`" in finding.message
    assert "triggered tf.function retracing" in finding.message and "before the loop" in finding.message


def test_hoist_fix_is_safe_and_keeps_indentation(fix):
    source = PRELUDE + ("def run(batches):\n    out = []\n    for batch in batches:\n"
                        "        fast = tf.function(model, jit_compile=True)  # compiled once\n"
                        "        out.append(tf.reduce_sum(fast(batch)))\n    return out\n")
    expected = PRELUDE + ("def run(batches):\n    out = []\n"
                          "    fast = tf.function(model, jit_compile=True)  # compiled once\n"
                          "    for batch in batches:\n        out.append(tf.reduce_sum(fast(batch)))\n"
                          "    return out\n")
    result = fix(source, unsafe=False)
    assert result.error is None and result.text == expected


def test_hoist_fix_moves_a_decorated_def_in_a_while_loop(fix):
    source = PRELUDE + ("n = 0\nwhile n < 3:\n    @tf.function\n    def inner(b):\n        return model(b)\n\n"
                        "    inner(x)\n    n += 1\n")
    expected = PRELUDE + ("n = 0\n@tf.function\ndef inner(b):\n    return model(b)\n\n"
                          "while n < 3:\n    inner(x)\n    n += 1\n")
    assert fix(source, unsafe=False).text == expected


@pytest.mark.parametrize("body", [
    # captures a value that changes in the loop: a hoisted function would keep the first one
    "for i in range(3):\n    fast = tf.function(lambda b: b * i)\n    fast(x)\n",
    "for batch in batches:\n    scale = len(batch)\n    fast = tf.function(lambda b: b * scale)\n    fast(batch)\n",
    "SCALE = 1.0\ndef g(b):\n    return b * SCALE\nfor batch in batches:\n    SCALE = SCALE * 2\n"
    "    fast = tf.function(g)\n    fast(batch)\n",
    "for batch in batches:\n    def g(b):\n        return model(b)\n    fast = tf.function(g)\n    fast(batch)\n",
    "for m in models:\n    fast = tf.function(m)\n    fast(x)\n",
    "for batch in batches:\n    config.update(step=1)\n    fast = tf.function(lambda b: b * config['scale'])\n"
    "    fast(batch)\n",
    # read before it is made, or made twice
    "fast = tf.function(model)\nfor batch in batches:\n    fast(batch)\n"
    "    fast = tf.function(model)\n    fast(batch)\n",
    # not directly in the loop body, or not alone on its line
    "for batch in batches:\n    with tf.device('/cpu:0'):\n        fast = tf.function(model)\n        fast(batch)\n",
    "for batch in batches:\n    fast = tf.function(model); fast(batch)\n",
    "for batch in batches:\n    y = tf.function(model)(batch)\n",
    # a multi-line string would change when re-indented
    "for batch in batches:\n    @tf.function\n    def inner(b):\n        '''Doc\n        string.'''\n"
    "        return model(b)\n    inner(batch)\n",
])
def test_no_hoist_fix_when_it_could_change_behaviour(lint, body):
    findings = [f for f in lint(PRELUDE + body) if f.code == "TFB303"]
    assert len(findings) == 1 and findings[0].fix is None
