"""Unit tests of the validation harness itself: no TensorFlow needed."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tflint_bnn.validate import budget, catalog
from tflint_bnn.validate.outcome import ERROR, OK, OOM, classify, final_exception

REPO = Path(__file__).resolve().parents[1]

STATUS_TEXT = "Name:\tpython3\nVmPeak:\t  300000 kB\nVmData:\t   12345 kB\nVmRSS:\t    2048 kB\n"


def traceback_text(exception_lines: str) -> str:
    return (
        "2025-01-01 W tensorflow/core/framework/op_kernel.cc] some log line\n"
        "Traceback (most recent call last):\n"
        '  File "fixture.py", line 20, in <module>\n'
        "    y = model(X).numpy()\n"
        "        ^^^^^^^^\n" + exception_lines
    )


# --- budget -------------------------------------------------------------------------------------


def test_status_fields_are_read_in_bytes():
    assert budget.status_field_bytes(STATUS_TEXT, "VmData") == 12345 * 1024
    assert budget.status_field_bytes(STATUS_TEXT, "VmRSS") == 2048 * 1024


def test_missing_status_field_is_an_error():
    with pytest.raises(KeyError):
        budget.status_field_bytes(STATUS_TEXT, "VmHWM")


def test_data_limit_adds_the_budget_to_the_current_data_size():
    assert budget.data_limit(100 * 2**20, 50 * 2**20) == 150 * 2**20
    with pytest.raises(ValueError):
        budget.data_limit(100, 0)


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=REPO, timeout=60
    )


def test_applied_budget_turns_an_oversized_allocation_into_memory_error_and_lifts_again():
    proc = run_python(
        """
        import resource
        from tflint_bnn.validate import budget
        limit = budget.apply_data_budget(64 * 2**20)
        assert resource.getrlimit(resource.RLIMIT_DATA)[0] == limit
        small = bytearray(16 * 2**20)  # within the budget
        try:
            bytearray(256 * 2**20)
        except MemoryError:
            print("refused")
        budget.lift_data_budget()
        big = bytearray(256 * 2**20)  # the harness can save outputs once the work is done
        print("lifted")
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["refused", "lifted"]


def test_peak_rss_reset_measures_only_what_follows():
    proc = run_python(
        """
        from tflint_bnn.validate import budget
        block = bytearray(200 * 2**20); block[::4096] = b"x" * len(block[::4096]); del block
        if not budget.reset_peak_rss():
            raise SystemExit("clear_refs unavailable")
        print(budget.own_status_bytes("VmHWM") // 2**20)
        """
    )
    if "clear_refs unavailable" in proc.stderr:
        pytest.skip("this kernel does not allow resetting VmHWM")
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) < 150


# --- outcome classification ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "exception_lines",
    [
        "tensorflow.python.framework.errors_impl.ResourceExhaustedError: {{function_node __wrapped__MatMul}} "
        "OOM when allocating tensor with shape[100000,1024]\n\t [[{{node MatMul}}]]\nHint: If you want to see ...\n",
        "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.50 GiB\n",
        "MemoryError\n",
        "MemoryError: Unable to allocate 763. MiB for an array with shape (100000, 1000)\n",
        "jaxlib.xla_extension.XlaRuntimeError: RESOURCE_EXHAUSTED: Out of memory while trying to allocate 1.2GiB.\n",
    ],
)
def test_framework_allocation_failures_are_oom(exception_lines):
    assert classify(1, traceback_text(exception_lines)).status == OOM


@pytest.mark.parametrize(
    "exception_lines",
    [
        "ValueError: Input 0 of layer dense is incompatible with the layer\n",
        "jaxlib.xla_extension.XlaRuntimeError: INVALID_ARGUMENT: shapes do not match\n",
        "RuntimeError: OOM when allocating tensor\n",  # the words alone are not an allocation failure
    ],
)
def test_other_exceptions_are_errors(exception_lines):
    outcome = classify(1, traceback_text(exception_lines))
    assert outcome.status == ERROR
    assert outcome.detail.startswith(exception_lines.split(":")[0])


def test_the_last_of_chained_exceptions_decides():
    stderr = traceback_text("MemoryError\n") + (
        "\nDuring handling of the above exception, another exception occurred:\n\n"
        + traceback_text("KeyError: 'scores'\n")
    )
    assert final_exception(stderr) == ("KeyError", "'scores'")
    assert classify(1, stderr).status == ERROR


