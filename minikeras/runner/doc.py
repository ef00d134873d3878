"""``python -m minikeras doc PAGE.md``: a page's Python blocks, run in order in one namespace.

The page runs as a reader pasting its blocks into one Python session would, with three helps:

* ``import keras`` (and ``tf.keras``) means minikeras (:func:`minikeras.install_as_keras`);
* names a snippet uses without importing (``Sequential``, ``Dense``, ``np``, ``keras``, the
  callbacks...) are provided (``common_names``), and so are the data names it never defines
  (``x_train``, ``Y_test``...: see :mod:`minikeras.runner.data`);
* ``--epochs N`` caps every ``fit(epochs=...)`` for a quick run.

Pages such as Keras's Sequential guide are a string of self-contained examples, each building
its own model; one of them generates dummy ``x_train`` for itself, and a later one calls
``fit(x_train, ...)`` without defining it. Data that an example block made for its own model stays
with that example: a later block that builds a new model and reads the name without defining it
gets the provided data, shaped for its model (see :func:`reuse_example_data`).

A block that is one call whose arguments are undefined names, such as
``keras.callbacks.ModelCheckpoint(filepath, monitor='val_loss')``, is an API signature, not code:
it is skipped, and said so. Tracebacks point at the page's own line numbers.
"""
import ast
import builtins
import contextlib
import functools
import inspect
import io
import os
import sys
import time
import traceback

from ..compat import install_as_keras
from .data import DATA_NAMES, PageData, offline_loaders
from .markdown import page_blocks


class BlockResult:
    """What happened to one block: ``status`` is ``'passed'``, ``'failed'`` or ``'skipped'``.

    Attributes:
        block: the :class:`~minikeras.runner.markdown.Block`.
        status: ``'passed'``, ``'failed'`` or ``'skipped'``.
        reason: the error (failed) or why it was not run (skipped); None when passed.
        output: what the block printed, when the page was run with ``capture=True``.
        seconds: run time.
    """

    def __init__(self, block, status, reason=None, output=None, seconds=0.0):
        self.block, self.status, self.reason, self.output, self.seconds = block, status, reason, output, seconds

    def __repr__(self):
        return f"BlockResult(block {self.block.number}, line {self.block.line}: {self.status})"


class PageNamespace(dict):
    """The page's global variables; a data name the page never bound is answered by ``PageData``.

    CPython looks names up through ``__missing__`` when the globals are a dict subclass, both at
    the top level of a block and inside its functions (not directly in a class body).
    """

    def __init__(self, data=None):
        super().__init__(__name__="__main__")
        self.page_data = data
        self.example_data = set()  # data names last bound by a block that also built a model

    def __missing__(self, name):
        if self.page_data is not None and name in DATA_NAMES:
            return self.page_data.value(name, self)
        raise KeyError(name)


def common_names():
    """The names a Keras snippet may use without importing them, e.g. ``Sequential``, ``Dense``, ``np``."""
    import numpy as np

    import minikeras
    names = {"np": np, "numpy": np, "keras": minikeras, "K": minikeras.backend,
             "to_categorical": minikeras.utils.to_categorical}
    for module in (minikeras.layers, minikeras.models, minikeras.callbacks, minikeras.optimizers):
        for name in getattr(module, "__all__", []):
            if name[:1].isupper():
                names.setdefault(name, getattr(module, name))
    return names


def run_page(path, data="digits", epochs=None, capture=False, log=None):
    """Runs the Python blocks of a Markdown page in order, in one namespace.

    Args:
        path: the page (Markdown, or text with Markdown code fences).
        data: dataset for undefined data names: ``'digits'``, ``'mnist'``, ``'random'``, ``'offline'``
            (the digits, and every Keras dataset loader returns its offline stand-in), or None to provide none.
        epochs: if set, ``fit``'s ``epochs`` is capped to ``initial_epoch + epochs``.
        capture: keep each block's printed output in its result instead of printing it.
        log: function receiving the runner's report lines (default: print to stderr).

    Returns:
        list of :class:`BlockResult`, one per fenced block.
    """
    log = log or functools.partial(print, file=sys.stderr, flush=True)
    path = os.path.abspath(os.fspath(path))
    with open(path, encoding="utf-8") as f:
        blocks = page_blocks(f.read())
    namespace = PageNamespace(PageData(data, log=lambda line: log(f"  [data] {line}")) if data else None)
    results = []
    with install_as_keras(), offline_loaders(data), capped_epochs(epochs, log):
        for block in blocks:
            results.append(run_block(block, namespace, path, capture, log))
    counts = {status: sum(r.status == status for r in results) for status in ("passed", "failed", "skipped")}
    log(f"{os.path.basename(path)}: {counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped")
    return results


