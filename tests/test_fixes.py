"""The fix engine: edit application, one helper per module, newline styles, re-parsing, idempotence."""

from tflint_bnn.engine import Linter, parse
from tflint_bnn.findings import Applicability, Edit, Fix
from tflint_bnn.fixes.batching import HELPER_NAME
from tflint_bnn.fixes.edits import apply_fixes
from tflint_bnn.settings import Settings

SOURCE = '''"""Evaluate a model."""
from __future__ import annotations

import numpy as np
import tensorflow as tf

x_a = np.zeros((5000, 8), dtype="float32")
x_b = np.zeros((7000, 8), dtype="float32")
model = tf.keras.Sequential([tf.keras.layers.Dense(64), tf.keras.layers.Dropout(0.1)])
a = model(x_a, training=True)
b = model(x_b, training=True)
'''


def fix(source, unsafe=False, **options):
    """The fix engine's behaviour, whatever the costs: the memory threshold is off here."""
    return Linter(Settings(**{"min_activation_mib": 0, **options})).fix(source, unsafe_fixes=unsafe)


def test_two_fixes_insert_one_helper_after_imports():
    result = fix(SOURCE)
    assert result.error is None and len(result.applied) == 2 and result.remaining == []
    assert result.text.count(f"def {HELPER_NAME}(") == 1
    lines = result.text.splitlines()
    assert lines.index(f"def {HELPER_NAME}(model, x, batch_size, **call_kwargs):") > lines.index(
        "import tensorflow as tf")
    assert "a = _batched_forward(model, x_a, 256, training=True)" in result.text
    assert "b = _batched_forward(model, x_b, 256, training=True)" in result.text
    assert "tflint_bnn" not in result.text  # fixed code never imports the linter
    parse(result.text)


def test_fix_is_idempotent_and_a_second_run_changes_nothing():
    once = fix(SOURCE).text
    again = fix(once)
    assert again.text == once and again.applied == []


def test_fix_batch_size_option_is_written():
    assert "_batched_forward(model, x_a, 64, training=True)" in fix(SOURCE, fix_batch_size=64).text


def test_crlf_files_keep_crlf():
    crlf = SOURCE.replace("\n", "\r\n")
    result = fix(crlf)
    assert result.applied and "\r\n" in result.text and "\n" not in result.text.replace("\r\n", "")


def test_tab_indented_module_gets_tab_indented_helper():
    source = SOURCE + "if True:\n\tpass\n"
    assert "\n\timport tensorflow as tf\n" in fix(source).text


def test_unsafe_fixes_need_the_flag():
    source = SOURCE.replace("tf.keras.layers.Dropout(0.1)", "tf.keras.layers.BatchNormalization()")
    safe_only = fix(source)
    assert safe_only.applied == [] and safe_only.text == source
    unsafe = fix(source, unsafe=True)
    assert len(unsafe.applied) == 2 and all(f.fix.applicability is Applicability.UNSAFE for f in unsafe.applied)
    assert "BatchNormalization in training mode" in unsafe.applied[0].fix.message


def test_user_function_named_like_the_helper_blocks_the_batched_fix():
    source = SOURCE + f"\ndef {HELPER_NAME}(a):\n    return a\n"
    result = fix(source, unsafe=True)
    assert result.applied == [] and [f.code for f in result.remaining] == ["TFB101", "TFB101"]


def test_keras3_models_get_the_backend_neutral_helper():
    source = ("import numpy as np\nimport keras\n\nx = np.zeros((5000, 8))\n"
              "m = keras.Sequential([keras.layers.Dense(4)])\ny = m(x, training=False)\n")
    text = fix(source).text
    assert "keras.ops.concatenate" in text and "tf.concat" not in text


def test_apply_fixes_skips_overlaps_and_dedupes_identical_edits():
    source = "abcdef\n"
    insert = Edit((1, 0), (1, 0), ">")
    first = Fix(Applicability.SAFE, "", (insert, Edit((1, 1), (1, 3), "X")))
    overlapping = Fix(Applicability.SAFE, "", (Edit((1, 2), (1, 4), "Y"),))
    sharing_insert = Fix(Applicability.SAFE, "", (insert, Edit((1, 4), (1, 5), "Z")))
    text, applied = apply_fixes(source, [first, overlapping, sharing_insert])
    assert text == ">aXdZf\n"
    assert applied == [first, sharing_insert]


def test_multiline_call_is_replaced_whole():
    source = ("import numpy as np\nimport tensorflow as tf\nx = np.zeros((5000, 3))\n"
              "m = tf.keras.Sequential([tf.keras.layers.Dense(2)])\n"
              "y = m(\n    x,\n    training=False,\n).numpy()\n")
    result = fix(source)
    assert result.text.endswith("y = m.predict(x, batch_size=256, verbose=0)\n")
