"""tf.functions created in a module: where, with which options, whether a loop makes a new one each iteration and
calls it there, and whether the creating statement could move before the loop without changing results."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Iterator, List, Optional, Set, Tuple

from tflint_bnn.analysis import ir
from tflint_bnn.analysis.summary import TfFunctionMade
from tflint_bnn.analysis.vocabulary import ACCUMULATING_METHODS, LIBRARY_ROOTS
from tflint_bnn.analysis.nodes import walk, names_in

if TYPE_CHECKING:
    from tflint_bnn.analysis.extract import _CallNode, _Extractor, _Scope

TF_FUNCTION = "tensorflow.function"
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
# Methods of a tf.function that only read it: asking for its trace count does not change what it computes.
_READ_ONLY_FUNCTION_METHODS = frozenset({"experimental_get_tracing_count", "pretty_printed_concrete_signatures"})


def tf_functions_made(extractor: "_Extractor") -> Iterator[TfFunctionMade]:
    for inner, node, outer in extractor.decorated:
        for decorator in node.decorator_list:
            call = decorator if isinstance(decorator, ast.Call) else None
            if ir.dotted(extractor.lower(call.func if call else decorator, outer)) == TF_FUNCTION:
                yield _made(extractor, outer, node, decorator, call, node.name, inner.key, None)
    for found in extractor.calls:
        node = found.node
        if isinstance(found.statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
                node is d for d in found.statement.decorator_list):
            continue  # `@tf.function(...)` belongs to its def
        if (not node.args or isinstance(node.args[0], ast.Starred)
                or ir.dotted(extractor.lower(node.func, found.scope)) != TF_FUNCTION):
            continue  # `tf.function(jit_compile=True)` alone is a decorator factory
        name = _assigned_name(found)
        yield _made(extractor, found.scope, node, node, node, name or extractor.index.code(node), None, found)


def _made(extractor: "_Extractor", scope: "_Scope", node: ast.AST, marker: ast.AST, options: Optional[ast.Call],
          name: str, function: Optional[str], found: Optional["_CallNode"]) -> TfFunctionMade:
    index = extractor.index
    owner = scope.function_like
    loops = extractor.loops_around(owner, node)
    wrapped_node = options.args[0] if options is not None and options.args and function is None else None
    statement = node if function is not None else (found.statement if found is not None else None)
    loop = extractor.loop_nodes[(owner.key, loops[0])] if loops else None
    bound = name if (function is not None or (found is not None and _assigned_name(found))) else None
    conditional = loop is not None and _under_if(loop, statement)
    stored = loop is not None and bound is not None and _stored(loop, bound)
    hoist, blocked = (None, None)
    if loop is not None and bound is not None and statement is not None:
        hoist, blocked = _hoist(extractor, owner, scope, loop, statement, bound, wrapped_node)
    # Called in a loop nested in this one (a per-epoch step called per batch) also retraces once per iteration of
    # this loop; counted only when nothing the function captures changes here (one made per model is on purpose).
    same_iteration = loop is not None and (
        (found is not None and found.path and isinstance(found.path[-1], ast.Call) and found.path[-1].func is node)
        or (bound is not None and _called_in(extractor, owner, loops[0], bound))
        or (bound is not None and hoist is not None
            and _called_in(extractor, owner, loops[0], bound, nested=True)))
    keywords = tuple((k.arg, k.value.value if isinstance(k.value, ast.Constant) else "<expr>")
                     for k in (options.keywords if options is not None else ()) if k.arg)
    last = None
    if options is not None and (options.args or options.keywords):
        last = index.end([*options.args, *options.keywords][-1])
    return TfFunctionMade(
        scope=owner.key, span=(index.start(marker), index.end(marker)), name=name, function=function,
        options=keywords, options_span=(index.start(options), index.end(options)) if options is not None else None,
        last_argument_end=last,
        bare_decorator=(index.start(marker), index.end(marker)) if options is None else None,
        wrapped=extractor.lower(wrapped_node, scope) if wrapped_node is not None else None,
        loops=loops, conditional=conditional, called_same_iteration=bool(same_iteration), stored=stored,
        hoist=hoist, hoist_blocked=blocked)


def _assigned_name(found: "_CallNode") -> Optional[str]:
    statement = found.statement
    if isinstance(statement, ast.Assign) and statement.value is found.node and len(statement.targets) == 1 \
            and isinstance(statement.targets[0], ast.Name):
        return statement.targets[0].id
    return None


def _under_if(loop: ast.AST, statement: Optional[ast.AST]) -> bool:
    """Created under an `if` in the loop: usually made once and cached (`if fn is None: fn = tf.function(g)`)."""
    def search(body: List[ast.stmt], conditional: bool) -> Optional[bool]:
        for child in body:
            if child is statement:
                return conditional
            for field in ("body", "orelse", "finalbody"):
                inner = getattr(child, field, None)
                if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                    found = search(inner, conditional or isinstance(child, ast.If))
                    if found is not None:
                        return found
            for handler in getattr(child, "handlers", ()):
                found = search(handler.body, conditional)
                if found is not None:
                    return found
        return None

    return bool(search(loop.body if isinstance(loop, _LOOPS) else [], False))


def _called_in(extractor: "_Extractor", owner: "_Scope", loop: int, name: str, nested: bool = False) -> bool:
    """A call of `name` directly in the loop's body (nested: or in a loop nested deeper)."""
    return any(found.scope.function_like is owner and found.loops
               and (loop in found.loops if nested else found.loops[0] == loop)
               and isinstance(found.node.func, ast.Name) and found.node.func.id == name for found in extractor.calls)


