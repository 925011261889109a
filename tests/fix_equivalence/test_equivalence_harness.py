"""The fix-equivalence harness's comparisons, on records made here: no TensorFlow needed."""

import pytest

np = pytest.importorskip("numpy")

import equivalence_harness as harness  # noqa: E402
import result_recorder  # noqa: E402


@pytest.fixture
def records():
    """record(...) / record_samples(...) as a program calls them; returns what they recorded."""

    def make(calls):
        result_recorder.RECORDS.clear()
        for call in calls:
            call()
        made = list(result_recorder.RECORDS)
        result_recorder.RECORDS.clear()
        return made

    return make


def test_equal_results_match(records):
    x = np.arange(12, dtype="float32").reshape(3, 4)
    before = records([lambda: result_recorder.record("x", x), lambda: result_recorder.record("n", 3.5)])
    after = records([lambda: result_recorder.record("x", x + 1e-7), lambda: result_recorder.record("n", 3.5)])
    assert harness.differences(before, after) == []


def test_values_type_dtype_and_shape_are_compared(records):
    x = np.ones((3, 4), dtype="float32")
    before = records([lambda: result_recorder.record("x", x)])
    assert "values differ" in harness.differences(before, records([lambda: result_recorder.record("x", x * 1.01)]))[0]
    assert "dtype float64" in harness.differences(
        before, records([lambda: result_recorder.record("x", x.astype("float64"))]))[0]
    assert "shape [4, 3]" in harness.differences(before, records([lambda: result_recorder.record("x", x.T)]))[0]
    assert "list instead of ndarray" in harness.differences(
        before, records([lambda: result_recorder.record("x", [x])]))[0]


def test_values_false_compares_only_the_layout(records):
    x = np.ones((2, 2), dtype="float32")
    before = records([lambda: result_recorder.record("w", x, values=False)])
    assert harness.differences(before, records([lambda: result_recorder.record("w", x * 5, values=False)])) == []


def test_nested_outputs_are_compared_item_by_item(records):
    x = np.zeros((2, 1), dtype="float32")
    before = records([lambda: result_recorder.record("heads", {"mean": x, "scale": x})])
    after = records([lambda: result_recorder.record("heads", {"mean": x, "scale": x + 1})])
    assert harness.differences(before, after) == ["heads['scale']: values differ (largest excess over the tolerance "
                                                  "1)"]


def test_monte_carlo_samples_compare_by_statistics(records):
    rng = np.random.default_rng(0)
    first = rng.normal(1.0, 0.5, size=(30, 200, 1)).astype("float32")
    second = rng.normal(1.0, 0.5, size=(30, 200, 1)).astype("float32")
    before = records([lambda: result_recorder.record_samples("s", first)])
    assert harness.differences(before, records([lambda: result_recorder.record_samples("s", second)])) == []
    narrower = records([lambda: result_recorder.record_samples("s", 1.0 + (second - 1.0) * 0.2)])
    assert "spread across samples" in harness.differences(before, narrower)[0]
    shifted = records([lambda: result_recorder.record_samples("s", second + 1.0)])
    assert "sample mean" in harness.differences(before, shifted)[0]


def test_identical_samples_never_match_varying_ones(records):
    varying = np.random.default_rng(1).normal(size=(10, 5))
    identical = np.repeat(varying[:1], 10, axis=0)
    before = records([lambda: result_recorder.record_samples("s", varying)])
    after = records([lambda: result_recorder.record_samples("s", identical)])
    assert harness.differences(before, after)[0] == "s: the samples now are all identical"


def test_a_renamed_or_missing_record_is_a_difference(records):
    before = records([lambda: result_recorder.record("a", 1.0)])
    assert harness.differences(before, records([])) == ["recorded [] instead of ['a']"]


def test_program_directives_are_read():
    programs = {program.name: program for program in harness.programs()}
    assert programs["t201_loaded_model_tfkeras"].expects == ("TFB101|TFB201",)
    assert programs["t501_sequential_tfkeras_chain"].original_fails
    assert not programs["t101_r01_pop_layer_after_call"].original_fails
