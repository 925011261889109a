"""Build the benchmark corpus: real TF / Keras / TFP source from PyPI, unpacked into a cache outside the repo.

The packages are the published code of tensorflow/probability, keras-team/tf-keras, keras-team/keras and
keras-team/keras-hub; PyPI is reachable wherever the project builds, so the corpus is the same everywhere.
Nothing fetched is ever written inside the repository.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import zipfile
from pathlib import Path

DEFAULT_CACHE = Path.home() / ".cache" / "tflint-bnn" / "corpus"
PACKAGES = ("tensorflow-probability==0.25.0", "tf-keras==2.21.0", "keras==3.15.1", "keras-hub==0.32.0")


def build(cache: Path = DEFAULT_CACHE, packages=PACKAGES) -> Path:
    """Download each wheel once and unpack its .py files under cache/<name>; return cache."""
    cache.mkdir(parents=True, exist_ok=True)
    wheels = cache / "_wheels"
    for spec in packages:
        target = cache / spec.split("==")[0]
        if (target / ".complete").exists():
            continue
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                        "--dest", str(wheels), spec], check=True)
        name, version = spec.split("==")
        wheel = next(wheels.glob(f"{name.replace('-', '_')}-{version}-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            for member in archive.namelist():
                if member.endswith(".py"):
                    archive.extract(member, target)
        (target / ".complete").touch()
    return cache


def python_files(cache: Path):
    return sorted(p for p in cache.rglob("*.py") if "_wheels" not in p.parts)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    root = build(parser.parse_args().cache)
    files = python_files(root)
    lines = sum(len(p.read_bytes().splitlines()) for p in files)
    print(f"{root}: {len(files):,} files, {lines:,} lines")
