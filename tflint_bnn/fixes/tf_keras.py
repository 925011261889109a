"""Move a module from Keras 3 (`import keras`, `tf.keras`) to tf_keras by rewriting its import statements.

`tf.keras.X` chains written through `import tensorflow as tf` are not rewritten: they need a new import and
every use changed, so they stay Keras 3 and make the result mixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, FrozenSet, List, Optional, Tuple

import libcst as cst
from libcst.helpers import get_full_name_for_node

from tflint_bnn.analysis.describe import shorten
from tflint_bnn.analysis.keras_versions import (KERAS3, PACKAGE_MODULES, KerasImport, KerasVersions, keras3_only,
                                                keras_package)
from tflint_bnn.analysis.models import LOADERS
from tflint_bnn.analysis.names import keras_tail
from tflint_bnn.analysis.syntax import positional_argument
from tflint_bnn.findings import Edit
from tflint_bnn.fixes.edits import replace_node

if TYPE_CHECKING:
    from tflint_bnn.analysis import ModuleAnalysis


@dataclass(frozen=True)
class Migration:
    edits: Tuple[Edit, ...]
    rewritten: FrozenSet[KerasImport]  # imports that name tf_keras after the edits
    mixed: Tuple[str, ...]  # what stays Keras 3 after the edits, for the fix message


def migrate_to_tf_keras(analysis: "ModuleAnalysis", versions: KerasVersions) -> Migration:
    edits: List[Edit] = []
    rewritten = set()
    mixed: List[str] = []
    statements = []
    for imported in versions.imports:
        if versions.runs_keras3(imported.target) and imported.statement not in statements:
            statements.append(imported.statement)
    for statement in statements:
        imports = [imported for imported in versions.imports if imported.statement is statement]
        for edit, done in _rewrites(analysis, statement, imports):
            if edit is None:
                mixed.append(f"`{shorten(analysis.code(statement))}` (line {analysis.line(statement)})")
            else:
                edits.append(edit)
                rewritten.update(done)
    for use in versions.keras3_uses:
        if use.via not in rewritten or keras3_only(use.qualified):
            mixed.append(f"`{shorten(analysis.code(use.node))}` (line {analysis.line(use.node)})")
    mixed.extend(_keras3_files_loaded(analysis))
    return Migration(tuple(edits), frozenset(rewritten), tuple(dict.fromkeys(mixed)))


def _rewrites(analysis, statement, imports: List[KerasImport]):
    """(edit, imports it moves to tf_keras) per rewrite the statement needs; edit None where none works."""
    if isinstance(statement, cst.Import):
        for imported in imports:
            if imported.package is not None:  # `import tensorflow` itself stays
                yield _rewritten_import(analysis, imported), [imported]
        return
    module = get_full_name_for_node(statement.module) or ""
    if keras_package(module) is not None:
        if keras3_only(module) or any(keras3_only(imported.target) for imported in imports):
            yield None, []
        else:
            yield replace_node(analysis, statement.module, _tf_keras_name(module)), imports
    elif len(imports) == 1 and not isinstance(statement.names, cst.ImportStar) and len(statement.names) == 1:
        # `from tensorflow import keras [as k]` -> `import tf_keras as keras [k]`
        yield replace_node(analysis, statement, f"import tf_keras as {imports[0].bound}"), imports
    else:
        yield None, []  # `from tensorflow import keras, nn` would need splitting


def _rewritten_import(analysis, imported: KerasImport) -> Optional[Edit]:
    alias = imported.alias
    if keras3_only(imported.target):
        return None
    if alias.asname is not None:
        return replace_node(analysis, alias.name, _tf_keras_name(imported.target))
    if imported.target == PACKAGE_MODULES[KERAS3]:
        return replace_node(analysis, alias.name, "tf_keras as keras")
    return None  # `import tensorflow.keras` binds `tensorflow`; `import keras.layers` binds `keras`


def _tf_keras_name(dotted: str) -> str:
    module = PACKAGE_MODULES[keras_package(dotted)]
    return "tf_keras" + dotted[len(module):]


def _keras3_files_loaded(analysis) -> List[str]:
    """`load_model("m.keras")`: a file Keras 3 may have written, which tf_keras may fail to read."""
    found = []
    for call in analysis.calls:
        if any(keras_tail(q) in LOADERS for q in analysis.qualified_names(call.func)):
            path = positional_argument(call, 0)
            if isinstance(path, cst.SimpleString) and str(path.evaluated_value).endswith(".keras"):
                found.append(f"`{shorten(analysis.code(call))}` loads a .keras file, which Keras 3 may have "
                             f"written (line {analysis.line(call)})")
    return found