def test_exit_zero_is_ok_and_crashes_without_traceback_are_errors():
    assert classify(0, "").status == OK
    assert classify(-9, "").status == ERROR  # e.g. the kernel's OOM killer: no framework report, no guess
    assert classify(134, "terminate called after throwing an instance of 'std::bad_alloc'\n").status == ERROR
    assert classify(None, "").detail == "timed out"


# --- output comparison --------------------------------------------------------------------------


@pytest.fixture
def np():
    """Comparison needs numpy (part of the validate extra), not TensorFlow."""
    return pytest.importorskip("numpy")


def compare(method, original, fixed):
    from tflint_bnn.validate.compare import compare as compare_outputs

    return compare_outputs(method, original, fixed)


def test_allclose_accepts_float32_reordering_and_rejects_real_differences(np):
    rng = np.random.default_rng(0)
    scores = rng.standard_normal((1000, 10)).astype("float32")
    assert compare("allclose", {"y": scores}, {"y": scores * (1 + 1e-6)}).outputs_match is True
    assert compare("allclose", {"y": scores}, {"y": scores + 1e-2}).outputs_match is False


def test_mismatched_shapes_or_names_never_match(np):
    a = np.zeros((4, 3))
    assert compare("allclose", {"y": a}, {"y": a[:2]}).outputs_match is False
    assert compare("allclose", {"y": a}, {"z": a}).outputs_match is False


def mc_samples(np, seed, samples=20, rows=5000, loc=0.0, scale=1.0):
    rng = np.random.default_rng(seed)
    row_means = np.linspace(-3, 3, rows)[:, None]
    return row_means + loc + scale * rng.standard_normal((samples, rows, 2))


def test_row_means_accept_independent_draws_from_the_same_distribution(np):
    result = compare("row-means", {"s": mc_samples(np, 1)}, {"s": mc_samples(np, 2)})
    assert result.outputs_match is True, result.detail


def test_row_means_reject_a_shifted_distribution(np):
    result = compare("row-means", {"s": mc_samples(np, 1)}, {"s": mc_samples(np, 2, loc=1.5)})
    assert result.outputs_match is False, result.detail


def test_row_means_reject_a_fix_that_lost_the_randomness(np):
    original = mc_samples(np, 1)
    deterministic = np.broadcast_to(original.mean(axis=0), original.shape)
    result = compare("row-means", {"s": original}, {"s": deterministic})
    assert result.outputs_match is False, result.detail


def test_adds_spread_requires_identical_original_samples_and_varying_fixed_ones(np):
    identical = np.broadcast_to(mc_samples(np, 1)[:1], (20, 5000, 2))
    varying = mc_samples(np, 2)
    confirmed = compare("adds-spread", {"s": identical}, {"s": varying})
    assert confirmed.outputs_match is None and confirmed.confirmed
    assert not compare("adds-spread", {"s": varying}, {"s": varying}).confirmed
    assert not compare("adds-spread", {"s": identical}, {"s": identical}).confirmed
    last_bit_noise = identical * (1 + 1e-7 * np.random.default_rng(3).standard_normal(identical.shape))
    assert not compare("adds-spread", {"s": identical}, {"s": last_bit_noise}).confirmed


# --- sized copies of fixtures -------------------------------------------------------------------


def test_sized_source_rewrites_exactly_the_size_constants():
    source = "import numpy as np\nROWS = 100_000\nWIDTH = 64\nX = np.zeros((ROWS, WIDTH))\nEXTRA_ROWS = 5\n"
    sized = catalog.sized_source(source, rows=2_048, width=8)
    assert "ROWS = 2048\n" in sized and "WIDTH = 8\n" in sized and "EXTRA_ROWS = 5\n" in sized


def test_sized_source_refuses_a_fixture_without_the_constant():
    with pytest.raises(ValueError, match="ROWS"):
        catalog.sized_source("WIDTH = 3\n", rows=10, width=3)


def test_every_catalogued_fixture_exists_and_marks_its_rule(tmp_path):
    for spec in catalog.FIXTURES:
        text = (catalog.FIXTURES_DIR / spec.filename).read_text()
        assert f"# expect: {spec.rule}" in text, spec.name
        program = catalog.sized_tree(spec, tmp_path / spec.name)
        assert program.read_text() == text or not spec.entry and f"ROWS = {spec.rows}\n" in program.read_text()


