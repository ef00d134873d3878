"""Names that moved between Keras 2 versions, so older and newer Keras code both import.

Two mechanisms, both used only through the ``import keras`` alias's view of minikeras:

* Whole modules Keras had and minikeras has not (``keras.engine``, ``keras.engine.topology``,
  ``keras.callbacks.callbacks``, ``keras.callbacks.tensorboard_v1``, ``keras.layers.recurrent``)
  are the thin modules of this package; :data:`MOVED_MODULES` is the table the alias reads.
* Modules minikeras has, but with fewer names than Keras 2.2.4 kept there (``keras.layers.core``
  held ``Reshape``, minikeras keeps it in ``layers.reshaping``), answer the missing names through
  :func:`moved_attribute` (their module ``__getattr__``); :data:`MOVED_ATTRIBUTES` lists them.

>>> moved_attribute('minikeras.layers.core', 'Reshape').__name__
'Reshape'
"""
import importlib

#: Keras module (after ``keras.``) -> the minikeras module (after ``minikeras.``) that answers it.
MOVED_MODULES = {
    "engine": "compat.legacy.engine",
    "callbacks.callbacks": "compat.legacy.callbacks",
    "callbacks.tensorboard_v1": "compat.legacy.tensorboard_v1",
    "layers.recurrent": "compat.legacy.recurrent",
}

#: minikeras module -> names Keras 2.2.4 kept in that module, found in ``minikeras.layers``.
MOVED_ATTRIBUTES = {
    "minikeras.layers.core": ("Masking", "SpatialDropout1D", "SpatialDropout2D", "Reshape", "Permute",
                              "RepeatVector", "Lambda", "ActivityRegularization"),
    "minikeras.layers.convolutional": ("Conv2DTranspose", "SeparableConv2D", "DepthwiseConv2D", "UpSampling1D",
                                       "UpSampling2D", "ZeroPadding1D", "ZeroPadding2D", "Cropping1D",
                                       "Cropping2D"),
    "minikeras.layers.pooling": ("GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalAveragePooling1D",
                                 "GlobalAveragePooling2D", "GlobalAvgPool2D", "GlobalMaxPool2D"),
    "minikeras.layers.merge": ("Concatenate", "Dot", "concatenate", "dot"),
}


def moved_attribute(module_name, name):
    """Returns the object Keras 2.2.4 kept as ``name`` in (the Keras twin of) ``module_name``.

    Args:
        module_name: a minikeras module's ``__name__``, e.g. ``'minikeras.layers.core'``.
        name: the attribute asked for.

    Returns:
        The minikeras object of that name.

    Raises:
        AttributeError: when Keras had no such name there either (as a module would).
    """
    if name in MOVED_ATTRIBUTES.get(module_name, ()):
        return getattr(importlib.import_module("minikeras.layers"), name)
    raise AttributeError(f"module {module_name!r} has no attribute {name!r}")


__all__ = ["MOVED_MODULES", "MOVED_ATTRIBUTES", "moved_attribute"]
