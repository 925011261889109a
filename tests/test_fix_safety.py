"""Fix safety, statically: for programs shaped like each fix-defect reproduction of issue 10 (S1-S8 and the unsafe
fixes that crashed), which fix is offered, whether it is safe, and the reason it gives; and the noise findings that
issue asked to silence or merge. Whether a fixed program really computes the same is the runtime fix-equivalence
suite's question; the helper's own behaviour is tested in test_batching_helper.py."""

import textwrap

import pytest

from tflint_bnn.engine import Linter
from tflint_bnn.findings import Applicability, Finding
from tflint_bnn.fixes.batching import HELPER_NAME, helper_source
from tflint_bnn.settings import Settings

# Small programs: the memory and call-count thresholds are off unless a test is about them.
NO_THRESHOLDS = dict(min_activation_mib=0, min_predict_calls=1, min_retained_mib=0)


def findings(source: str, **options) -> list:
    return Linter(Settings(**{**NO_THRESHOLDS, **options})).lint(textwrap.dedent(source))


def the_finding(source: str, code: str, **options) -> Finding:
    hits = [found for found in findings(source, **options) if found.code == code]
    assert len(hits) == 1, [(f.code, f.message) for f in findings(source, **options)]
    return hits[0]


def rewritten(finding: Finding) -> str:
    """The fix's edits, as text (the helper's definition left out)."""
    assert finding.fix.edits
    return " | ".join(edit.content for edit in finding.fix.edits if f"def {HELPER_NAME}(" not in edit.content)


def fixed(source: str, unsafe: bool = True, **options) -> str:
    return Linter(Settings(**{**NO_THRESHOLDS, **options})).fix(textwrap.dedent(source), unsafe_fixes=unsafe).text


# -- S1, S2: the helper may be used where the model changes later, and leaves eager values in model.losses ----------

def test_model_changed_after_a_batched_call_keeps_a_safe_fix_whose_helper_is_keyed_on_the_model_state():
    source = """
        import numpy as np
        import tf_keras as keras

        data = np.random.rand(5000, 16).astype("float32")
        net = keras.Sequential([keras.Input((16,)), keras.layers.Dense(128), keras.layers.Dense(4)])
        logits = net(data, training=False)
        net.pop()
        embedding = net(data, training=False)
    """
    hits = [found for found in findings(source) if found.code == "TFB101"]
    assert len(hits) == 2 and all(found.fix.applicability is Applicability.SAFE for found in hits)
    text = fixed(source, unsafe=False)
    assert "embedding = _batched_forward(net, data, 256, training=False)" in text
    helper = helper_source("tensorflow")
    # no graph per model alone: the key holds the layers, the variables and the layers' settings
    assert "_flatten_layers" in helper and "model.weights" in helper and "vars(layer)" in helper
    # the last batch runs eagerly, after any traced batches
    assert helper.rstrip().splitlines()[-2].strip() == "parts.append(model(rows(starts[-1]), **call_kwargs))"


def test_dropout_rate_changed_between_samples_gets_the_safe_helper():
    source = """
        import numpy as np
        from tensorflow import keras

        grid = np.random.rand(4000, 8).astype("float32")
        net = keras.Sequential([keras.Input((8,)), keras.layers.Dense(256), keras.layers.Dropout(0.2),
                                keras.layers.Dense(1)])
        for p in (0.2, 0.8):
            net.layers[1].rate = p
            draws = np.stack([net(grid, training=True).numpy() for _ in range(30)])
    """
    found = the_finding(source, "TFB201")
    assert found.fix.applicability is Applicability.SAFE
    assert rewritten(found) == "_batched_forward(net, grid, 256, training=True)"


@pytest.mark.parametrize("layer", [
    "keras.layers.Dense(64, input_shape=(4,), activity_regularizer=keras.regularizers.L2(1e-4))",
])
def test_activity_regularizer_makes_the_batched_fix_unsafe_with_model_losses_named(layer):
    source = f"""
        import numpy as np
        import tf_keras as keras

        feats = np.random.rand(9000, 4).astype("float32")
        reg = keras.Sequential([{layer}])
        scores = reg(feats, training=False)
        penalty = sum(float(v) for v in reg.losses)
    """
    found = the_finding(source, "TFB101")
    assert found.fix.applicability is Applicability.UNSAFE
    assert "`model.losses`" in found.fix.message and "last batch" in found.fix.message


