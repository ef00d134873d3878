"""The ``import keras`` alias: an import hook that answers ``keras.X`` with the module ``minikeras.X``.

How it works, in three pieces:

* :class:`KerasAliasFinder` sits first on ``sys.meta_path``. Asked for ``keras``, ``keras.X.Y``,
  ``tensorflow.keras`` or ``tensorflow.keras.X``, it imports ``minikeras.X.Y`` and puts *that very
  module object* into ``sys.modules`` under the Keras name (a loader may replace its module in
  ``sys.modules``; the import system returns whatever is there). So ``keras.callbacks.Callback
  is minikeras.callbacks.Callback``. Every other name (``tf_keras`` above all) is left alone.
* ``sys.modules['tensorflow']`` becomes a :class:`~minikeras.compat.tensorflow_stand_in.TensorFlowStandIn`:
  its ``keras`` is minikeras, and anything else is real TensorFlow's, imported on first use.
* Real ``keras``/``tensorflow`` modules imported before (or, by TensorFlow itself, during) the
  alias are set aside and put back by :func:`uninstall_keras_alias`.
"""
import contextlib
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import pkgutil
import sys

from .legacy import MOVED_MODULES
from .tensorflow_stand_in import TensorFlowStandIn

#: The Keras package names the alias answers, and the minikeras package each one maps to.
ALIASED_PACKAGES = {"keras": "minikeras", "tensorflow.keras": "minikeras"}

_STATE = None  # an _Installed while the alias is on


def minikeras_name(fullname):
    """Returns the minikeras module name for a Keras module name, or None if it is not aliased.

    >>> minikeras_name('keras.callbacks'), minikeras_name('tensorflow.keras'), minikeras_name('tf_keras')
    ('minikeras.callbacks', 'minikeras', None)
    >>> minikeras_name('keras.engine.topology')    # a module Keras moved: see compat.legacy
    'minikeras.compat.legacy.engine.topology'
    """
    for package, target in ALIASED_PACKAGES.items():
        if fullname == package or fullname.startswith(package + "."):
            rest = fullname[len(package) + 1:]
            return moved_name(target + "." + rest) if rest else target
    return None


def moved_name(name):
    """``minikeras.engine.topology`` -> ``minikeras.compat.legacy.engine.topology`` (see ``MOVED_MODULES``).

    Returns:
        The minikeras module that answers a Keras module that moved, else ``name`` itself.
    """
    rest = name[len("minikeras."):]
    for old, moved in MOVED_MODULES.items():
        if rest == old or rest.startswith(old + "."):
            return "minikeras." + moved + rest[len(old):]
    return name


class _ReplacingLoader(importlib.abc.Loader):
    """Loads a name by registering an existing module under it (``get_module()`` returns the module)."""

    def __init__(self, get_module):
        self.get_module = get_module

    def create_module(self, spec):
        return None  # a placeholder module, replaced in exec_module

    def exec_module(self, module):
        sys.modules[module.__name__] = self.get_module()


class KerasAliasFinder(importlib.abc.MetaPathFinder):
    """Finds ``keras.X`` (and ``tensorflow.keras.X``) as ``minikeras.X``, and ``tensorflow.X`` in real TensorFlow.

    Raises:
        ModuleNotFoundError: for a Keras module minikeras does not have (naming what it has), and
            for ``tensorflow.X`` when TensorFlow is not installed.
    """

    def find_spec(self, fullname, path=None, target=None):
        """Returns the spec that loads ``fullname`` as its minikeras module, or None for other names.

        Args:
            fullname: the dotted name being imported, e.g. ``'keras.callbacks'``.
            path: the parent package's ``__path__`` (unused: the answer depends on the name only).
            target: unused (for ``importlib.reload``).
        """
        if fullname.startswith("minikeras.") and moved_name(fullname) != fullname:
            # `from keras import engine` asks for minikeras.engine (keras is the minikeras package)
            return importlib.util.spec_from_loader(
                fullname, _ReplacingLoader(lambda: importlib.import_module(moved_name(fullname))))
        target_name = minikeras_name(fullname)
        if target_name is not None:
            try:
                found = importlib.util.find_spec(target_name) is not None
            except ModuleNotFoundError:                      # its parent is a module, not a package
                found = False
            if not found:
                parent = target_name.rpartition(".")[0]
                raise ModuleNotFoundError(f"No module named {fullname!r}: the `import keras` alias maps it to "
                                          f"{target_name!r}, which minikeras does not have. {parent} has: "
                                          f"{', '.join(_children(parent))}.", name=fullname)
            return importlib.util.spec_from_loader(fullname, _ReplacingLoader(lambda: importlib.import_module(target_name)))
        if fullname.count(".") == 1 and fullname.startswith("tensorflow.") and _STATE is not None \
                and _STATE.stand_in is not None and sys.modules.get("tensorflow") is _STATE.stand_in:
            return _real_tensorflow_spec(fullname, _STATE.stand_in)
        return None


