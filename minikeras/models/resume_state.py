"""What a model exposes so that training can resume mid-epoch (``BackupAndRestore``).

A backup taken at batch ``step`` of an epoch saves, besides the weights, the epoch's running
means and metric states so far (:meth:`ResumeState.running_means_state`); resuming puts them
back and tells ``fit`` where to start (:attr:`ResumeState.resume_point`).
"""
import numpy as np

from . import compiled_metrics


class ResumeState:
    """The resume accessors of :class:`~minikeras.models.Model` (a mixin: it uses the model's
    ``_means`` and ``_targets``)."""

    def running_means_state(self):
        """Returns the epoch's running means so far (a copy): ``{name: [total, count]}`` for the
        losses, ``{name: [state arrays as nested lists]}`` for the metrics (``Mean``'s are
        ``[total, count]`` too; ``AUC``'s are its four count arrays).

        >>> from minikeras.layers import Dense
        >>> from minikeras.models import Sequential
        >>> model = Sequential([Dense(1, input_shape=(2,))]); model.compile('sgd', 'mse')
        >>> _ = model.train_on_batch(np.ones((4, 2)), np.zeros((4, 1)))
        >>> model.running_means_state()['loss'][1]
        4
        """
        return {**self._means.state(), **compiled_metrics.state(self._targets or [])}

    def set_running_means_state(self, state):
        """Puts back running means from :meth:`running_means_state` (BackupAndRestore resuming
        mid-epoch: the epoch's logs then average over the batches trained before the crash too).

        Args:
            state: ``{name: [total, count]}`` for the losses, ``{name: [state arrays]}`` for metrics.
        """
        metric_names = {n for t in self._targets or [] for n, _, _ in t.all_metrics()}
        self._means.set_state({k: v for k, v in state.items() if k not in metric_names})
        compiled_metrics.set_state(self._targets or [], {k: v for k, v in state.items() if k in metric_names})

    @property
    def resume_point(self):
        """Where the next ``fit`` starts: None (at ``initial_epoch``), or ``(epoch, step)``: at batch
        ``step`` of epoch ``epoch``. ``fit`` reads it after ``on_train_begin`` and clears it; a
        callback (BackupAndRestore) sets it there to resume (tf_keras moves ``_initial_epoch`` so).
        """
        return self._resume_point

    @resume_point.setter
    def resume_point(self, point):
        if point is not None:
            epoch, step = point
            if any(isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0 for v in (epoch, step)):
                raise ValueError(f"resume_point must be None or (epoch, step) with ints >= 0, got {point!r}.")
            point = (int(epoch), int(step))
        self._resume_point = point
