"""Which Keras a module runs: Keras 3 or the legacy Keras 2 API of tf_keras.

TensorFlow 2.16+ ships Keras 3 as `tf.keras`. The Keras 2 API lives on as `tf_keras` (package tf-keras), and
`tf.keras` points there when TF_USE_LEGACY_KERAS=1 is set before TensorFlow is imported. Standalone `import
keras` is Keras 3 either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Dict, Iterator, List, Optional, Union

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import GlobalScope
from libcst.metadata.scope_provider import ImportAssignment

from tflint_bnn.analysis.resolve import DIRECT
from tflint_bnn.analysis.syntax import children, method_name, walk

if TYPE_CHECKING:
    from tflint_bnn.analysis.module import ModuleAnalysis

KERAS3 = "keras"  # the standalone Keras 3 package
TF_KERAS = "tf.keras"  # tensorflow.keras: Keras 3 on TF >= 2.16 unless TF_USE_LEGACY_KERAS=1
LEGACY = "tf_keras"  # the Keras 2 API (package tf-keras)
# The module each package is imported as.
PACKAGE_MODULES = {LEGACY: "tf_keras", TF_KERAS: "tensorflow.keras", KERAS3: "keras"}
LEGACY_FLAG = "TF_USE_LEGACY_KERAS"
_TRUE_VALUES = {"1", "true", "True"}
# Importing any of these imports TensorFlow, which reads TF_USE_LEGACY_KERAS once, at import time.
_IMPORTS_TENSORFLOW = {"tensorflow", "tf_keras", "tensorflow_probability", "keras"}
# First parts of Keras 3 names with no tf_keras counterpart (not exhaustive).
KERAS3_ONLY = {"ops", "random", "tree", "export", "distribution", "quantizers", "dtype_policies", "src", "api",
               "_tf_keras"}

ImportStatement = Union[cst.Import, cst.ImportFrom]


def keras_package(qualified: str) -> Optional[str]:
    """`tensorflow.keras.layers.Dense` -> TF_KERAS; None when the name is not Keras."""
    for package, module in PACKAGE_MODULES.items():
        if qualified == module or qualified.startswith(module + "."):
            return package
    return None


def keras3_only(qualified: str) -> bool:
    """`keras.ops.mean`, `tf.keras.random.normal`, `keras.src...`: Keras 3 API that tf_keras does not have."""
    package = keras_package(qualified)
    if package is None or package == LEGACY:
        return False
    rest = qualified[len(PACKAGE_MODULES[package]) + 1:]
    return rest.split(".", 1)[0] in KERAS3_ONLY


@dataclass(frozen=True, eq=False)
class KerasImport:
    """One imported name that reaches Keras or TensorFlow: `keras` in `from tensorflow import keras`."""

    statement: ImportStatement
    alias: Optional[cst.ImportAlias]  # None for `from keras.layers import *`
    target: str  # the dotted name it binds: "tensorflow.keras", "keras.layers.Dense", "tensorflow"
    bound: str  # the name the module uses: the alias, or the imported dotted name

    @property
    def package(self) -> Optional[str]:
        return keras_package(self.target)


@dataclass(frozen=True)
class KerasUse:
    """A name in the module that reaches Keras 3, and the import it goes through (None: not an import)."""

    node: cst.BaseExpression
    qualified: str
    via: Optional[KerasImport]


class KerasVersions:
    def __init__(self, analysis: "ModuleAnalysis"):
        self._analysis = analysis
        self.imports: List[KerasImport] = list(_keras_imports(analysis.module))
        self.legacy_tf_keras = self._legacy_flag_before_tensorflow()
        self._by_bound_node: Dict[int, KerasImport] = {
            id(_bound_node(imported)): imported for imported in self.imports if imported.alias is not None}

    def runs_keras3(self, qualified: str) -> bool:
        package = keras_package(qualified)
        return package == KERAS3 or (package == TF_KERAS and not self.legacy_tf_keras)

    def import_behind(self, expr: cst.BaseExpression, depth: int = 0) -> Optional[KerasImport]:
        """The import that the leftmost name of `keras.layers.Dense` comes from, through `tfk = tf.keras` aliases."""
        root = expr
        while isinstance(root, (cst.Attribute, cst.Call, cst.Subscript)):
            root = root.value if not isinstance(root, cst.Call) else root.func
        if not isinstance(root, cst.Name) or depth > 5:
            return None
        for access in self._accesses(root):
            for referent in access.referents:
                if isinstance(referent, ImportAssignment) and id(referent.as_name) in self._by_bound_node:
                    return self._by_bound_node[id(referent.as_name)]
        assigned = self._analysis.evaluator.assigned_expression(root, DIRECT)
        return self.import_behind(assigned, depth + 1) if isinstance(assigned, (cst.Name, cst.Attribute)) else None

    @cached_property
    def keras3_uses(self) -> List[KerasUse]:
        """Every name or attribute chain outside import statements that reaches Keras 3."""
        uses = []
        for chain in _name_chains(self._analysis.module):
            if not self._accesses(_leftmost(chain)):
                continue  # a name being defined, a keyword, a parameter: not a read of an import
            keras3 = sorted(q for q in self._analysis.qualified_names(chain) if self.runs_keras3(q))
            if keras3:
                uses.append(KerasUse(chain, keras3[0], self.import_behind(chain)))
        return uses

    def expression_for(self, qualified: str) -> Optional[str]:
        """How this module's top-level imports spell `qualified`: `tf.keras.backend.clear_session` after
        `import tensorflow as tf`. None when no top-level import reaches it."""
        best: Optional[KerasImport] = None
        for imported in self.imports:
            if imported.alias is None or not isinstance(self._analysis.scope_of(imported.statement), GlobalScope):
                continue
            if qualified == imported.target or qualified.startswith(imported.target + "."):
                if best is None or len(imported.target) > len(best.target):
                    best = imported
        return None if best is None else best.bound + qualified[len(best.target):]

    def _accesses(self, name: cst.Name):
        scope = self._analysis.scope_of(name)
        try:
            return scope.accesses[name] if scope is not None else ()
        except KeyError:
            return ()

    def _legacy_flag_before_tensorflow(self) -> bool:
        module = self._analysis.module
        first_import = min((self._analysis.start(statement) for statement in _tensorflow_imports(module)),
                           default=None)
        for node in walk(module):
            if _sets_legacy_flag(self._analysis, node) and (
                    first_import is None or self._analysis.start(node) < first_import):
                return True
        return False


def _keras_imports(module: cst.Module) -> Iterator[KerasImport]:
    for node in walk(module):
        if isinstance(node, cst.Import):
            for alias in node.names:
                target = get_full_name_for_node(alias.name) or ""
                if _reaches_keras(target):
                    yield KerasImport(node, alias, target, alias.evaluated_alias or target)
        elif isinstance(node, cst.ImportFrom) and not node.relative and node.module is not None:
            module_name = get_full_name_for_node(node.module) or ""
            if isinstance(node.names, cst.ImportStar):
                if keras_package(module_name) is not None:
                    yield KerasImport(node, None, module_name, "*")
                continue
            for alias in node.names:
                target = f"{module_name}.{alias.evaluated_name}"
                if keras_package(target) is not None:
                    yield KerasImport(node, alias, target, alias.evaluated_alias or alias.evaluated_name)


def _reaches_keras(target: str) -> bool:
    return keras_package(target) is not None or target == "tensorflow"


def _bound_node(imported: KerasImport) -> cst.CSTNode:
    """The node LibCST's scope analysis records for the name an import binds."""
    alias = imported.alias
    return alias.asname.name if alias.asname is not None else alias.name


