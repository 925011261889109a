"""`tflint-bnn validate`: run the fixtures before and after the fix under a memory budget.

This process never imports TensorFlow; every program runs in a child of --python.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tflint_bnn.validate import catalog, report
from tflint_bnn.validate.runner import ChildConfig, package_environment


EXIT_MISSING_EXTRA = 2
_INSTALL_EXTRA = "pip install 'tflint-bnn[validate]'"


class MissingExtra(Exception):
    """What the validate extra would have installed is not there: one line, then exit 2."""


def _gpu_present() -> bool:
    if shutil.which("nvidia-smi") is None:
        return False
    listing = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True)
    return listing.returncode == 0 and "GPU" in listing.stdout


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tflint-bnn validate", description=__doc__.splitlines()[0])
    parser.add_argument("fixtures", nargs="*", metavar="FIXTURE", help="fixture names (default: all)")
    parser.add_argument("--device", choices=("cpu", "gpu"), help="default: gpu when nvidia-smi lists one")
    parser.add_argument("--json", type=Path, metavar="REPORT.json", help="write the report here")
    parser.add_argument("--plot", type=Path, metavar="memory.png", help="draw the scaling check here")
    parser.add_argument("--plot-calls", type=Path, metavar="per-call.png",
                        help="draw the TFB102 fixtures' time per call here")
    parser.add_argument("--plot-traces", type=Path, metavar="traces.png",
                        help="draw the TFB30x fixtures' trace counts here")
    parser.add_argument("--no-scaling", action="store_true", help="skip the peak-memory-vs-N check")
    parser.add_argument("--python", default=sys.executable, help="interpreter for the fixture programs")
    parser.add_argument("--workdir", type=Path, help="keep programs, outputs and child stderr here")
    return parser


def _select_backend(python: str, device: str) -> tuple[str, str]:
    """('tensorflow', reason) on CPU; on GPU, what the child interpreter's frameworks offer."""
    if device == "cpu":
        has_tf = subprocess.run(
            [python, "-c", "import importlib.util, sys; sys.exit(importlib.util.find_spec('tensorflow') is None)"]
        ).returncode == 0
        if not has_tf:
            raise MissingExtra(f"{python} cannot import TensorFlow; install the validate extra: {_INSTALL_EXTRA}")
        return "tensorflow", "CPU mode runs TensorFlow"
    probe = subprocess.run(
        [python, "-m", "tflint_bnn.validate.devices", "gpu"],
        capture_output=True, text=True, env=package_environment(),
    )
    found = json.loads(probe.stdout.strip().splitlines()[-1]) if probe.returncode == 0 else {}
    if not found.get("backend"):
        raise SystemExit(f"no GPU backend: {found.get('reason') or probe.stderr.strip()[-500:]}")
    return found["backend"], found["reason"]


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        return _validate(args)
    except MissingExtra as missing:
        print(f"tflint-bnn validate: {missing}", file=sys.stderr)
        return EXIT_MISSING_EXTRA


def _validate(args: argparse.Namespace) -> int:
    try:  # after parsing: they need numpy (the validate extra), --help must not
        from tflint_bnn.validate.scaling import measure_scaling
        from tflint_bnn.validate.suite import validate_fixture
    except ImportError as error:
        raise MissingExtra(f"needs the validate extra ({error.name or 'numpy'} is not installed): "
                           f"{_INSTALL_EXTRA}") from None

    try:
        specs = catalog.by_name(args.fixtures)
    except KeyError as err:
        print(f"tflint-bnn validate: {err.args[0]}", file=sys.stderr)
        return 2
    device = args.device or ("gpu" if _gpu_present() else "cpu")
    backend, reason = _select_backend(args.python, device)
    config = ChildConfig(python=args.python, device=device, backend=backend)
    print(f"tflint-bnn validate: device {device}, backend {backend} ({reason})", file=sys.stderr)

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tflint-bnn-validate-") as scratch:
        workdir = args.workdir or Path(scratch)
        results = []
        for index, spec in enumerate(specs, 1):
            results.append(validate_fixture(spec, config, workdir / spec.name))
            print(report.progress_line(index, len(specs), results[-1]), file=sys.stderr, flush=True)
        scaling = []
        if not args.no_scaling:
            for result in results:
                if result.spec.scaling_rows and result.fixed_text and not result.skipped:
                    scaling.append(measure_scaling(result.spec, result.fixed_text, config,
                                                   workdir / f"{result.spec.name}-scaling"))
                    print(_scaling_line(scaling[-1]), file=sys.stderr, flush=True)

    document = report.build_report(device, backend, reason, results, scaling)
    document["seconds"] = round(time.perf_counter() - started, 1)
    if args.json:
        args.json.write_text(json.dumps(document, indent=2) + "\n")
    if args.plot and scaling:
        from tflint_bnn.validate.plot import plot_scaling

        plot_scaling(scaling, device, args.plot)
    if args.plot_calls or args.plot_traces:
        from tflint_bnn.validate.plot import plot_per_call, plot_traces

        if args.plot_calls:
            plot_per_call(document, args.plot_calls)
        if args.plot_traces:
            plot_traces(document, args.plot_traces)
    confirmed = sum(result.confirmed for result in results)
    skipped = sum(bool(result.skipped) for result in results)
    print(f"tflint-bnn validate: {confirmed} confirmed, {skipped} skipped, "
          f"{len(results) - confirmed - skipped} not confirmed, {document['seconds']} s", file=sys.stderr)
    return 0 if document["all_confirmed"] else 1


def _scaling_line(entry: dict) -> str:
    def slope(variant):
        value = entry[variant]["work_bytes_per_row"]
        return "?" if value is None else f"{value:,.0f} B/row"

    return (f"scaling {entry['fixture']} at N={entry['rows']}: original {slope('original')}, "
            f"fixed {slope('fixed')} (peak RSS added by inference)")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
