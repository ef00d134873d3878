"""``CallbackList``: calls one hook on every callback, in list order, with one shared ``logs`` dict."""
from .backup_and_restore import BackupAndRestore
from .base_logger import BaseLogger
from .callback import Callback
from .history import History

_BATCH_HOOKS = {
    "train": ("on_train_batch_begin", "on_train_batch_end", "on_batch_begin", "on_batch_end"),
    "test": ("on_test_batch_begin", "on_test_batch_end"),
    "predict": ("on_predict_batch_begin", "on_predict_batch_end"),
}


def _overrides(callback, mode):
    return any(getattr(type(callback), hook, None) is not getattr(Callback, hook) or hook in vars(callback)
               for hook in _BATCH_HOOKS[mode])


def overrides_batch_hooks(callback, mode):
    """True if ``callback`` needs ``mode`` ('train'/'test'/'predict') batch hooks called.

    A callback marked ``_passive_batch_hooks`` (BaseLogger) listens without asking for them.
    """
    return not getattr(callback, "_passive_batch_hooks", False) and _overrides(callback, mode)


_LAST_HOOKS = ("on_epoch_end", "on_train_batch_end")


def _backups_last(callbacks, hook):
    """``callbacks``, with BackupAndRestore moved to the end for the hooks that write backups."""
    if hook not in _LAST_HOOKS:
        return callbacks
    return [cb for cb in callbacks if not isinstance(cb, BackupAndRestore)] + \
        [cb for cb in callbacks if isinstance(cb, BackupAndRestore)]


