"""Which Keras a module runs, and the imports and names a move to tf_keras would rewrite (TFB501).

TensorFlow 2.16+ ships Keras 3 as `tf.keras`. The Keras 2 API lives on as `tf_keras` (package tf-keras), and
`tf.keras` points there when TF_USE_LEGACY_KERAS=1 is set before TensorFlow is imported. Standalone `import
keras` is Keras 3 either way.
"""

from __future__ import annotations

import ast
import re
from typing import Callable, Iterator, List, Optional

from tflint_bnn.analysis.index import ModuleIndex
from tflint_bnn.analysis.names import keras_package
from tflint_bnn.analysis.summary import KerasImport, NameUse
from tflint_bnn.analysis.nodes import children, walk

LEGACY_FLAG = "TF_USE_LEGACY_KERAS"
_TRUE_VALUES = {"1", "true", "True"}
# Importing any of these imports TensorFlow, which reads TF_USE_LEGACY_KERAS once, at import time.
_IMPORTS_TENSORFLOW = {"tensorflow", "tf_keras", "tensorflow_probability", "keras"}


def keras_imports(index: ModuleIndex, statements: List[ast.stmt]) -> List[KerasImport]:
    """The Keras (and `tensorflow`) imports among the module's import statements."""
    found = []
    for node in statements:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if keras_package(alias.name) is not None or alias.name == "tensorflow":
                    found.append(_record(index, node, alias, alias.name, alias.asname or alias.name, False))
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            for alias in node.names:
                target = f"{node.module}.{alias.name}" if alias.name != "*" else node.module
                if keras_package(target) is not None:
                    found.append(_record(index, node, alias, target, alias.asname or alias.name, True))
    return sorted(found, key=lambda imported: imported.statement)


def _record(index: ModuleIndex, statement: ast.stmt, alias: ast.alias, target: str, bound: str,
            module_form: bool) -> KerasImport:
    span = (index.start(statement), index.end(statement))
    alias_span = name_span = None
    if hasattr(alias, "lineno") and alias.name != "*":
        alias_span = (index.start(alias), index.end(alias))
        name_span = (alias_span[0], (alias_span[0][0], alias_span[0][1] + len(alias.name)))
    from_module = None
    if module_form:
        code = index.code(statement)
        match = re.match(r"from\s+", code)
        if match and "\n" not in code[:match.end() + len(statement.module)]:
            start = (span[0][0], span[0][1] + match.end())
            from_module = (start, (start[0], start[1] + len(statement.module)))
    return KerasImport(span, alias_span, name_span, target, bound, module_form, from_module, len(statement.names),
                       statement.col_offset == 0, index.code(statement).splitlines()[0])


# Keyword arguments of Keras 1 (`fit(nb_epoch=...)`, `Dense(W_regularizer=...)`): Keras 2 still took them, with a
# warning; Keras 3 rejects them. Code that passes them runs Keras 2 or older.
_KERAS1_ARGUMENTS = ("nb_epoch", "nb_val_samples", "samples_per_epoch", "W_regularizer", "b_regularizer",
                     "W_constraint", "b_constraint", "border_mode", "nb_filter", "nb_row", "nb_col")
_KERAS1_KEYWORDS = re.compile(r"\b(?:" + "|".join(_KERAS1_ARGUMENTS) + r")\s*=(?!=)")


def passes_keras1_arguments(index: ModuleIndex) -> bool:
    text = index.text  # `in` tests first: the regex over every file cost a cold run 0.6 s
    return any(name in text for name in _KERAS1_ARGUMENTS) and _KERAS1_KEYWORDS.search(text) is not None


def legacy_flag_before_tensorflow(index: ModuleIndex, dotted: Callable[[ast.AST], Optional[str]]) -> bool:
    """`os.environ["TF_USE_LEGACY_KERAS"] = "1"` (or setdefault / update) before TensorFlow is first imported."""
    if LEGACY_FLAG not in index.text:
        return False
    imports = [(node.lineno, node.col_offset) for node in walk(index.tree) if _imports_tensorflow(node)]
    first = min(imports, default=None)
    for node in walk(index.tree):
        if _sets_flag(node, dotted) and (first is None or (node.lineno, node.col_offset) < first):
            return True
    return False


def keras_uses(index: ModuleIndex, imports: List[KerasImport],
               dotted: Callable[[ast.AST], Optional[str]]) -> List[NameUse]:
    """Every name or attribute chain outside imports that reaches Keras (tf.keras through `import tensorflow` too),
    with the import it goes through."""
    by_bound = {imported.bound.split(".", 1)[0]: position for position, imported in enumerate(imports)}
    uses = []
    for chain in _chains(index.tree):
        root = chain
        while isinstance(root, ast.Attribute):
            root = root.value
        if not isinstance(root, ast.Name) or root.id not in by_bound:
            continue
        qualified = dotted(chain)
        if qualified is None or keras_package(qualified) is None:
            continue
        uses.append(NameUse((index.start(chain), index.end(chain)), index.code(chain), qualified, by_bound[root.id]))
    return uses


def _chains(tree: ast.AST) -> Iterator[ast.AST]:
    """Each dotted chain of names (`a.b.c` once, whole) outside import statements, loaded."""
    stack: List[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            yield node
            continue
        if isinstance(node, ast.Attribute) and _root_is_name(node):
            yield node
            continue
        stack.extend(children(node))


def _root_is_name(node: ast.AST) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _imports_tensorflow(node: ast.AST) -> bool:
    if isinstance(node, ast.Import):
        return any(alias.name.split(".", 1)[0] in _IMPORTS_TENSORFLOW for alias in node.names)
    if isinstance(node, ast.ImportFrom) and not node.level and node.module:
        return node.module.split(".", 1)[0] in _IMPORTS_TENSORFLOW
    return False


def _sets_flag(node: ast.AST, dotted: Callable[[ast.AST], Optional[str]]) -> bool:
    if isinstance(node, ast.Assign):
        return any(isinstance(t, ast.Subscript) and dotted(t.value) == "os.environ" and _string(t.slice) == LEGACY_FLAG
                   for t in node.targets) and _string(node.value) in _TRUE_VALUES
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("setdefault", "update") and dotted(node.func.value) == "os.environ"):
        return False
    if node.func.attr == "setdefault":
        return len(node.args) == 2 and _string(node.args[0]) == LEGACY_FLAG and _string(node.args[1]) in _TRUE_VALUES
    if any(k.arg == LEGACY_FLAG and _string(k.value) in _TRUE_VALUES for k in node.keywords):
        return True
    return any(isinstance(arg, ast.Dict) and any(_string(k) == LEGACY_FLAG and _string(v) in _TRUE_VALUES
                                                 for k, v in zip(arg.keys, arg.values)) for arg in node.args)


def _string(node: Optional[ast.AST]) -> Optional[str]:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None
