"""Keras models as scikit-learn estimators: :class:`KerasClassifier` and :class:`KerasRegressor`.

These are Keras 2.2.4's ``keras.wrappers.scikit_learn`` (Keras removed the module in 2.12, so
tf_keras has none): wrap a function that builds a compiled model, and scikit-learn's tools
(``cross_val_score``, ``GridSearchCV``, ``Pipeline``) can train and score it. The module itself
needs only NumPy.

>>> import numpy as np
>>> from minikeras import backend
>>> from minikeras.models import Sequential
>>> from minikeras.layers import Dense
>>> def build(units=4):
...     model = Sequential([Dense(units, input_dim=2, activation='relu'), Dense(2, activation='softmax')])
...     model.compile('adam', 'categorical_crossentropy', metrics=['accuracy'])
...     return model
>>> backend.set_seed(0)
>>> x = np.array([[0., 0.], [1., 1.], [0., 1.], [1., 0.]])
>>> clf = KerasClassifier(build, units=3, epochs=2, verbose=0)
>>> _ = clf.fit(x, np.array(['no', 'yes', 'no', 'yes']))
>>> clf.classes_, clf.predict(x).shape, clf.predict_proba(x).shape
(array(['no', 'yes'], dtype='<U3'), (4,), (4, 2))
"""
import numpy as np

from ..models import Sequential
from ..utils.generic_utils import to_list
from .sklearn_base import BaseWrapper, encode_targets

__all__ = ["BaseWrapper", "KerasClassifier", "KerasRegressor"]

#: The names under which ``evaluate`` reports ``metrics=['accuracy']`` (Keras 2.2.4's and tf_keras's).
ACCURACY_NAMES = ("acc", "accuracy")