def test_tfp_kl_terms_make_the_mc_fix_unsafe_with_both_reasons():
    source = """
        import numpy as np
        import tf_keras as keras
        import tensorflow_probability as tfp

        grid = np.random.rand(8000, 4).astype("float32")
        bnn = keras.Sequential([keras.Input((4,)), tfp.layers.DenseReparameterization(64), tfp.layers.DenseFlipout(1)])
        draws = [bnn(grid) for _ in range(12)]
        kl = sum(float(term) for term in bnn.losses)
    """
    found = the_finding(source, "TFB201")
    assert found.fix.applicability is Applicability.UNSAFE
    assert "one weight sample per call" in found.fix.message and "KL" in found.fix.message


# -- S3: a Lambda is not row-independent unless proven --------------------------------------------------------------

def test_lambda_layer_makes_the_batched_fix_unsafe():
    source = """
        import numpy as np
        import tensorflow as tf
        from tensorflow import keras

        table = np.random.rand(7000, 6).astype("float32")
        norm = keras.Sequential([keras.Input((6,)), keras.layers.Dense(300),
                                 keras.layers.Lambda(lambda t: t - tf.reduce_mean(t, axis=0))])
        centred = norm(table)
    """
    found = the_finding(source, "TFB101")
    assert found.fix.applicability is Applicability.UNSAFE
    assert "Lambda" in found.fix.message


# -- S4: a dict of named inputs held in a variable is not sliced like an array ---------------------------------------

def test_output_slice_of_a_dict_input_gets_no_slice_fix():
    source = """
        import numpy as np
        import tf_keras as keras

        cols = {"u": np.random.rand(4000, 5).astype("float32"), "v": np.random.rand(4000, 1).astype("float32")}
        u = keras.Input((5,), name="u")
        v = keras.Input((1,), name="v")
        net = keras.Model({"u": u, "v": v}, keras.layers.Dense(2)(keras.layers.Concatenate()([u, v])))
        chunks = []
        for k in range(0, 4000, 500):
            chunks.append(net(cols)[k:k + 500])
    """
    found = the_finding(source, "TFB101")
    assert "slice the input instead" in found.message
    assert found.fix is None


def test_dict_input_mc_pass_is_batched_entry_by_entry():
    """The helper slices dicts, lists and tuples per entry (tf.nest), so a dict of inputs can be batched."""
    source = """
        import numpy as np
        import tf_keras as keras

        feed = {"u": np.random.rand(6000, 3).astype("float32"), "v": np.random.rand(6000, 2).astype("float32")}
        u = keras.Input((3,), name="u")
        v = keras.Input((2,), name="v")
        h = keras.layers.Dropout(0.4)(keras.layers.Dense(512)(keras.layers.Concatenate()([u, v])))
        net = keras.Model({"u": u, "v": v}, keras.layers.Dense(1)(h))
        draws = np.stack([net(feed, training=True).numpy() for _ in range(8)])
    """
    found = the_finding(source, "TFB201")
    assert found.fix.applicability is Applicability.SAFE
    assert rewritten(found) == "_batched_forward(net, feed, 256, training=True)"
    assert "map_structure(lambda part: part[start:start + batch_size], x)" in helper_source("tensorflow")


# -- S5: tf_keras rejects a DataFrame in a direct call ---------------------------------------------------------------

PREDICT_ON_FRAME_ROWS = """
    import pandas as pd
    {keras}

    frame = pd.read_csv("table.csv")
    reg = keras.Sequential([keras.layers.Dense(1, input_shape=(3,))])
    out = [reg.predict(frame.iloc[j:j + 1], verbose=0) for j in range(300)]
"""


def test_predict_on_dataframe_rows_has_no_direct_call_fix_on_tf_keras():
    found = the_finding(PREDICT_ON_FRAME_ROWS.format(keras="import tf_keras as keras"), "TFB102")
    assert found.fix is None


def test_predict_on_dataframe_rows_keeps_its_safe_fix_on_keras3():
    source = PREDICT_ON_FRAME_ROWS.format(keras="from tensorflow import keras")
    found = the_finding(source, "TFB102")
    assert found.fix.applicability is Applicability.SAFE
    assert rewritten(found) == "reg(frame.iloc[j:j + 1], training=False).numpy()"


# -- S6: training passed positionally ------------------------------------------------------------------------------

