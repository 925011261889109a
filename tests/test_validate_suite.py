"""End to end: every fixture on CPU, linted, fixed, run under its budget (needs the validate extra).

One run of `tflint-bnn validate` (about 15 minutes on 2 quiet cores) serves all the tests below. To check a report
already written by that command instead (the same assertions, no second run), name it in
TFLINT_BNN_VALIDATE_REPORT.
"""

import importlib.util
import json
import os
import subprocess
import sys

import pytest

from tflint_bnn.validate import catalog, claims

pytestmark = [
    pytest.mark.validate,
    pytest.mark.skipif(
        importlib.util.find_spec("tensorflow") is None,
        reason="TensorFlow is not installed: pip install -e '.[validate]' to run the runtime validation suite",
    ),
]


@pytest.fixture(scope="module")
def cpu_report(tmp_path_factory):
    if os.environ.get("TFLINT_BNN_VALIDATE_REPORT"):
        report = json.loads(open(os.environ["TFLINT_BNN_VALIDATE_REPORT"]).read())
        return {**report, "exit_status": 0 if report["all_confirmed"] else 1, "stderr": None}
    path = tmp_path_factory.mktemp("validate") / "cpu-report.json"
    proc = subprocess.run(
        [sys.executable, "-m", "tflint_bnn", "validate", "--device", "cpu", "--json", str(path)],
        capture_output=True, text=True, timeout=1200,
    )
    assert path.exists(), proc.stderr[-3000:]
    report = json.loads(path.read_text())
    report["exit_status"] = proc.returncode
    report["stderr"] = proc.stderr
    return report


def entry(report, name):
    (found,) = [f for f in report["fixtures"] if f["fixture"] == name]
    return found


@pytest.mark.parametrize("spec", catalog.FIXTURES, ids=lambda spec: spec.name)
def test_fixture_is_confirmed(cpu_report, spec):
    result = entry(cpu_report, spec.name)
    assert result["flagged"] is True, result["findings"]
    assert result["original"]["status"] == spec.original_expected, result["original"]
    assert result["fixed"]["status"] == "ok", result["fixed"]
    if spec.comparison == "adds-spread":
        assert result["outputs_match"] is None and "on purpose" in result["comparison_detail"]
    else:
        assert result["outputs_match"] is True, result["comparison_detail"]
    assert result["confirmed"], result["problems"]
    if spec.max_time_ratio:  # issue 14: the batched Monte Carlo passes cost at most 1.3x the full-array ones
        assert result["original_unbudgeted"]["status"] == "ok"
        assert 0 < result["time_ratio"] <= spec.max_time_ratio, result["time_ratio"]


def test_the_project_fixture_is_found_across_modules_and_fixed_as_a_tree(cpu_report):
    (spec,) = [spec for spec in catalog.FIXTURES if spec.entry]
    result = entry(cpu_report, spec.name)
    assert result["program"] == f"{spec.name}/{spec.entry}"
    assert [spec.rule, spec.entry] in [finding[:2] for finding in result["findings"]]
    assert result["fix_source"] == "tflint-bnn --fix --unsafe-fixes" and result["fixed_still_flagged"] is False
    assert result["original"]["status"] == "oom" and result["fixed"]["status"] == "ok"
    needs, fixed = result["original_unbudgeted"]["work_peak_bytes"], result["fixed"]["work_peak_bytes"]
    assert fixed < result["budget_bytes"] < needs


@pytest.mark.parametrize("spec", [s for s in catalog.FIXTURES if s.claim], ids=lambda spec: spec.name)
def test_claim_is_measured_on_both_runs(cpu_report, spec):
    result = entry(cpu_report, spec.name)
    original, fixed = result["original"]["claims"], result["fixed"]["claims"]
    assert original and fixed, result
    if spec.claim == "per-call":
        assert original["per_call_ms"] >= claims.MIN_SPEEDUP * fixed["per_call_ms"], result["claim_detail"]
    elif spec.claim == "traces":
        assert original["traces"] >= original["expected"] >= 5 and fixed["traces"] <= 2, result["claim_detail"]
    else:
        assert original["growth_mib_per_cycle"] >= 1.0, result["claim_detail"]
    assert result["verdict"] == "confirmed" and result["claim_confirmed"] is True, result["claim_detail"]


def test_exit_status_and_report_shape(cpu_report):
    assert cpu_report["device"] == "cpu" and cpu_report["backend"] == "tensorflow"
    assert cpu_report["exit_status"] == 0, cpu_report["stderr"][-3000:]
    if cpu_report["stderr"] is not None:  # None: a report read from a file, without the run's progress lines
        assert cpu_report["stderr"].count("\n[") + cpu_report["stderr"].startswith("[") >= len(catalog.FIXTURES)


@pytest.mark.parametrize("name", [s.name for s in catalog.FIXTURES if s.scaling_rows])
def test_original_grows_with_rows_and_fix_stays_flat(cpu_report, name):
    (scaling,) = [s for s in cpu_report["scaling"] if s["fixture"] == name]
    original = scaling["original"]["work_bytes_per_row"]
    fixed = scaling["fixed"]["work_bytes_per_row"]
    assert original > 2_000  # thousands of bytes of activations per row
    assert abs(fixed) < original / 10
