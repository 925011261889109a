"""Move a module from Keras 3 (`import keras`, `tf.keras`) to tf_keras: rewrite its imports, its `tf.keras.X`
chains, and the Keras 3 names that have a tf_keras spelling. Anything left on Keras 3 after that (a name tf_keras
does not have, an import that cannot be split) blocks the move: a module mixing both fails at run time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from tflint_bnn.analysis.names import keras_package
from tflint_bnn.analysis.summary import KerasImport, NameUse
from tflint_bnn.findings import Edit

# tf_keras' top-level names; anything else under `keras.` is Keras 3 only (keras.ops, keras.random, keras.Variable).
TF_KERAS_NAMES = frozenset({
    "Input", "Model", "Sequential", "activations", "applications", "backend", "callbacks", "constraints",
    "datasets", "dtensor", "estimator", "experimental", "export", "initializers", "layers", "losses", "metrics",
    "mixed_precision", "models", "optimizers", "preprocessing", "regularizers", "saving", "utils", "premade",
    "__version__"})
# Keras 3 top-level aliases and their tf_keras spelling.
RENAMED = {"Layer": "layers.Layer", "Loss": "losses.Loss", "Metric": "metrics.Metric",
           "Optimizer": "optimizers.Optimizer", "Initializer": "initializers.Initializer",
           "Regularizer": "regularizers.Regularizer", "Constraint": "constraints.Constraint",
           "InputSpec": "layers.InputSpec"}
KERAS3_ONLY_DEEP = frozenset({"utils.PyDataset", "utils.Config", "layers.Pipeline"})
_PACKAGE_MODULES = {"keras": "keras", "tf.keras": "tensorflow.keras"}


@dataclass(frozen=True)
class Migration:
    edits: Tuple[Edit, ...]
    blockers: Tuple[str, ...]  # what cannot move to tf_keras: no fix then


def migrate(imports: Sequence[KerasImport], uses: Sequence[NameUse], legacy: bool,
            blocked: Sequence[str] = ()) -> Migration:
    """`blocked`: what else would break under tf_keras (a `.keras` file that Keras 3 may have written)."""
    edits: List[Edit] = []
    blockers: List[str] = list(blocked)
    moved = set()
    for position, imported in enumerate(imports):
        if not _runs_keras3(imported.target, legacy):
            continue
        edit = _rewrite(imported, imports)
        if edit is None:
            blockers.append(f"`{_short(imported.code)}` (line {imported.statement[0][0]})")
            continue
        if edit not in edits:
            edits.append(edit)
        moved.add(position)
    tensorflow_imports = {position for position, imported in enumerate(imports) if imported.target == "tensorflow"}
    chain_import = None
    for use in uses:
        if use.via in tensorflow_imports and _runs_keras3(use.qualified, legacy):
            imported = imports[use.via]
            prefix = f"{imported.bound}.keras"
            if not use.code.startswith(prefix) or not imported.top_level or imported.module_form:
                blockers.append(f"`{use.code}` (line {use.span[0][0]})")
                continue
            chain_import = chain_import or imported
            rest = use.qualified[len("tensorflow.keras"):]
            edits.append(Edit(use.span[0], use.span[1], "tf_keras" + _renamed(rest, blockers, use)))
        elif use.via in moved:
            rest = use.qualified[len(_PACKAGE_MODULES[keras_package(use.qualified)]):]
            renamed = _renamed(rest, blockers, use)
            if renamed != rest:
                edits.append(Edit(use.span[0], use.span[1], use.code[:len(use.code) - len(rest)] + renamed))
    if chain_import is not None:
        end = chain_import.statement[1]
        edits.append(Edit(end, end, "\nimport tf_keras"))
    return Migration(tuple(edits), tuple(dict.fromkeys(blockers)))


def _runs_keras3(qualified: str, legacy: bool) -> bool:
    package = keras_package(qualified)
    return package == "keras" or (package == "tf.keras" and not legacy)


def _rewrite(imported: KerasImport, imports: Sequence[KerasImport]) -> Optional[Edit]:
    """The edit that makes one import name tf_keras; None where none works."""
    if _keras3_only(imported.target):
        return None
    if not imported.module_form:
        if imported.alias is None:
            return None
        start, end = imported.alias
        if imported.bound != imported.target:  # `import tensorflow.keras as tfk`
            return Edit(imported.alias_name[0], imported.alias_name[1], _tf_keras_name(imported.target))
        if imported.target == "keras":
            return Edit(start, end, "tf_keras as keras")
        return None  # `import keras.layers` binds `keras`
    module = imported.target.rsplit(".", 1)[0]
    if keras_package(module) is not None:
        if imported.from_module is None or any(
                _keras3_only(other.target) for other in imports if other.statement == imported.statement):
            return None
        return Edit(imported.from_module[0], imported.from_module[1], _tf_keras_name(module))
    if imported.names_in_statement == 1:  # `from tensorflow import keras [as k]` -> `import tf_keras as k`
        return Edit(imported.statement[0], imported.statement[1], f"import tf_keras as {imported.bound}")
    return None  # `from tensorflow import keras, nn` would need splitting


def _renamed(rest: str, blockers: List[str], use: NameUse) -> str:
    """`.Layer` -> `.layers.Layer`; a Keras 3 only name is a blocker."""
    parts = rest.lstrip(".").split(".")
    if not parts[0]:
        return rest
    if parts[0] in RENAMED:
        return "." + ".".join([RENAMED[parts[0]], *parts[1:]])
    if parts[0] not in TF_KERAS_NAMES or ".".join(parts[:2]) in KERAS3_ONLY_DEEP:
        blockers.append(f"`{use.code}` (line {use.span[0][0]}), which tf_keras does not have")
    return rest


def _keras3_only(dotted: str) -> bool:
    package = keras_package(dotted)
    if package is None or package == "tf_keras":
        return False
    rest = dotted[len(_PACKAGE_MODULES[package]):].lstrip(".")
    return bool(rest) and (rest.split(".", 1)[0] not in TF_KERAS_NAMES
                           or ".".join(rest.split(".")[:2]) in KERAS3_ONLY_DEEP)


def _tf_keras_name(dotted: str) -> str:
    return "tf_keras" + dotted[len(_PACKAGE_MODULES[keras_package(dotted)]):]


def _short(code: str) -> str:
    return code if len(code) <= 60 else code[:57] + "..."