class CallbackList:
    """The callbacks of one ``fit``/``evaluate``/``predict`` call, driven as one.

    For ``fit`` the list is ``[BaseLogger, *your callbacks, History, ProgbarLogger]``: tf_keras's
    order (``History`` and the progress bar after yours, so the bar shows keys such as ``lr``
    that your callbacks add), plus Keras 2.2.4's ``BaseLogger`` first, which the Keras 2 callbacks guide documents
    as applied to every model. A ``History``/``ProgbarLogger`` you pass yourself is used instead
    of a new one. As in tf_keras, a family of batch hooks is skipped entirely when no callback
    overrides any of them (``BaseLogger`` only listens when another callback does).

    A :class:`~minikeras.callbacks.BackupAndRestore` (a minikeras rule, so that its backup holds
    the state every other callback reached): its ``on_epoch_end`` and ``on_train_batch_end``
    run after every other callback's, wherever it is in the list; it is given the list
    (``set_callbacks``), and after every callback's ``on_train_begin`` its
    ``restore_callback_states`` puts back the states of the callbacks it backed up.

    Args:
        callbacks: a list of Callback objects, or a CallbackList (returned as it is by ``fit``'s
            validation, which shares the training list).
        add_history: add ``BaseLogger`` and ``History`` (``fit`` only).
        add_progbar: add a ``ProgbarLogger`` (``verbose != 0``).
        model: the model, given to every callback with ``set_model``.
        **params: the ``params`` dict: ``verbose``, ``epochs``, ``steps``.

    Raises:
        TypeError: if an element is not a Callback.
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None, **params):
        if isinstance(callbacks, CallbackList):
            callbacks = callbacks.callbacks
        if callbacks is not None and not isinstance(callbacks, (list, tuple)):
            raise TypeError(f"callbacks must be a list of Callback objects, got {type(callbacks).__name__}.")
        callbacks = list(callbacks or [])
        for cb in callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(f"Every element of callbacks must be a keras Callback instance (subclass "
                                f"minikeras.callbacks.Callback), got {cb!r}.")
        if add_history:
            callbacks.insert(0, BaseLogger(stateful_metrics=model.metrics_names if model is not None else None))
            if not any(isinstance(cb, History) for cb in callbacks):
                callbacks.append(History())
        if add_progbar:
            from .progbar_logger import ProgbarLogger
            if not any(isinstance(cb, ProgbarLogger) for cb in callbacks):
                callbacks.append(ProgbarLogger(count_mode="steps"))
        self.callbacks = callbacks
        self.model = model
        self.params = params
        if model is not None and add_history:
            model.history = next(cb for cb in callbacks if isinstance(cb, History))
        for cb in callbacks:
            cb.set_params(params)
            cb.set_model(model)
        self._backups = [cb for cb in callbacks if isinstance(cb, BackupAndRestore)]
        for cb in self._backups:
            cb.set_callbacks(callbacks)
        # Per family of batch hooks: the callbacks that override one (the others' hooks do nothing).
        # As in tf_keras, a family is skipped entirely unless some non-passive callback needs it.
        self._batch_hooks = {mode: any(overrides_batch_hooks(cb, mode) for cb in callbacks) for mode in _BATCH_HOOKS}
        self._batch_listeners = {
            mode: [cb for cb in callbacks if overrides_batch_hooks(cb, mode)
                   or (getattr(cb, "_passive_batch_hooks", False) and _overrides(cb, mode))]
            for mode in _BATCH_HOOKS}

    def close(self):
        """Releases what callbacks hold open (``fit`` calls it however it ends, also after an
        exception): calls ``close()`` on every callback that has one (TensorBoard's event files)."""
        for cb in self.callbacks:
            close = getattr(cb, "close", None)
            if callable(close):
                close()

    def append(self, callback):
        """Adds ``callback`` at the end of the list."""
        self.callbacks.append(callback)

    def __iter__(self):
        return iter(self.callbacks)

    def _call_batch(self, mode, hook, batch, logs):
        if self._batch_hooks[mode]:
            logs = dict(logs)
            listeners = self._batch_listeners[mode]
            for cb in _backups_last(listeners, hook) if self._backups else listeners:
                getattr(cb, hook)(batch, logs)

    def _call(self, hook, *args, logs=None):
        # Like tf_keras, each hook call hands its callbacks one fresh copy of the loop's logs:
        # a key that a callback adds is seen by the callbacks after it (History records ``lr``),
        # but does not leak back into the loop (``on_train_end`` gets the epoch's own logs).
        logs = {} if logs is None else dict(logs)
        for cb in _backups_last(self.callbacks, hook) if self._backups else self.callbacks:
            getattr(cb, hook)(*args, logs)

    # ------------------------------------------------------------------ training
    def on_train_begin(self, logs=None):
        """Calls ``on_train_begin`` on every callback, then lets each ``BackupAndRestore`` put back
        the other callbacks' states."""
        self._call("on_train_begin", logs=logs)
        for cb in self._backups:
            cb.restore_callback_states()

    def on_train_end(self, logs=None):
        """Calls ``on_train_end`` on every callback."""
        self._call("on_train_end", logs=logs)

    def on_epoch_begin(self, epoch, logs=None):
        """Calls ``on_epoch_begin`` on every callback."""
        self._call("on_epoch_begin", epoch, logs=logs)

    def on_epoch_end(self, epoch, logs=None):
        """Calls ``on_epoch_end`` on every callback."""
        self._call("on_epoch_end", epoch, logs=logs)

    def on_train_batch_begin(self, batch, logs=None):
        """Calls ``on_train_batch_begin`` on the callbacks that override it (skipped when none needs this family of batch hooks)."""
        self._call_batch("train", "on_train_batch_begin", batch, logs or {})

    def on_train_batch_end(self, batch, logs=None):
        """Calls ``on_train_batch_end`` on the callbacks that override it (skipped when none needs this family of batch hooks)."""
        self._call_batch("train", "on_train_batch_end", batch, logs or {})

    def on_batch_begin(self, batch, logs=None):
        """Keras 2.2.4's name for :meth:`on_train_batch_begin`."""
        self.on_train_batch_begin(batch, logs)

    def on_batch_end(self, batch, logs=None):
        """Keras 2.2.4's name for :meth:`on_train_batch_end`."""
        self.on_train_batch_end(batch, logs)

    # ------------------------------------------------------------------ evaluation
    def on_test_begin(self, logs=None):
        """Calls ``on_test_begin`` on every callback."""
        self._call("on_test_begin", logs=logs)

    def on_test_end(self, logs=None):
        """Calls ``on_test_end`` on every callback."""
        self._call("on_test_end", logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        """Calls ``on_test_batch_begin`` on the callbacks that override it (skipped when none needs this family of batch hooks)."""
        self._call_batch("test", "on_test_batch_begin", batch, logs or {})

    def on_test_batch_end(self, batch, logs=None):
        """Calls ``on_test_batch_end`` on the callbacks that override it (skipped when none needs this family of batch hooks)."""
        self._call_batch("test", "on_test_batch_end", batch, logs or {})

    # ------------------------------------------------------------------ prediction
    def on_predict_begin(self, logs=None):
        """Calls ``on_predict_begin`` on every callback."""
        self._call("on_predict_begin", logs=logs)

    def on_predict_end(self, logs=None):
        """Calls ``on_predict_end`` on every callback."""
        self._call("on_predict_end", logs=logs)

    def on_predict_batch_begin(self, batch, logs=None):
        """Calls ``on_predict_batch_begin`` on the callbacks that override it (skipped when none needs this family of batch hooks)."""
        self._call_batch("predict", "on_predict_batch_begin", batch, logs or {})

    def on_predict_batch_end(self, batch, logs=None):
        """Calls ``on_predict_batch_end`` on the callbacks that override it (skipped when none needs this family of batch hooks)."""
        self._call_batch("predict", "on_predict_batch_end", batch, logs or {})