def test_a_project_fixture_is_copied_whole_and_sized_in_the_module_defining_rows(tmp_path):
    (spec,) = [spec for spec in catalog.FIXTURES if spec.entry]
    program = catalog.sized_tree(spec, tmp_path / "copy")
    assert program == tmp_path / "copy" / spec.entry and spec.filename == f"{spec.name}/{spec.entry}"
    copied, shipped = catalog.tree_texts(tmp_path / "copy"), catalog.tree_texts(spec.source)
    assert sorted(copied) == sorted(shipped) and len(copied) >= 3
    changed = [name for name in copied if copied[name] != shipped[name]]
    assert changed == [] or all(f"ROWS = {spec.rows}\n" in copied[name] for name in changed)
    small = catalog.FixtureSpec(spec.name, spec.rule, 123, 7, 1, spec.comparison, entry=spec.entry)
    resized = catalog.tree_texts(catalog.sized_tree(small, tmp_path / "small").parent)
    (sized,) = [name for name in resized if resized[name] != shipped[name]]
    assert "ROWS = 123\n" in resized[sized] and "WIDTH = 7\n" in resized[sized] and sized != spec.entry


def test_a_tree_must_define_rows_exactly_once(tmp_path):
    source = tmp_path / "fixtures" / "twice"
    source.mkdir(parents=True)
    for module in ("main.py", "other.py"):
        (source / module).write_text("ROWS = 10\nWIDTH = 2\n")
    spec = catalog.FixtureSpec("twice", "TFB201", 5, 2, 1, "allclose", entry="main.py")
    original = catalog.FIXTURES_DIR
    catalog.FIXTURES_DIR = tmp_path / "fixtures"
    try:
        with pytest.raises(ValueError, match="one module defining ROWS"):
            catalog.sized_tree(spec, tmp_path / "copy")
    finally:
        catalog.FIXTURES_DIR = original


# --- findings of a linted tree -------------------------------------------------------------------


def test_marked_findings_match_the_module_and_the_row(tmp_path):
    from tflint_bnn.validate.linter import marked_findings, relative_name

    sources = {"main.py": "x = 1\ny = f(x)  # expect: TFB201\n", "model.py": "z = 2\nw = 3\n"}
    finding = lambda name, row, code="TFB201": {"code": code, "filename": str(tmp_path / name),
                                                 "location": {"row": row}}
    assert relative_name(tmp_path, str(tmp_path / "pkg" / "a.py")) == "pkg/a.py"
    assert marked_findings([finding("main.py", 2)], tmp_path, sources, "TFB201") == [finding("main.py", 2)]
    assert marked_findings([finding("model.py", 2)], tmp_path, sources, "TFB201") == []  # same row, other module
    assert marked_findings([finding("main.py", 1)], tmp_path, sources, "TFB201") == []
    assert marked_findings([finding("main.py", 2, "TFB101")], tmp_path, sources, "TFB201") == []


# --- work-time ratio -----------------------------------------------------------------------------


def record(status, work_seconds, work_peak_bytes=1):
    from tflint_bnn.validate.runner import RunRecord

    return RunRecord(status, None, 1, work_peak_bytes, None, 10.0, work_seconds)


def test_memory_ratio_compares_work_peaks_of_finished_runs(np):
    from tflint_bnn.validate.suite import memory_ratio

    assert memory_ratio(record("ok", 1.0, 1_452 * 2**20), record("ok", 1.0, 296 * 2**20)) == 4.9
    assert memory_ratio(record("oom", 1.0, 300), record("ok", 1.0, 30)) is None
    assert memory_ratio(record("ok", 1.0, 300), record("ok", 1.0, None)) is None
    assert memory_ratio(record("ok", 1.0, 300), record("ok", 1.0, 0)) is None


def test_time_ratio_needs_both_runs_to_finish(np):
    from tflint_bnn.validate.suite import time_ratio

    assert time_ratio(record("ok", 20.0), record("ok", 9.0)) == 0.45
    assert time_ratio(record("ok", 10.0), record("ok", 14.0)) == 1.4
    assert time_ratio(record("oom", 1.0), record("ok", 9.0)) is None  # the original never finished its work
    assert time_ratio(record("ok", 10.0), record("error", 1.0)) is None
    assert time_ratio(None, record("ok", 1.0)) is None and time_ratio(record("ok", 0.0), record("ok", 1.0)) is None


def test_time_limit_judges_only_where_set_and_measured(np):
    from tflint_bnn.validate.suite import time_problem

    assert time_problem(1.3, 1.29) is None and time_problem(1.3, 1.3) is None
    assert "1.44x" in time_problem(1.3, 1.44) and "limit 1.30x" in time_problem(1.3, 1.44)
    assert time_problem(None, 5.0) is None and time_problem(1.3, None) is None
    mc = [spec for spec in catalog.FIXTURES if spec.rule == "TFB201"]
    assert mc and all(spec.max_time_ratio == catalog.MC_TIME_RATIO == 1.3 for spec in mc)