def test_positional_training_becomes_a_keyword_of_the_helper():
    source = """
        import numpy as np
        import tf_keras as keras

        rows = np.random.rand(6000, 10).astype("float32")
        clf = keras.Sequential([keras.layers.Dense(200, input_shape=(10,)), keras.layers.Dropout(0.3),
                                keras.layers.Dense(3)])
        probs = clf(rows, False)
    """
    found = the_finding(source, "TFB101")
    assert found.fix.applicability is Applicability.SAFE
    assert rewritten(found) == "_batched_forward(clf, rows, 256, training=False)"


def test_positional_true_on_tf_keras_is_sampling_not_a_tfb202_finding():
    source = """
        import numpy as np
        import tf_keras as keras

        rows = np.random.rand(300, 10).astype("float32")
        clf = keras.Sequential([keras.layers.Dense(20, input_shape=(10,)), keras.layers.Dropout(0.3),
                                keras.layers.Dense(1)])
        draws = np.stack([clf(rows, True).numpy() for _ in range(25)])
        spread = draws.std(axis=0)
    """
    assert "TFB202" not in [found.code for found in findings(source)]


# -- S7: hoisting a tf.function whose captures change in the loop ------------------------------------------------------

HOIST = """
    import numpy as np
    import tensorflow as tf

    scale = np.ones(4, dtype="float32")


    def bump(step):
        {body}


    ones = tf.ones((2, 4))
    for step in range(4):
        bump(step)
        total = tf.function(lambda t: tf.reduce_sum(t * scale))
        print(float(total(ones)))
"""


@pytest.mark.parametrize("body", ["scale[1] = step", "global scale\n        scale = scale * 2"])
def test_hoisting_a_tf_function_whose_capture_changes_in_the_loop_is_unsafe(body):
    found = the_finding(HOIST.format(body=body), "TFB303")
    assert found.fix.applicability is Applicability.UNSAFE
    assert "`bump` changes `scale`" in found.fix.message


def test_hoisting_a_tf_function_with_unchanged_captures_is_safe():
    found = the_finding(HOIST.format(body="print(step)"), "TFB303")
    assert found.fix.applicability is Applicability.SAFE


# -- S8: TFB501's move to tf_keras and Keras-3-only names ------------------------------------------------------------

TFP_IN_KERAS3 = """
    import tensorflow_probability as tfp
    from tensorflow import keras


    class Halve(keras.Layer):
        def call(self, x):
            return x * 0.5


    net = keras.Sequential([Halve(), tfp.layers.DenseFlipout(1)])
    {extra}
"""


@pytest.mark.parametrize("extra", [
    "y = net(keras.ops.ones((2, 3)))",
    "w = keras.Variable(1.0)",
    "keras.config.set_floatx('float32')",
    "class Rows(keras.utils.PyDataset):\n        pass",
])
def test_tf_keras_move_is_withheld_where_keras3_only_names_are_used(extra):
    found = the_finding(TFP_IN_KERAS3.format(extra=extra), "TFB501")
    assert found.fix is None
    assert "no automatic fix" in found.message and "tf_keras does not have" in found.message


def test_tf_keras_move_renames_keras3_aliases_when_nothing_else_blocks_it():
    source = TFP_IN_KERAS3.format(extra="y = net(keras.layers.Input((3,)))")
    found = the_finding(source, "TFB501")
    assert found.fix.applicability is Applicability.SAFE
    text = fixed(source, unsafe=False)
    assert "import tf_keras as keras" in text and "class Halve(keras.layers.Layer):" in text


def test_tf_keras_chain_with_tfp_layers_gets_a_fix():
    source = """
        import tensorflow as tf
        import tensorflow_probability as tfp

        bnn = tf.keras.Sequential([tf.keras.layers.Dense(8), tfp.layers.DenseFlipout(1)])
        bnn.compile(optimizer=tf.keras.optimizers.Adam(1e-3), loss="mse")
    """
    found = the_finding(source, "TFB501")
    assert found.fix.applicability is Applicability.SAFE
    text = fixed(source, unsafe=False)
    assert "bnn = tf_keras.Sequential([tf_keras.layers.Dense(8), tfp.layers.DenseFlipout(1)])" in text
    assert "optimizer=tf_keras.optimizers.Adam(1e-3)" in text and "\nimport tf_keras\n" in text


# -- unsafe fixes that crashed ----------------------------------------------------------------------------------------

TWO_HEADS = """
    import numpy as np
    import tf_keras as keras

    grid = np.random.rand(400, 6).astype("float32")
    entry = keras.Input((6,))
    h = keras.layers.Dropout(0.3)(keras.layers.Dense(16)(entry))
    net = keras.Model(entry, [keras.layers.Dense(1)(h), keras.layers.Dense(2)(h)])
    {line}
"""


