"""``TensorBoard``: writes logs for the TensorBoard app, without TensorFlow (Keras ``keras.callbacks.TensorBoard``).

The files are laid out and tagged as tf_keras 2.21 writes them, so TensorBoard treats them the
same way (the event-file writer itself is :mod:`minikeras.tensorboard`)::

    log_dir/train/events.out.tfevents.<time>.<host>.<pid>.<n>.v2
        keras (step 0), the op graph, epoch_<key> (step = epoch), batch_<key> (step = batch),
        <layer>/<weight>_0/histogram and .../image, <layer>/<weight>_0_grad/histogram
    log_dir/validation/events.out.tfevents...v2
        epoch_<key> of the val_<key> logs, evaluation_<key>_vs_iterations (step = optimizer
        iterations), <layer>_out/histogram (activations on the validation data)
    log_dir/projector_config.pbtxt, log_dir/embeddings/<layer>.tsv

View them with ``tensorboard --logdir <log_dir>`` (see ``docs/tensorboard.md``).
"""
import numbers
import os
import warnings

import numpy as np

from ..utils.io_utils import check_folder_can_be_made
from ..tensorboard import embeddings, graph, layer_outputs, summary, weight_images
from ..tensorboard.event_file_writer import EventFileWriter
from .callback import Callback

_NOT_LOGGED = ("batch", "size")