def _tensorflow_imports(module: cst.Module) -> Iterator[ImportStatement]:
    for node in walk(module):
        if isinstance(node, cst.Import):
            names = [get_full_name_for_node(alias.name) or "" for alias in node.names]
        elif isinstance(node, cst.ImportFrom) and not node.relative and node.module is not None:
            names = [get_full_name_for_node(node.module) or ""]
        else:
            continue
        if any(name.split(".", 1)[0] in _IMPORTS_TENSORFLOW for name in names):
            yield node


def _sets_legacy_flag(analysis: "ModuleAnalysis", node: cst.CSTNode) -> bool:
    """`os.environ["TF_USE_LEGACY_KERAS"] = "1"`, `os.environ.setdefault(...)` or `os.environ.update(...)`."""
    if isinstance(node, cst.Assign):
        return any(_is_flag_item(analysis, target.target) for target in node.targets) and _is_true(node.value)
    if not isinstance(node, cst.Call) or method_name(node) not in {"setdefault", "update"} or not _is_environ(
            analysis, node.func.value):
        return False
    if method_name(node) == "setdefault" and len(node.args) == 2:
        return _string(node.args[0].value) == LEGACY_FLAG and _is_true(node.args[1].value)
    if method_name(node) == "update":
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == LEGACY_FLAG and _is_true(arg.value):
                return True
            if isinstance(arg.value, cst.Dict) and any(
                    isinstance(element, cst.DictElement) and _string(element.key) == LEGACY_FLAG
                    and _is_true(element.value) for element in arg.value.elements):
                return True
    return False


def _is_flag_item(analysis: "ModuleAnalysis", target: cst.BaseExpression) -> bool:
    return (isinstance(target, cst.Subscript) and _is_environ(analysis, target.value) and len(target.slice) == 1
            and isinstance(target.slice[0].slice, cst.Index) and _string(target.slice[0].slice.value) == LEGACY_FLAG)


def _is_environ(analysis: "ModuleAnalysis", expr: Optional[cst.BaseExpression]) -> bool:
    return expr is not None and "os.environ" in analysis.qualified_names(expr)


def _string(expr: Optional[cst.BaseExpression]) -> Optional[str]:
    if isinstance(expr, cst.SimpleString):
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _is_true(expr: cst.BaseExpression) -> bool:
    return _string(expr) in _TRUE_VALUES


def _name_chains(module: cst.Module) -> Iterator[cst.BaseExpression]:
    """Each dotted chain of names (`a.b.c` once, whole) outside import statements."""
    stack: List[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            continue
        if isinstance(node, cst.Name) or (isinstance(node, cst.Attribute) and isinstance(_leftmost(node), cst.Name)):
            yield node
        elif isinstance(node, cst.Attribute):
            stack.append(node.value)  # `f().attr`: only the call can hold a chain; `attr` is no name of its own
        else:
            stack.extend(children(node))


def _leftmost(chain: cst.BaseExpression) -> cst.BaseExpression:
    while isinstance(chain, cst.Attribute):
        chain = chain.value
    return chain