def test_mc_through_predict_on_two_outputs_is_reported_without_a_numpy_fix():
    found = the_finding(TWO_HEADS.format(line="draws = [net.predict(grid, verbose=0) for _ in range(15)]"), "TFB202")
    assert found.fix is None


def test_predict_per_row_on_two_outputs_is_reported_without_a_numpy_fix():
    source = TWO_HEADS.format(line="firsts = [net.predict(grid[j:j + 1], verbose=0) for j in range(200)]")
    assert the_finding(source, "TFB102").fix is None


def test_relaxed_shapes_are_withheld_where_the_function_reads_a_static_shape():
    source = """
        import numpy as np
        import tensorflow as tf

        pool = np.random.rand(500, 4).astype("float32")


        @tf.function
        def average(block):
            return tf.reduce_sum(block, axis=0) / block.shape[0]


        means = [average(pool[:size]) for size in range(5, 50, 5)]
    """
    assert the_finding(source, "TFB302").fix is None
    unread = source.replace("/ block.shape[0]", "/ 4.0")
    assert the_finding(unread, "TFB302").fix.applicability is Applicability.UNSAFE


def test_dict_mc_through_predict_is_a_direct_call_without_slicing_when_small():
    source = """
        import numpy as np
        import tf_keras as keras

        feed = {"u": np.random.rand(500, 3).astype("float32"), "v": np.random.rand(500, 2).astype("float32")}
        u = keras.Input((3,), name="u")
        v = keras.Input((2,), name="v")
        h = keras.layers.Dropout(0.5)(keras.layers.Dense(16)(keras.layers.Concatenate()([u, v])))
        net = keras.Model({"u": u, "v": v}, keras.layers.Dense(1)(h))
        draws = np.stack([net.predict(feed, verbose=0) for _ in range(12)])
    """
    found = the_finding(source, "TFB202")
    assert found.fix.applicability is Applicability.UNSAFE
    assert rewritten(found) == "net(feed, training=True).numpy()"


def test_mc_fix_never_passes_training_twice():
    source = """
        import numpy as np
        import tf_keras as keras

        grid = np.random.rand(300, 8).astype("float32")
        net = keras.Sequential([keras.layers.Dense(16, input_shape=(8,)), keras.layers.Dropout(0.5),
                                keras.layers.Dense(1)])
        draws = [net(grid, False) for _ in range(10)]
    """
    found = the_finding(source, "TFB202")
    assert rewritten(found) == "net(grid, training=True)"


# -- noise ---------------------------------------------------------------------------------------------------------

MC_PREDICT = """
    import numpy as np
    import tf_keras as keras

    grid = np.random.rand(300, 8).astype("float32")
    net = keras.Sequential([keras.layers.Dense(16, input_shape=(8,)), keras.layers.Dropout(0.5), keras.layers.Dense(1)])
    forecast = [net.predict(grid, verbose=0) for _ in range({count})]
"""


def test_one_iteration_is_a_point_forecast_not_monte_carlo():
    assert findings(MC_PREDICT.format(count=1)) == []
    assert [found.code for found in findings(MC_PREDICT.format(count=20))] == ["TFB202"]


PREDICT_PER_ROW = """
    import numpy as np
    import tf_keras as keras

    grid = np.random.rand(300, 8).astype("float32")
    net = keras.Sequential([keras.layers.Dense(16, input_shape=(8,)), keras.layers.Dense(1)])
    for j in range({count}):
        print(net.predict(grid[j:j + 1], verbose=0))
"""


@pytest.mark.parametrize("count", [10, 20, 50])
def test_a_few_predict_calls_are_not_worth_a_finding(count):
    assert Linter(Settings()).lint(textwrap.dedent(PREDICT_PER_ROW.format(count=count))) == []


def test_a_hundred_predict_calls_are_reported():
    codes = [found.code for found in Linter(Settings()).lint(textwrap.dedent(PREDICT_PER_ROW.format(count=100)))]
    assert codes == ["TFB102"]


KEPT_SAMPLES = """
    import numpy as np
    import tf_keras as keras

    grid = np.random.rand({rows}, 8).astype("float32")
    net = keras.Sequential([keras.layers.Dense(32, input_shape=(8,)), keras.layers.Dropout(0.5),
                            keras.layers.Dense({outputs})])
    draws = [net.predict(grid, verbose=0, batch_size=1024) for _ in range(20)]
    mean, spread = np.mean(draws, axis=0), np.std(draws, axis=0)
"""