def test_a_program_imports_the_modules_beside_it_as_python_main_py_would(np, tmp_path):
    """A project fixture's main.py runs in a child whose cwd is the harness's workdir, not the tree."""
    from tflint_bnn.validate.runner import ChildConfig, run_program

    tree, workdir = tmp_path / "tree", tmp_path / "work"
    tree.mkdir(), workdir.mkdir()
    (tree / "helper.py").write_text("VALUE = 7\n")
    (tree / "main.py").write_text("from helper import VALUE\nfrom tflint_bnn.validate.hooks import arm_budget, emit\n"
                                  "arm_budget()\nemit(value=[VALUE])\n")
    config = ChildConfig(python=sys.executable, device="cpu", backend="tensorflow")  # CPU: TF is never imported
    record, outputs = run_program(config, tree / "main.py", 0, "run", workdir)
    assert record.status == "ok", record.detail
    with np.load(outputs) as emitted:
        assert emitted["value"].tolist() == [7]


# --- claims of the speed, retracing and leak rules (pure logic) -----------------------------------

from tflint_bnn.validate import claims  # noqa: E402


def test_slope_is_the_least_squares_slope():
    assert claims.slope([1.0, 3.0, 5.0, 7.0]) == pytest.approx(2.0)
    assert claims.slope([4.0, 4.0, 4.0]) == pytest.approx(0.0)
    assert claims.slope([2.0]) is None


def test_measure_takes_the_median_call_time_and_the_growth_after_warm_up():
    mib = claims.MIB
    metrics = {
        "work_seconds": 2.5,
        "claims": {},
        # one slow first call (setup), then 10 ms calls
        "cycle_end_seconds": [1.0, 1.01, 1.02, 1.03, 1.04],
        "cycle_rss_bytes": [100 * mib, 140 * mib, 150 * mib, 155 * mib, 160 * mib],
    }
    measured = claims.measure(metrics)
    assert measured["calls"] == 5
    assert measured["per_call_ms"] == pytest.approx(10.0)
    assert measured["mean_call_ms"] == pytest.approx(208.0)
    assert measured["growth_mib_per_cycle"] == pytest.approx(5.0)  # the first SKIP_CYCLES cycles are left out
    assert claims.measure({"work_seconds": 1.0}) is None


def test_per_call_claim_needs_the_stated_speedup():
    assert claims.check("per-call", {"per_call_ms": 45.0}, {"per_call_ms": 1.2}).confirmed
    refused = claims.check("per-call", {"per_call_ms": 45.0}, {"per_call_ms": 15.0})
    assert not refused.confirmed and "3.0x" in refused.detail
    assert not claims.check("per-call", {"per_call_ms": 45.0}, {}).confirmed


def test_trace_claim_needs_a_trace_per_value_and_at_most_two_after_the_fix():
    assert claims.check("traces", {"traces": 29, "expected": 29}, {"traces": 2, "expected": 29}).confirmed
    assert not claims.check("traces", {"traces": 3, "expected": 29}, {"traces": 1, "expected": 29}).confirmed
    assert not claims.check("traces", {"traces": 29, "expected": 29}, {"traces": 29, "expected": 29}).confirmed
    assert not claims.check("traces", {"traces": 29}, {"traces": 1}).confirmed


def test_growth_claim_needs_growth_and_a_fix_that_removes_most_of_it():
    assert claims.check("growth", {"growth_mib_per_cycle": 5.9}, {"growth_mib_per_cycle": 0.2}).confirmed
    assert not claims.check("growth", {"growth_mib_per_cycle": 5.9}, {"growth_mib_per_cycle": 5.3}).confirmed
    assert not claims.check("growth", {"growth_mib_per_cycle": 0.3}, {"growth_mib_per_cycle": 0.0}).confirmed
    assert not claims.check("growth", None, {"growth_mib_per_cycle": 0.0}).confirmed


def test_claim_fixtures_run_without_a_budget_and_name_a_known_claim(tmp_path):
    claimed = [spec for spec in catalog.FIXTURES if spec.claim]
    assert {spec.rule for spec in claimed} >= {"TFB102", "TFB301", "TFB302", "TFB303", "TFB401"}
    for spec in claimed:
        assert spec.claim in claims.KINDS and spec.budget_bytes == 0 and spec.original_expected == "ok"
        text = (catalog.FIXTURES_DIR / spec.filename).read_text()
        assert catalog.sized_source(text, spec.rows, spec.width) == text
        assert catalog.sized_tree(spec, tmp_path / spec.name).read_text() == text