def _stored(loop: ast.AST, name: str) -> bool:
    """Also kept in a container on purpose (`fns.append(fast)`, `cache[k] = fast`)."""
    for node in _walk(loop.body if isinstance(loop, _LOOPS) else []):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr in ACCUMULATING_METHODS and any(
                    isinstance(arg, ast.Name) and arg.id == name for arg in node.args):
            return True
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and node.value.id == name and any(
                isinstance(target, (ast.Subscript, ast.Attribute)) for target in node.targets):
            return True
    return False


def _hoist(extractor: "_Extractor", owner: "_Scope", scope: "_Scope", loop: ast.AST, statement: ast.AST,
           name: str, wrapped: Optional[ast.AST]) -> Tuple[Optional[tuple], Optional[str]]:
    """(move, None) when the creating statement can go before the loop; (None, None) when it cannot move at all;
    (move, why) when moving it could change results (then the fix is unsafe)."""
    if not isinstance(loop, _LOOPS) or statement not in loop.body or len(loop.body) < 2 or any(
            other is not statement and other.lineno <= statement.end_lineno and other.end_lineno >= statement.lineno
            for other in loop.body):
        return None, None  # another statement shares its lines: moving whole lines would move it too
    mutated = {root for root in _mutated(loop.body, skip=statement) if not extractor.is_import(root, scope)}
    changing = _bound(loop.body, skip=statement) | _targets(loop) | mutated
    captured = names_in(statement) - {name}
    definition = _local_definition(owner, wrapped)
    if definition is not None:
        captured |= names_in(definition)
    captured = {c for c in captured if not extractor.is_import(c, scope)}  # modules are not values that change
    if name in changing or captured & changing or _used_before(loop, statement, name):
        return None, None
    move = _move_before(extractor, statement, loop)
    if move is None:
        return None, None
    return move, _changed_by_calls(extractor, scope, loop, statement, captured)