def test_kept_samples_under_the_threshold_are_not_reported():
    # 20 samples x 50,000 rows x 1 output x 4 bytes = 4 MiB
    small = KEPT_SAMPLES.format(rows=50_000, outputs=1)
    assert "TFB204" not in [found.code for found in Linter(Settings()).lint(textwrap.dedent(small))]


def test_kept_samples_over_the_threshold_are_reported_with_their_bytes():
    big = KEPT_SAMPLES.format(rows=50_000, outputs=100)
    found = next(f for f in Linter(Settings()).lint(textwrap.dedent(big)) if f.code == "TFB204")
    assert "20 samples x 50,000 rows x 100 outputs x 4 bytes = 381 MiB" in found.message
    lowered = Linter(Settings(min_retained_mib=1)).lint(textwrap.dedent(KEPT_SAMPLES.format(rows=50_000, outputs=1)))
    assert "4 bytes = 4 MiB" in next(f for f in lowered if f.code == "TFB204").message


def test_one_finding_for_a_full_batch_mc_pass_that_keeps_its_samples():
    source = """
        import numpy as np
        import tf_keras as keras

        grid = np.random.rand(50_000, 64).astype("float32")
        net = keras.Sequential([keras.layers.Dense(1024), keras.layers.Dropout(0.5), keras.layers.Dense(100)])
        draws = [net(grid, training=True).numpy() for _ in range(50)]
        mean = np.mean(draws, axis=0)
    """
    found = findings(source)
    assert [f.code for f in found] == ["TFB201"]
    assert "keeps every sample" in found[0].message and "954 MiB" in found[0].message


def test_one_finding_for_a_vectorized_map_over_a_full_batch_pass():
    source = """
        import numpy as np
        import tensorflow as tf
        import tf_keras as keras

        grid = np.random.rand(50_000, 64).astype("float32")
        net = keras.Sequential([keras.layers.Dense(1024), keras.layers.Dropout(0.5), keras.layers.Dense(1)])
        draws = tf.vectorized_map(lambda _: net(grid, training=True), tf.range(30))
    """
    assert [f.code for f in findings(source)] == ["TFB206"]


KERAS3_BUILT_IN_DROPOUT = """
    import numpy as np
    import keras

    grid = np.random.rand(500, 8).astype("float32")
    entry = keras.Input((8,))
    h = keras.layers.Dropout(0.5)(keras.layers.Dense(64)(entry), training=True)
    net = keras.Model(entry, keras.layers.Dense(1)(h))
    {line}
"""


@pytest.mark.parametrize("line", ["draws = [net.predict(grid, verbose=0) for _ in range(20)]",
                                  "draws = [net(grid, training=False) for _ in range(20)]"])
def test_keras3_built_in_dropout_switched_off_by_inference_mode_is_reported(line):
    found = the_finding(KERAS3_BUILT_IN_DROPOUT.format(line=line), "TFB202")
    assert "on Keras 3" in found.message
    assert "training=False" not in rewritten(found)


def test_keras3_built_in_dropout_predicted_per_row_is_not_fixed_with_training_false():
    source = KERAS3_BUILT_IN_DROPOUT.format(line="for j in range(300):\n        net.predict(grid[j:j + 1])")
    found = the_finding(source, "TFB102")
    assert "on Keras 3" in found.message
    assert found.fix is None


def test_plain_calls_of_keras3_built_in_dropout_are_sampling():
    source = KERAS3_BUILT_IN_DROPOUT.format(line="draws = [net(grid) for _ in range(20)]")
    assert "TFB202" not in [found.code for found in findings(source)]


def test_training_true_on_a_loaded_model_is_never_rewritten_to_predict():
    """predict runs in inference mode: `model(x, training=True).numpy()` on a model whose layers are not visible may
    be Monte Carlo sampling, so it is batched (unsafe, layers unseen), never turned into predict."""
    source = """
        import numpy as np
        import tf_keras as keras

        grid = np.random.rand(20_000, 32).astype("float32")
        net = keras.models.load_model("mc_net.h5")
        draws = [net(grid, training=True).numpy() for _ in range(10)]
    """
    found = next(f for f in findings(source) if f.code in ("TFB101", "TFB201"))
    assert found.fix.applicability is Applicability.UNSAFE
    assert "predict" not in rewritten(found) and "training=True" in rewritten(found)
