"""``tensorflow`` while the ``import keras`` alias is installed: ``tf.keras`` is minikeras.

Tutorials write ``from tensorflow import keras`` or ``tf.keras.layers.Dense``. With the alias on,
``sys.modules['tensorflow']`` is a :class:`TensorFlowStandIn`: its ``keras`` attribute is minikeras,
and every other attribute (``tf.constant``, ``tf.__version__``, submodules) comes from the real
TensorFlow, imported the first time one is asked for. Without TensorFlow installed, those raise
an AttributeError that says so. ``tf_keras`` (real Keras 2) imports the real TensorFlow through the
stand-in and works beside the alias, since only ``keras`` is answered by minikeras.
"""
import importlib.machinery
import types

#: Dunder names passed on to the real TensorFlow; the others stay unanswered, so tools that scan
#: ``sys.modules`` (``inspect.getmodule`` looks at every ``__file__``) do not import TensorFlow.
FORWARDED_DUNDERS = {"__version__", "__all__"}


class TensorFlowStandIn(types.ModuleType):
    """A module named ``tensorflow`` whose ``keras`` is minikeras and whose other attributes are real TensorFlow's.

    Args:
        keras: the module to serve as ``tf.keras`` (minikeras).
        real: the real ``tensorflow`` module if it is already imported, else None.
        import_real: a function that imports and returns the real TensorFlow (None if not installed).
    """

    def __init__(self, keras, real, import_real):
        super().__init__("tensorflow", __doc__)
        self.__spec__ = importlib.machinery.ModuleSpec("tensorflow", None, origin="minikeras.compat")
        self.__path__ = []  # a package; its submodules are found by the alias's finder in the real TensorFlow
        self.keras = keras
        self._minikeras_real = real
        self._minikeras_import_real = import_real

    def _minikeras_tensorflow(self, name):
        if self._minikeras_real is None:
            self._minikeras_real = self._minikeras_import_real()
        if self._minikeras_real is None:
            raise AttributeError(f"module 'tensorflow' has no attribute {name!r}: TensorFlow is not installed, "
                                 f"and minikeras's stand-in provides only tf.keras. Write keras.X instead of "
                                 f"tf.X where Keras has X, or install TensorFlow.")
        return self._minikeras_real

    def is_tensor(self, x):
        """``tf.is_tensor(x)``, answered without importing TensorFlow while no script has asked for
        it (then only an object of TensorFlow's own classes can be a tensor). matplotlib asks it of
        every array it plots (whenever a module named ``tensorflow`` is loaded), and importing the
        real TensorFlow for that costs seconds and a gigabyte.

        Args:
            x: any object.

        Returns:
            bool: whether ``x`` is a TensorFlow tensor.
        """
        if self._minikeras_real is None:
            return type(x).__module__.startswith("tensorflow")
        return self._minikeras_real.is_tensor(x)

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__") and name not in FORWARDED_DUNDERS:
            raise AttributeError(name)
        return getattr(self._minikeras_tensorflow(name), name)

    def __dir__(self):
        real = [] if self._minikeras_real is None else dir(self._minikeras_real)
        return sorted(set(real) | {"keras"})

    def __repr__(self):
        return "<module 'tensorflow' (minikeras stand-in: tf.keras is minikeras)>"