def _real_tensorflow_spec(fullname, stand_in):
    """``tensorflow.X`` under the stand-in: found in the real TensorFlow (imported now if needed)."""
    try:
        real = stand_in._minikeras_tensorflow(fullname.partition(".")[2])
    except AttributeError as e:
        raise ModuleNotFoundError(f"No module named {fullname!r}: {e}", name=fullname) from None
    if fullname in sys.modules:                              # importing TensorFlow imported it
        existing = sys.modules[fullname]
        return importlib.util.spec_from_loader(fullname, _ReplacingLoader(lambda: existing))
    return importlib.machinery.PathFinder.find_spec(fullname, real.__path__)


def _children(package_name):
    """The public modules directly inside a minikeras package (empty for a plain module)."""
    package = importlib.import_module(package_name)
    return sorted(m.name for m in pkgutil.iter_modules(getattr(package, "__path__", []))
                  if not m.name.startswith("_") and m.name not in ("compat", "runner"))


class _Installed:
    def __init__(self):
        self.finder = KerasAliasFinder()
        self.set_aside = {}          # real keras/tensorflow.keras modules, put back on uninstall
        self.had_tensorflow = "tensorflow" in sys.modules
        self.old_tensorflow = sys.modules.get("tensorflow")
        self.stand_in = None


def is_installed():
    """True while the ``import keras`` alias is installed."""
    return _STATE is not None


def install(tensorflow=True):
    """Installs the alias (does nothing if it already is); returns True if this call installed it."""
    global _STATE
    if _STATE is not None:
        return False
    state = _Installed()
    state.set_aside = _take_keras_modules()
    sys.meta_path.insert(0, state.finder)
    if tensorflow:
        real = state.old_tensorflow
        state.stand_in = TensorFlowStandIn(importlib.import_module("minikeras"), real, _import_real_tensorflow)
        sys.modules["tensorflow"] = state.stand_in
    _STATE = state
    return True


def uninstall():
    """Removes the alias and puts back the real ``keras``/``tensorflow`` modules; returns True if it was on."""
    global _STATE
    state = _STATE
    if state is None:
        return False
    _STATE = None
    with contextlib.suppress(ValueError):
        sys.meta_path.remove(state.finder)
    _take_keras_modules()                                   # drop the alias entries
    sys.modules.update(state.set_aside)
    if state.stand_in is not None and sys.modules.get("tensorflow") is state.stand_in:
        real = state.stand_in._minikeras_real              # real TensorFlow, if it was imported meanwhile
        if real is not None:
            sys.modules["tensorflow"] = real
        elif state.had_tensorflow:
            sys.modules["tensorflow"] = state.old_tensorflow
        else:
            del sys.modules["tensorflow"]
    return True


def _take_keras_modules():
    """Removes every aliased name (``keras``, ``keras.*``, ``tensorflow.keras*``) from sys.modules; returns them."""
    taken = {name: module for name, module in sys.modules.items() if minikeras_name(name) is not None}
    for name in taken:
        del sys.modules[name]
    return taken


def _import_real_tensorflow():
    """Imports the real TensorFlow with the alias switched off (TensorFlow imports the real Keras itself).

    Returns:
        The real ``tensorflow`` module, or None if TensorFlow is not installed.
    """
    state = _STATE
    if state is None:                                      # the alias was removed meanwhile
        return importlib.import_module("tensorflow") if importlib.util.find_spec("tensorflow") else None
    stand_in = sys.modules.pop("tensorflow", None)
    sys.meta_path.remove(state.finder)
    aliased = _take_keras_modules()
    sys.modules.update(state.set_aside)
    try:
        if importlib.util.find_spec("tensorflow") is None:
            return None
        return importlib.import_module("tensorflow")
    finally:
        state.set_aside.update(_take_keras_modules())     # the real Keras TensorFlow may have imported
        sys.modules.update(aliased)
        sys.meta_path.insert(0, state.finder)
        sys.modules["tensorflow"] = stand_in
