"""Precision and recall of tflint-bnn on public repositories labelled by hand (labels only, in benchmarks/labels).

    python benchmarks/realworld.py [--mirror DIR] [--labels DIR] [--show] [REPO...]

Each labels file names a repository, the commit that was read, the files read, and every problem found by
reading (`code`) or judged not to be one (`none`), at the line where a finding belongs. The repositories
themselves are never committed: this script needs their snapshots on this machine (the search tool's `fetch`
puts them under /work/.mirror/<owner>+<name>/), checks the labelled commit out into a temporary directory, runs
the tool over the whole repository (the analysis is whole-program), and compares the findings inside the files
that were read with the labels. A finding at a place the labels do not mention is "unjudged" and listed with
--show: label it, then run again.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from tflint_bnn.environment import REQUIREMENT_FILES

HERE = Path(__file__).resolve().parent
MEMORY_AND_SPEED = ("TFB1", "TFB2", "TFB3", "TFB4")
Key = Tuple[str, Optional[int], int, str]  # (path, notebook cell or None, line, code)


def git_dir(mirror: Path, repo: str) -> Optional[Path]:
    folder = mirror / repo.replace("/", "+")
    # fetch leaves either a bare git directory or a work tree with .git (then without checked-out files)
    for candidate in (folder / "repo", folder / "repo" / ".git", folder):
        if (candidate / "HEAD").exists():
            return candidate
    return None


def checkout(git: Path, commit: str, into: Path) -> None:
    """The commit's Python files, notebooks and requirement files (which pin the Keras version the code runs
    under); snapshots lack files of 4 MiB and more: those are skipped."""
    listing = subprocess.run(["git", f"--git-dir={git}", "ls-tree", "-r", "--format=%(objectname) %(path)", commit],
                             check=True, capture_output=True, text=True).stdout.splitlines()
    wanted = [line.split(" ", 1) for line in listing
              if line.endswith((".py", ".ipynb")) or REQUIREMENT_FILES.fullmatch(line.split(" ", 1)[1].rsplit("/", 1)[-1])]
    batch = subprocess.run(["git", f"--git-dir={git}", "cat-file", "--batch"], capture_output=True,
                           input="".join(f"{sha}\n" for sha, _ in wanted).encode()).stdout
    position = 0
    for sha, path in wanted:
        header_end = batch.index(b"\n", position)
        header = batch[position:header_end].split()
        position = header_end + 1
        if header[-1] == b"missing":
            continue
        size = int(header[2])
        target = into / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(batch[position:position + size])
        position += size + 1


def lint(root: Path) -> List[dict]:
    result = subprocess.run([sys.executable, "-m", "tflint_bnn", "--output-format", "json", "--no-cache",
                             "--exit-zero", "."], cwd=root, capture_output=True, text=True)
    if result.returncode not in (0, 1, 2):
        raise RuntimeError(f"tflint-bnn failed in {root}: {result.stderr[-2000:]}")
    return json.loads(result.stdout or "[]")


def key_of(finding: dict, root: Path) -> Key:
    path = Path(finding["filename"]).resolve().relative_to(root.resolve()).as_posix()
    return path, finding.get("cell"), finding["location"]["row"], finding["code"]


def evaluate(labels: dict, findings: List[dict], root: Path) -> dict:
    read = set(labels["files_read"])
    positives: Dict[Key, str] = {}
    negatives: Dict[Tuple[str, Optional[int], int], str] = {}
    for label in labels["labels"]:
        where = (label["path"], label.get("cell"), label["line"])
        if label["code"] == "none":
            negatives[where] = label["why"]
        else:
            positives[(*where, label["code"])] = label["why"]
    counts: Counter = Counter()
    in_notebooks: Counter = Counter()  # the same (code, kind) counts, for labels and findings in .ipynb files only
    unjudged, misses, false, outside = [], [], [], []
    found_keys = set()
    for finding in findings:
        key = key_of(finding, root)
        if key[0] not in read:
            counts["outside"] += 1
            outside.append((key, finding["message"]))
            continue
        found_keys.add(key)
        code = key[3]
        if key in positives:
            kind = "tp"
        elif key[:3] in negatives or any(k[:3] == key[:3] for k in positives):
            kind = "fp"
            false.append((key, finding["message"]))
        else:
            kind = "unjudged"
            unjudged.append((key, finding["message"]))
        counts[(code, kind)] += 1
        if key[0].endswith(".ipynb"):
            in_notebooks[(code, kind)] += 1
    for key, why in positives.items():
        if key not in found_keys:
            counts[(key[3], "fn")] += 1
            if key[0].endswith(".ipynb"):
                in_notebooks[(key[3], "fn")] += 1
            misses.append((key, why))
    return {"counts": counts, "in_notebooks": in_notebooks, "unjudged": unjudged, "misses": misses, "false": false,
            "outside": outside}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repos", nargs="*", help="owner/name to run (default: every labelled repository)")
    parser.add_argument("--mirror", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--labels", type=Path, default=HERE / "labels")
    parser.add_argument("--show", action="store_true",
                        help="list misses, false findings, unjudged findings and findings in files not read")
    args = parser.parse_args()
    total: Counter = Counter()
    total_in_notebooks: Counter = Counter()
    for path in sorted(args.labels.glob("*.json")):
        labels = json.loads(path.read_text())
        if args.repos and labels["repo"] not in args.repos:
            continue
        git = git_dir(args.mirror, labels["repo"])
        if git is None:
            print(f"{labels['repo']}: no snapshot under {args.mirror}; fetch it first", file=sys.stderr)
            continue
        with tempfile.TemporaryDirectory() as scratch:
            root = Path(scratch)
            checkout(git, labels["commit"], root)
            result = evaluate(labels, lint(root), root)
        total.update(result["counts"])
        total_in_notebooks.update(result["in_notebooks"])
        counts = result["counts"]
        # counts also holds the plain key "outside" (findings in files not read), next to (code, kind) pairs
        summary = ", ".join(f"{kind} {sum(n for key, n in counts.items() if isinstance(key, tuple) and key[1] == kind)}"
                            for kind in ("tp", "fp", "fn", "unjudged"))
        print(f"{labels['repo']}: {summary}")
        if args.show:
            for title, items in (("missed", result["misses"]), ("false", result["false"]),
                                 ("unjudged", result["unjudged"]),
                                 ("outside the files read", result["outside"])):
                for key, text in items:
                    print(f"  {title}: {key[0]}{'' if key[1] is None else f' cell {key[1]}'}:{key[2]} {key[3]}: "
                          f"{text[:200]}")
    print()
    print(f"{'rule':<8}{'tp':>5}{'fp':>5}{'fn':>5}{'unjudged':>10}{'precision':>11}{'recall':>8}")
    codes = sorted({key[0] for key in total if isinstance(key, tuple) and key[1] in ("tp", "fp", "fn", "unjudged")})
    for group in [*codes, "TFB1-4"]:
        selected = [c for c in codes if (c == group or (group == "TFB1-4" and c.startswith(MEMORY_AND_SPEED)))]
        tp, fp, fn, unjudged = (sum(total[(c, kind)] for c in selected) for kind in ("tp", "fp", "fn", "unjudged"))
        precision = f"{tp / (tp + fp):.2f}" if tp + fp else "-"
        recall = f"{tp / (tp + fn):.2f}" if tp + fn else "-"
        print(f"{group:<8}{tp:>5}{fp:>5}{fn:>5}{unjudged:>10}{precision:>11}{recall:>8}")
    # Notebook support is separate work: the same figures without the sites in .ipynb files show the .py analysis alone
    memory_and_speed = [c for c in codes if c.startswith(MEMORY_AND_SPEED)]
    tp, fp, fn, unjudged = (sum(total[(c, kind)] - total_in_notebooks[(c, kind)] for c in memory_and_speed)
                            for kind in ("tp", "fp", "fn", "unjudged"))
    precision = f"{tp / (tp + fp):.2f}" if tp + fp else "-"
    recall = f"{tp / (tp + fn):.2f}" if tp + fn else "-"
    print(f"{'.py only':<8}{tp:>5}{fp:>5}{fn:>5}{unjudged:>10}{precision:>11}{recall:>8}  (TFB1-4, sites in .ipynb files left out)")
    print(f"findings outside the files read: {total['outside']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