def _changed_by_calls(extractor: "_Extractor", scope: "_Scope", loop: ast.AST, statement: ast.AST,
                      captured: Set[str]) -> Optional[str]:
    """A call in the loop that may change what the tf.function captures: a function of this module that changes a
    captured global in place or rebinds it, or any call handed a captured object."""
    for node in _walk([s for s in loop.body if s is not statement]):
        if not isinstance(node, ast.Call):
            continue
        callee = extractor.lower(node.func, scope)
        if isinstance(callee, ir.Global) and callee.name.split(".", 1)[0] in LIBRARY_ROOTS:
            continue
        if isinstance(callee, ir.Func) and extractor.mutations.get(callee.scope, set()) & captured:
            changed = sorted(extractor.mutations[callee.scope] & captured)
            return f"`{extractor.index.code(node.func)}` changes {', '.join(f'`{c}`' for c in changed)}, which " \
                   "the tf.function captures: one made before the loop would keep the first value"
        handed = sorted({n.id for arg in node.args for n in walk(arg) if isinstance(n, ast.Name)} & captured)
        if handed and isinstance(callee, ir.Func):
            return f"`{extractor.index.code(node.func)}` receives {', '.join(f'`{h}`' for h in handed)}, which the " \
                   "tf.function captures, and may change it"
    return None


def _move_before(extractor: "_Extractor", statement: ast.AST, loop: ast.AST) -> Optional[tuple]:
    """(first row, last row, loop row, indentation) of whole source lines that can move above the loop."""
    index = extractor.index
    lines = index.lines
    first = statement.decorator_list[0] if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
        statement.decorator_list else statement
    if any(isinstance(n, ast.Constant) and isinstance(n.value, str) and "\n" in index.code(n)
           for n in walk(statement)):
        return None  # re-indenting would change a multi-line string
    first_row, column = first.lineno, index.column(statement.lineno, statement.col_offset)
    last_row = statement.end_lineno
    while last_row < len(lines) and not lines[last_row].strip() and last_row + 1 < loop.end_lineno:
        last_row += 1  # the blank lines that set a def apart travel with it
    indent = lines[first_row - 1][:column]
    loop_indent = lines[loop.lineno - 1][:index.column(loop.lineno, loop.col_offset)]
    if indent.strip() or loop_indent.strip() or any(
            line.strip() and not line.startswith(indent) for line in lines[first_row - 1:last_row]):
        return None
    return first_row, last_row, loop.lineno, len(indent), loop_indent


def _local_definition(owner: "_Scope", wrapped: Optional[ast.AST]) -> Optional[ast.AST]:
    if not isinstance(wrapped, ast.Name):
        return None
    for node in walk(owner.node):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == wrapped.id:
            return node
    return None


def _used_before(loop: ast.AST, statement: ast.AST, name: str) -> bool:
    """Read before it is made: the first iteration would see the hoisted function instead of the old value."""
    if isinstance(loop, ast.While) and name in names_in(loop.test):
        return True
    start = (statement.lineno, statement.col_offset)
    return any(isinstance(node, ast.Name) and node.id == name and (node.lineno, node.col_offset) < start
               for node in _walk(loop.body))


def _walk(body: List[ast.stmt]) -> Iterator[ast.AST]:
    for statement in body:
        yield from walk(statement)



def _targets(loop: ast.AST) -> Set[str]:
    return names_in(loop.target) if isinstance(loop, (ast.For, ast.AsyncFor)) else set()


def _bound(body: List[ast.stmt], skip: ast.AST) -> Set[str]:
    bound = set()
    for statement in body:
        if statement is skip:
            continue
        for node in walk(statement):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                bound.add(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bound.add(node.name)
    return bound


def _mutated(body: List[ast.stmt], skip: ast.AST) -> Set[str]:
    """Names whose objects the body may change in place: `x[i] = ...`, `self.w = ...`, `buf.append(...)`."""
    roots = set()
    for statement in body:
        if statement is skip:
            continue
        for node in walk(statement):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
                node, ast.AugAssign) else []
            for target in targets:
                if isinstance(target, (ast.Subscript, ast.Attribute)):
                    roots.add(_root(target))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    node.func.attr not in _READ_ONLY_FUNCTION_METHODS and not _through_call(node.func.value):
                roots.add(_root(node.func.value))  # `fast(x).numpy()` changes what fast returned, not fast
    return roots - {""}


def _through_call(node: ast.AST) -> bool:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return isinstance(node, ast.Call)


def _root(node: ast.AST) -> str:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else ""