class TensorBoard(Callback):
    """Writes scalars, histograms, images, graphs and embeddings for TensorBoard.

    Args:
        log_dir: folder of the logs (``train/`` and ``validation/`` runs are made inside).
        histogram_freq: every this many epochs (0 = never) write histograms of every weight,
            of every layer's output on the validation data, and (``write_grads``) of gradients.
        batch_size: rows per forward pass for the activation and embedding passes.
        write_graph: write the model's Keras config (conceptual graph) and an op graph.
        write_grads: with ``histogram_freq``, also the gradients of the epoch's last training batch.
        write_images: with ``histogram_freq``, also the weights as images.
        embeddings_freq: every this many epochs (0 = never) write layer outputs for the Projector.
        embeddings_layer_names: layers to project; default: the ``Embedding`` layers, or if there
            are none, every ``Dense`` layer.
        embeddings_metadata: a file of labels (one line per row of ``embeddings_data``) for all
            layers, or a dict ``{layer name: file}``.
        embeddings_data: the inputs whose layer outputs are projected.
        update_freq: ``'epoch'``, ``'batch'``, or an int n: also write ``batch_<key>`` every n batches.
        write_steps_per_second: tf_keras's newer argument, accepted and ignored: minikeras writes no
            ``steps_per_second`` scalar.
        profile_batch: tf_keras's newer argument (an int, a ``(start, stop)`` pair or ``'start,stop'``),
            accepted and ignored: minikeras has no TensorFlow profiler. A non-zero value gives a warning.

    Raises:
        TypeError: if ``log_dir`` is not a path.
        ValueError: for a bad frequency, a missing ``embeddings_data`` or a ``log_dir`` that
            cannot be created or written; at the start of ``fit`` for unknown layer names.
            What TensorBoard cannot show only gives a warning.

    >>> tensorboard = TensorBoard(log_dir='./logs', histogram_freq=1)   # doctest: +SKIP
    >>> model.fit(x, y, validation_split=0.2, callbacks=[tensorboard])  # doctest: +SKIP
    """

    def __init__(self, log_dir="./logs", histogram_freq=0, batch_size=32, write_graph=True, write_grads=False,
                 write_images=False, embeddings_freq=0, embeddings_layer_names=None, embeddings_metadata=None,
                 embeddings_data=None, update_freq="epoch", write_steps_per_second=False, profile_batch=0):
        super().__init__()
        if not isinstance(log_dir, (str, os.PathLike)):
            raise TypeError(f"log_dir must be a folder path (str or os.PathLike), e.g. './logs', got {log_dir!r}.")
        check_folder_can_be_made(log_dir, "log_dir")
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = _check_int(histogram_freq, "histogram_freq", 0)
        self.batch_size = _check_int(batch_size, "batch_size", 1)
        self.embeddings_freq = _check_int(embeddings_freq, "embeddings_freq", 0)
        if update_freq not in ("epoch", "batch"):
            _check_int(update_freq, "update_freq", 1, "'epoch', 'batch' or ")
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self.write_graph, self.write_grads, self.write_images = bool(write_graph), bool(write_grads), bool(write_images)
        if self.embeddings_freq and embeddings_data is None:
            raise ValueError("To visualize embeddings, embeddings_data must be provided (the inputs whose layer "
                             "outputs the Projector shows), or set embeddings_freq=0.")
        self.embeddings_layer_names = embeddings_layer_names
        self.embeddings_metadata = embeddings_metadata
        self.embeddings_data = embeddings_data
        self.write_steps_per_second, self.profile_batch = bool(write_steps_per_second), profile_batch
        # fit skips every batch hook unless some callback needs them: we only do with update_freq
        self._passive_batch_hooks = self.update_freq == "epoch"
        self._writers, self._warned, self._graph_written, self._training = {}, set(), False, False
        self._train_step, self._embedding_layers, self._metadata = 0, None, {}
        for flag in ("write_grads", "write_images"):
            if getattr(self, flag) and not self.histogram_freq:
                self._warn(f"{flag}=True has no effect with histogram_freq=0: set histogram_freq=1 to write them.")
        if profile_batch not in (0, None, "0", (0, 0), [0, 0]):
            self._warn(f"profile_batch={profile_batch!r} is ignored: minikeras has no TensorFlow profiler.")

    # ------------------------------------------------------------------ hooks
    def on_train_begin(self, logs=None):
        self._train_step, self._training = 0, True
        if self.write_graph and not self._graph_written:
            self._writer("train").add_keras_model("keras", graph.model_json(self.model))
            self._writer("train").add_graph(graph.layer_graph_def(self.model))
            self._graph_written = True
            self._writer("train").flush()
        if self.embeddings_freq:
            self._configure_embeddings()

    def on_train_batch_end(self, batch, logs=None):
        if self.update_freq == "epoch":
            return
        self._train_step += 1
        if self._train_step % self.update_freq == 0:
            self._write_scalars("train", "batch_{}", logs, self._train_step)

    def on_test_end(self, logs=None):
        if getattr(self.model, "optimizer", None) is not None:
            iterations = int(getattr(self.model.optimizer, "iterations", 0))
            self._write_scalars("validation", "evaluation_{}_vs_iterations", logs, iterations)
        if not self._training:  # model.evaluate(..., callbacks=[tensorboard]) outside fit
            self.on_train_end()

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        self._write_scalars("train", "epoch_{}", {k: v for k, v in logs.items() if not k.startswith("val_")}, epoch)
        self._write_scalars("validation", "epoch_{}", {k[4:]: v for k, v in logs.items() if k.startswith("val_")},
                            epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._write_histograms(epoch)
        if self.embeddings_freq and epoch % self.embeddings_freq == 0:
            self._write_embeddings()

    def on_train_end(self, logs=None):
        self.close()

    def close(self):
        """Closes the event files (``fit`` calls this however it ends, also after an exception)."""
        for writer in self._writers.values():
            writer.close()
        self._writers, self._training = {}, False

    # ------------------------------------------------------------------ writing
    def _writer(self, run):
        if run not in self._writers:
            folder = os.path.join(self.log_dir, run)
            try:
                self._writers[run] = EventFileWriter(folder)
            except OSError as e:   # e.g. a folder that exists but cannot hold new ones
                raise ValueError(f"TensorBoard cannot write its logs into {folder!r}: {e.strerror or e}. "
                                 f"Choose a writable log_dir.") from e
        return self._writers[run]

    def _warn(self, message):
        if message not in self._warned:
            self._warned.add(message)
            warnings.warn(message, stacklevel=3)

    def _write_scalars(self, run, template, logs, step):
        values = {}
        for key, value in (logs or {}).items():
            if key in _NOT_LOGGED:
                continue
            if isinstance(value, numbers.Real) or (isinstance(value, np.ndarray) and value.size == 1):
                values[template.format(key)] = float(value)
            else:
                self._warn(f"TensorBoard cannot plot the log {key!r} (a {type(value).__name__}, not a number); "
                           f"it is skipped.")
        if values:
            writer = self._writer(run)
            writer.add_summary([summary.scalar(tag, v) for tag, v in values.items()], step)
            writer.flush()

    def _histogram(self, run, tag, values, step):
        values = np.asarray(values)
        if not np.all(np.isfinite(values)):
            self._warn(f"{tag} holds NaN or inf values, which TensorBoard cannot bucket; it is skipped.")
            return
        self._writer(run).add_histogram(tag, values, step)

    def _write_histograms(self, epoch):
        for layer in self.model.layers:
            names = {id(w): n.replace(":", "_") for n, w in zip(layer.weight_names, layer.weights)}
            for weight in layer.weights:
                self._histogram("train", names[id(weight)] + "/histogram", weight, epoch)
                if self.write_images:
                    images = weight_images.weight_to_images(weight)
                    if images is None:
                        self._warn(f"{names[id(weight)]} has shape {weight.shape}, which cannot be drawn as an "
                                   f"image; it is skipped.")
                    else:
                        self._writer("train").add_image(names[id(weight)] + "/image",
                                                        weight_images.to_uint8(images), epoch)
            if self.write_grads:
                for weight, grad in zip(layer.trainable_weights, layer.grads):
                    if grad is not None:
                        self._histogram("train", names[id(weight)] + "_grad/histogram", grad, epoch)
        self._writer("train").flush()
        if self.validation_data is None:
            self._warn("Activation histograms need validation data (validation_data or validation_split in "
                       "fit); only weight histograms are written.")
            return
        names = [layer.name for layer in self.model.layers]
        outputs = layer_outputs.layer_outputs(self.model, self.validation_data[0], names, self.batch_size)
        for name in names:
            self._histogram("validation", f"{name}_out/histogram", outputs[name], epoch)
        self._writer("validation").flush()

    # ------------------------------------------------------------------ projector
    def _configure_embeddings(self):
        self._embedding_layers = embeddings.embedding_layer_names(self.model, self.embeddings_layer_names)
        self._metadata, problems = embeddings.metadata_paths(self.embeddings_metadata, self._embedding_layers,
                                                             self.log_dir)
        for message in problems:
            self._warn(message)

    def _write_embeddings(self):
        if self._embedding_layers is None:  # on_epoch_end without on_train_begin (a hand-written loop)
            self._configure_embeddings()
        outputs = layer_outputs.layer_outputs(self.model, self.embeddings_data, self._embedding_layers,
                                              self.batch_size)
        for message in embeddings.write_embeddings(self.log_dir, outputs, self._metadata):
            self._warn(message)


def _check_int(value, name, minimum, alternatives=""):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be {alternatives}an int >= {minimum}, got {value!r}.")
    return int(value)