def run_block(block, namespace, path, capture=False, log=print):
    """Runs one block in ``namespace``; returns its :class:`BlockResult` (errors are caught and reported).

    Args:
        block: a :class:`~minikeras.runner.markdown.Block`.
        namespace: the page's :class:`PageNamespace`.
        path: the page's path, used as the file name in tracebacks.
        capture: keep what the block prints in ``result.output``.
        log: function receiving the report lines.
    """
    where = f"block {block.number} (line {block.line}, {block.language or 'no language'})"
    reason = block.skip_reason
    tree = None
    if reason is None:
        try:
            tree = ast.parse(block.code)
        except SyntaxError as e:
            line = block.line + (e.lineno or 1) - 1
            return _report(BlockResult(block, "failed", f"SyntaxError at line {line}: {e.msg}"), where, log)
        placeholders = signature_placeholders(tree, namespace)
        if placeholders:
            reason = f"an API signature: {', '.join(placeholders)} " + (
                "is a placeholder, not a defined name" if len(placeholders) == 1
                else "are placeholders, not defined names")
    if reason is not None:
        return _report(BlockResult(block, "skipped", reason), where, log)
    if block.line_offset is not None:
        ast.increment_lineno(tree, block.line_offset)
    provided = common_names()
    for name in sorted(loaded_names(tree) & set(provided)):
        if name not in namespace:
            namespace[name] = provided[name]
    log(f"{where}: running")
    reuse_example_data(tree, namespace, log)
    output = io.StringIO()
    start = time.perf_counter()
    try:
        with contextlib.redirect_stdout(output) if capture else contextlib.nullcontext():
            exec(compile(tree, path, "exec"), namespace)  # noqa: S102 - running the page is the point
    except SystemExit as e:
        if e.code not in (None, 0):
            return _report(BlockResult(block, "failed", f"SystemExit: {e.code}", output.getvalue() if capture else None,
                                       time.perf_counter() - start), where, log)
    except Exception as e:  # noqa: BLE001 - any error of the page's code is reported, and the page goes on
        log("".join(traceback.format_exception(type(e), e, e.__traceback__.tb_next)).rstrip())
        return _report(BlockResult(block, "failed", f"{type(e).__name__}: {e}", output.getvalue() if capture else None,
                                   time.perf_counter() - start), where, log)
    return _report(BlockResult(block, "passed", None, output.getvalue() if capture else None,
                               time.perf_counter() - start), where, log)


def _report(result, where, log):
    timing = f" ({result.seconds:.1f} s)" if result.status != "skipped" else ""
    log(f"{where}: {result.status}{timing}" + (f": {result.reason}" if result.reason else ""))
    return result


def reuse_example_data(tree, namespace, log=print):
    """Before a block runs: if it builds a model (calls ``Sequential`` or ``Model``), the data names
    it reads but does not bind, last bound by an earlier model-building block, are dropped so the
    page's data answers them; then records the data names this block binds, for the next block.

    Args:
        tree: the parsed block.
        namespace: the page's :class:`PageNamespace`.
        log: function receiving one line per name dropped.
    """
    bound = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    builds_model = any(isinstance(node, ast.Call) and _called_name(node.func) in ("Sequential", "Model")
                       for node in ast.walk(tree))
    if builds_model and namespace.page_data is not None:
        for name in sorted((loaded_names(tree) & namespace.example_data) - bound):
            namespace.pop(name, None)
            log(f"  [data] {name} was made by an earlier example for its own model: provided afresh")
    bound &= set(DATA_NAMES)
    namespace.example_data = (namespace.example_data | bound) if builds_model else (namespace.example_data - bound)


def _called_name(func):
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def loaded_names(tree):
    """The set of names a parsed block reads (``ast.Name`` in load context)."""
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}


def signature_placeholders(tree, namespace):
    """The undefined argument names if the block is a lone call such as ``Foo(filepath, verbose=0)``, else [].

    Args:
        tree: the parsed block.
        namespace: the page's namespace (names defined there, or provided, are not placeholders).
    """
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr) or not isinstance(tree.body[0].value, ast.Call):
        return []
    call = tree.body[0].value
    arguments = list(call.args) + [keyword.value for keyword in call.keywords]
    names = [arg.id for arg in arguments if isinstance(arg, ast.Name)]
    known = set(namespace) | set(dir(builtins)) | set(common_names()) | set(DATA_NAMES)
    return [name for name in names if name not in known]


@contextlib.contextmanager
def capped_epochs(limit, log=print):
    """While active, ``Model.fit``/``fit_generator`` train at most ``limit`` epochs (None: no cap).

    Args:
        limit: the most epochs any ``fit`` may run, or None.
        log: function receiving one line each time a call is capped.
    """
    if limit is None:
        yield
        return
    from ..models import Model
    originals = {name: Model.__dict__[name] for name in ("fit", "fit_generator")}

    def capping(method):
        signature = inspect.signature(method)

        @functools.wraps(method)
        def capped(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            extra = bound.arguments.get("kwargs", {})  # fit_generator takes initial_epoch in **kwargs
            epochs = bound.arguments.get("epochs", 1)
            start = bound.arguments.get("initial_epoch", extra.get("initial_epoch", 0))
            if isinstance(epochs, int) and isinstance(start, int) and epochs > start + limit:
                log(f"  [epochs] epochs={epochs} capped to {start + limit} (--epochs {limit})")
                bound.arguments["epochs"] = start + limit
            return method(*bound.args, **bound.kwargs)
        return capped

    for name, method in originals.items():
        setattr(Model, name, capping(method))
    try:
        yield
    finally:
        for name, method in originals.items():
            setattr(Model, name, method)