class KerasClassifier(BaseWrapper):
    """A Keras classifier for scikit-learn: labels of any kind in, the same labels out.

    ``fit`` keeps the sorted distinct labels in ``classes_`` and trains on their indices (one-hot
    encoded for ``categorical_crossentropy``); ``predict`` maps the model's choice back to a label.
    A one-hot ``y`` (2-D, several columns) is taken as is, with ``classes_ = 0 .. columns-1``.

    See :class:`~minikeras.wrappers.sklearn_base.BaseWrapper` for ``build_fn`` and ``sk_params``.

    >>> KerasClassifier(lambda units=4: None, epoch=3)
    Traceback (most recent call last):
    ValueError: epoch is not a legal parameter: the parameters are the arguments of build_fn and of ...
    """

    _estimator_type = "classifier"

    def fit(self, x, y, sample_weight=None, **kwargs):
        """Builds a new model and trains it on ``x`` and the labels ``y``.

        Args:
            x: training inputs, ``(samples, features...)``.
            y: labels ``(samples,)`` or ``(samples, 1)`` (numbers, strings, ...), or one-hot rows
                ``(samples, classes)``.
            sample_weight: optional weight per sample.
            **kwargs: arguments of ``Sequential.fit``, over those in ``sk_params``.

        Returns:
            History: the training history.

        Raises:
            ValueError: if ``y`` has more than 2 dimensions.
        """
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] > 1:
            self.classes_ = np.arange(y.shape[1])
        elif y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1):
            self.classes_ = np.unique(y)
            y = np.searchsorted(self.classes_, y.reshape(-1))
        else:
            raise ValueError(f"Invalid shape for y: {y.shape}; give labels (samples,) or one-hot rows "
                             "(samples, classes)")
        self.n_classes_ = len(self.classes_)
        if sample_weight is not None:
            kwargs["sample_weight"] = sample_weight
        return super().fit(x, y, **kwargs)

    def predict(self, x, **kwargs):
        """Returns the predicted label of each sample (one of ``classes_``).

        Args:
            x: inputs, ``(samples, features...)``.
            **kwargs: arguments of ``Sequential.predict_classes`` (``batch_size``, ``verbose``).

        Returns:
            numpy.ndarray: ``(samples,)``: the most probable class, or for one sigmoid output the
            second class where the output is above 0.5.
        """
        proba = self.model.predict(x, **self.filter_sk_params(Sequential.predict_classes, kwargs))
        if proba.shape[-1] > 1:
            indices = proba.argmax(axis=-1)
        else:
            indices = (proba[..., 0] > 0.5).astype("int32")
        return self.classes_[indices]

    def predict_proba(self, x, **kwargs):
        """Returns the probability of each class, one column per entry of ``classes_``.

        Args:
            x: inputs, ``(samples, features...)``.
            **kwargs: arguments of ``Sequential.predict_proba`` (``batch_size``, ``verbose``).

        Returns:
            numpy.ndarray: ``(samples, classes)``. A single sigmoid output ``p`` becomes two columns
            ``[1 - p, p]``, as scikit-learn expects of a binary classifier.
        """
        probs = self.model.predict(x, **self.filter_sk_params(Sequential.predict_proba, kwargs))
        if probs.shape[1] == 1:
            probs = np.hstack([1 - probs, probs])
        return probs

    def score(self, x, y, **kwargs):
        """Returns the model's accuracy on ``x`` and the labels ``y``, as ``evaluate`` computes it.

        Args:
            x: inputs, ``(samples, features...)``.
            y: labels from ``classes_`` (or one-hot rows, if ``fit`` had them).
            **kwargs: arguments of ``Sequential.evaluate``, over those in ``sk_params``.

        Returns:
            float: the accuracy.

        Raises:
            ValueError: if a label is not in ``classes_``, or the model was not compiled with
                ``metrics=['accuracy']``.
        """
        y = np.asarray(y)
        if not (y.ndim == 2 and y.shape[1] > 1):
            unknown = np.setdiff1d(y, self.classes_)
            if unknown.size:
                raise ValueError(f"y has labels that fit never saw: {unknown[:5].tolist()}; "
                                 f"the classes are {self.classes_.tolist()}")
            y = np.searchsorted(self.classes_, y.reshape(-1))
        y = encode_targets(self.model, y, self.n_classes_)
        outputs = to_list(self.model.evaluate(x, y, **self.filter_sk_params(Sequential.evaluate, kwargs)))
        for name, output in zip(self.model.metrics_names, outputs):
            if name in ACCURACY_NAMES:
                return output
        raise ValueError("The model is not configured to compute accuracy. You should pass "
                         "`metrics=[\"accuracy\"]` to the `model.compile()` method.")


class KerasRegressor(BaseWrapper):
    """A Keras regressor for scikit-learn: ``predict`` gives the outputs, ``score`` the negative loss.

    See :class:`~minikeras.wrappers.sklearn_base.BaseWrapper` for ``build_fn`` and ``sk_params``.
    """

    _estimator_type = "regressor"

    def predict(self, x, **kwargs):
        """Returns the model's predictions, with axes of size 1 removed.

        Args:
            x: inputs, ``(samples, features...)``.
            **kwargs: arguments of ``Sequential.predict``, over those in ``sk_params``.

        Returns:
            numpy.ndarray: ``(samples,)`` for one output (``numpy.squeeze`` of the model's outputs).
        """
        return np.squeeze(self.model.predict(x, **self.filter_sk_params(Sequential.predict, kwargs)))

    def score(self, x, y, **kwargs):
        """Returns minus the model's loss on ``(x, y)`` (scikit-learn maximizes a score).

        Args:
            x: inputs, ``(samples, features...)``.
            y: targets.
            **kwargs: arguments of ``Sequential.evaluate``, over those in ``sk_params``.

        Returns:
            float: ``-loss``.
        """
        outputs = to_list(self.model.evaluate(x, y, **self.filter_sk_params(Sequential.evaluate, kwargs)))
        return -outputs[0]
