"""The base of the scikit-learn wrappers: a Keras model seen as an estimator with parameters.

scikit-learn asks little of an estimator: ``get_params``/``set_params`` (so ``clone`` can make a
fresh copy and ``GridSearchCV`` can try other values), and ``fit``. :class:`BaseWrapper` keeps a
*build function* that makes a compiled model, and a dictionary ``sk_params`` holding both the
build function's arguments (``units=64``) and ``fit``/``predict``/``evaluate`` arguments
(``epochs=3``, ``batch_size=32``). Each call hands every function only the parameters it names.

Nothing here imports scikit-learn: its tags are built on demand, when scikit-learn asks for them.
The module follows Keras 2.2.4's ``keras.wrappers.scikit_learn`` (tf_keras has no wrappers).
"""
import numpy as np

from ..models import Sequential
from ..utils.generic_utils import has_arg
from ..utils.np_utils import to_categorical

#: The Sequential methods whose arguments may be given in ``sk_params``.
FIT_AND_PREDICT_METHODS = ("fit", "predict", "predict_classes", "evaluate")


def loss_name(model):
    """The name of a compiled model's loss: ``'categorical_crossentropy'`` for the string, function or class.

    Args:
        model: a compiled model.

    Returns:
        str or None: the loss's name, or None when the model has several losses.

    >>> from minikeras.models import Sequential
    >>> from minikeras.layers import Dense
    >>> model = Sequential([Dense(2, input_dim=3, activation='softmax')])
    >>> model.compile('sgd', 'categorical_crossentropy')
    >>> loss_name(model)
    'categorical_crossentropy'
    """
    loss = model.loss
    if isinstance(loss, str):
        return loss
    return getattr(loss, "__name__", None) or getattr(loss, "name", None)


def encode_targets(model, y, num_classes=None):
    """One-hot encodes class indices ``y`` when the model's loss is ``categorical_crossentropy``.

    Args:
        model: a compiled model.
        y (numpy.ndarray): targets; only those that are not 2-D are encoded.
        num_classes: the number of columns of the encoding (None: ``y.max() + 1``).

    Returns:
        numpy.ndarray: ``y``, or its one-hot encoding.
    """
    if loss_name(model) == "categorical_crossentropy" and y.ndim != 2:
        return to_categorical(y, num_classes)
    return y


class BaseWrapper:
    """A Keras model as a scikit-learn estimator (use :class:`KerasClassifier` or :class:`KerasRegressor`).

    Args:
        build_fn: makes and returns a compiled model. One of: a function; an object with a
            ``__call__`` method; or None, for a subclass that defines ``__call__`` itself. Its
            arguments should have defaults, as every scikit-learn parameter has.
        **sk_params: arguments of ``build_fn`` and of ``Sequential.fit``, ``predict``,
            ``predict_classes`` and ``evaluate`` (e.g. ``epochs``, ``batch_size``). An argument given
            to ``fit``/``predict``/``score`` itself wins over the one in ``sk_params``, which wins over
            the method's default.

    Raises:
        TypeError: if ``build_fn`` is neither None nor callable.
        ValueError: if a parameter is none of these arguments.

    After ``fit``, ``self.model`` is the trained Keras model.
    """

    _estimator_type = None   # what scikit-learn < 1.6 reads; newer versions ask __sklearn_tags__

    def __init__(self, build_fn=None, **sk_params):
        if build_fn is not None and not callable(build_fn):
            raise TypeError(f"build_fn must be a function that returns a compiled model (or None in a subclass "
                            f"that defines __call__), not {type(build_fn).__name__}")
        self.build_fn = build_fn
        self.sk_params = sk_params
        self.check_params(sk_params)

    def _build_function(self):
        """The callable that builds the model: ``build_fn``, or this object's ``__call__``."""
        if self.build_fn is None:
            if not callable(self):                 # (type(self).__call__ would find type's own)
                raise TypeError(f"{type(self).__name__} has no build_fn: pass build_fn=, or subclass it "
                                "and define __call__ to build the model")
            return self.__call__
        return self.build_fn

    def check_params(self, params):
        """Checks that every name in ``params`` is an argument of the build function or of fit/predict/evaluate.

        Args:
            params (dict): parameter names (and values).

        Raises:
            ValueError: naming the first parameter nothing takes (a typo such as ``epoch=``).
        """
        functions = [getattr(Sequential, name) for name in FIT_AND_PREDICT_METHODS]
        functions.append(self._build_function())
        for name in params:
            if not any(has_arg(fn, name) for fn in functions):
                hint = " (the Keras 1 name of epochs: use epochs=)" if name == "nb_epoch" else ""
                raise ValueError(f"{name} is not a legal parameter{hint}: the parameters are the arguments of "
                                 "build_fn and of Sequential.fit, predict, predict_classes and evaluate")

    def get_params(self, deep=True, **params):
        """Returns the parameters: ``sk_params`` and ``build_fn``.

        Args:
            deep: ignored (a wrapper holds no estimators); scikit-learn passes it.
            **params: ignored, as in Keras.

        Returns:
            dict: parameter name -> value (the values themselves, not copies).
        """
        return dict(self.sk_params, build_fn=self.build_fn)

    def set_params(self, **params):
        """Sets parameters (``build_fn`` too) after checking their names as :meth:`check_params` does.

        Args:
            **params: parameter name -> value.

        Returns:
            self
        """
        params = dict(params)
        build_fn = params.pop("build_fn", self.build_fn)
        previous, self.build_fn = self.build_fn, build_fn   # the names are checked against the new build_fn
        try:
            self.check_params(params)
        except (ValueError, TypeError):
            self.build_fn = previous                         # a refused call changes nothing
            raise
        self.sk_params.update(params)
        return self

    def filter_sk_params(self, fn, override=None):
        """The ``sk_params`` that ``fn`` takes as keyword arguments, updated with ``override``.

        Args:
            fn: a function or other callable.
            override (dict): values that replace (or add to) those of ``sk_params``.

        Returns:
            dict: argument name -> value.
        """
        chosen = {name: value for name, value in self.sk_params.items() if has_arg(fn, name)}
        chosen.update(override or {})
        return chosen

    def fit(self, x, y, **kwargs):
        """Builds a new model with the build function and trains it on ``(x, y)``.

        Args:
            x: training inputs, ``(samples, features...)``.
            y: targets, ``(samples,)`` or ``(samples, outputs)``; class indices are one-hot encoded
                when the loss is ``categorical_crossentropy``.
            **kwargs: arguments of ``Sequential.fit``, over those in ``sk_params``.

        Returns:
            History: the training history.
        """
        build = self._build_function()
        self.model = build(**self.filter_sk_params(build))
        y = encode_targets(self.model, np.asarray(y), getattr(self, "n_classes_", None))
        return self.model.fit(x, y, **self.filter_sk_params(Sequential.fit, kwargs))

    def __sklearn_is_fitted__(self):
        """True once :meth:`fit` has built a model (what ``sklearn.utils.validation.check_is_fitted`` asks)."""
        return hasattr(self, "model")

    def __sklearn_tags__(self):
        """The tags scikit-learn >= 1.6 reads: the estimator type, and that ``fit`` needs ``y``."""
        from sklearn.utils import ClassifierTags, RegressorTags, Tags, TargetTags  # only scikit-learn calls this
        kind = self._estimator_type
        return Tags(estimator_type=kind, target_tags=TargetTags(required=True), transformer_tags=None,
                    classifier_tags=ClassifierTags() if kind == "classifier" else None,
                    regressor_tags=RegressorTags() if kind == "regressor" else None)
