"""``Callback``: the abstract base of every callback (Keras ``keras.callbacks.Callback``)."""


class Callback:
    """Base class for objects that ``fit``, ``evaluate`` and ``predict`` call at fixed points.

    Subclass it and override the hooks you need; every hook does nothing by default. The
    order in which the training loop calls them is written out, line by line, in
    :func:`minikeras.models.training.fit_loop`.

    Attributes:
        params: dict of run parameters, ``{'verbose': v, 'epochs': E, 'steps': batches}``
            (tf_keras's keys; Keras 2.2.4 also had ``batch_size``, ``samples`` and ``metrics``).
        model: the :class:`~minikeras.models.Sequential` being trained.
        validation_data: during ``fit`` with validation, Keras 2.2.4's
            ``[x_val, y_val, sample_weights_val]`` (old tutorials' callbacks read it; tf_keras
            leaves it ``None``); otherwise ``None``.

    Every hook receives a ``logs`` dict, the *same* dict object for every callback of one
    hook call, so a callback that adds a key (``lr``) is seen by the callbacks after it:

    ==========================  ======================================================
    hook                        ``logs``
    ==========================  ======================================================
    ``on_train_begin``          ``{}``
    ``on_epoch_begin``          ``{}``
    ``on_train_batch_begin``    ``{'batch': i, 'size': n}``
    ``on_train_batch_end``      ``batch``, ``size`` and running epoch means: ``loss``, metrics
    ``on_test_*``               the same for the validation/evaluation batches (no ``val_``)
    ``on_epoch_end``            epoch means of loss and metrics, plus ``val_*``
    ``on_train_end``            the last epoch's logs
    ``on_predict_batch_end``    ``batch``, ``size``, ``outputs`` (the batch's predictions)
    ==========================  ======================================================

    ``on_batch_begin``/``on_batch_end`` are the Keras 2.2.4 names: the default
    ``on_train_batch_*`` hooks forward to them, so old callbacks keep working.

    A callback that remembers something between epochs (a counter, a best value) can take part
    in :class:`~minikeras.callbacks.BackupAndRestore`'s backups by implementing
    :meth:`get_state` and :meth:`set_state`; the built-in EarlyStopping, ReduceLROnPlateau,
    ModelCheckpoint and CSVLogger do.

    >>> class LossHistory(Callback):
    ...     def on_train_begin(self, logs=None):
    ...         self.losses = []
    ...     def on_batch_end(self, batch, logs=None):
    ...         self.losses.append(logs.get('loss'))
    """

    def __init__(self):
        self.validation_data = None
        self.model = None
        self.params = {}

    def set_params(self, params):
        """Stores the run parameters dict as ``self.params``."""
        self.params = params

    def set_model(self, model):
        """Stores the model as ``self.model``."""
        self.model = model

    # -- state, for BackupAndRestore
    def get_state(self):
        """Returns what this callback must remember for a resumed ``fit`` to continue exactly,
        or None if it keeps nothing between epochs (the default).

        A minikeras extension (tf_keras backs up no callback's state): ``BackupAndRestore``
        stores the result in every backup and, on resume, hands it to :meth:`set_state` of the
        callback of the same class at the same place among the fit's callbacks of that class.

        Returns:
            None, or a dict whose values are numbers, strings, booleans, None, NumPy arrays, or
            lists/dicts of these (no other objects: the backup is data only, never pickled).

        >>> class Counter(Callback):
        ...     def on_train_begin(self, logs=None):
        ...         self.epochs_seen = 0
        ...     def on_epoch_end(self, epoch, logs=None):
        ...         self.epochs_seen += 1
        ...     def get_state(self):
        ...         return {'epochs_seen': self.epochs_seen}
        ...     def set_state(self, state):
        ...         self.epochs_seen = int(state['epochs_seen'])
        """
        return None

    def set_state(self, state):
        """Puts back a state that :meth:`get_state` returned (called by ``BackupAndRestore`` when
        ``fit`` resumes, after every callback's ``on_train_begin``).

        Args:
            state: the dict :meth:`get_state` returned, read back from the backup (tuples come
                back as lists, NumPy scalars as Python numbers).

        Raises:
            ValueError: if ``state`` is not one this callback could have returned; it must then
                change nothing (``BackupAndRestore`` reports the backup as damaged).
        """
        if state is not None:
            raise ValueError(f"{type(self).__name__} keeps no state (get_state() returns None), got {state!r}.")

    # -- training
    def on_train_begin(self, logs=None):
        """Called once at the start of ``fit``."""

    def on_train_end(self, logs=None):
        """Called once at the end of ``fit``, with the last epoch's logs."""

    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of epoch ``epoch`` (0-based, absolute: counts ``initial_epoch``)."""

    def on_epoch_end(self, epoch, logs=None):
        """Called at the end of epoch ``epoch`` with its loss, metrics and ``val_*`` values."""

    def on_batch_begin(self, batch, logs=None):
        """Keras 2.2.4 name for :meth:`on_train_batch_begin`."""

    def on_batch_end(self, batch, logs=None):
        """Keras 2.2.4 name for :meth:`on_train_batch_end`."""

    def on_train_batch_begin(self, batch, logs=None):
        """Called before training batch ``batch`` (0-based within the epoch)."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        """Called after training batch ``batch`` with the epoch's running means."""
        self.on_batch_end(batch, logs=logs)

    # -- evaluation (also the validation inside ``fit``)
    def on_test_begin(self, logs=None):
        """Called at the start of ``evaluate`` and of each validation pass."""

    def on_test_end(self, logs=None):
        """Called at the end of ``evaluate``/validation with the results (no ``val_`` prefix)."""

    def on_test_batch_begin(self, batch, logs=None):
        """Called before evaluation batch ``batch``."""

    def on_test_batch_end(self, batch, logs=None):
        """Called after evaluation batch ``batch`` with running means."""

    # -- prediction
    def on_predict_begin(self, logs=None):
        """Called at the start of ``predict``."""

    def on_predict_end(self, logs=None):
        """Called at the end of ``predict``."""

    def on_predict_batch_begin(self, batch, logs=None):
        """Called before prediction batch ``batch``."""

    def on_predict_batch_end(self, batch, logs=None):
        """Called after prediction batch ``batch``; ``logs['outputs']`` holds its predictions."""
