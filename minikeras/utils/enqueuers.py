"""``OrderedEnqueuer`` and ``GeneratorEnqueuer``: Keras's batch queues, served in the calling thread.

Keras fills a queue from worker threads or processes while the model trains. minikeras trains
in one thread, so that results never depend on thread timing (``fit_generator`` ignores
``workers`` and ``use_multiprocessing`` too): these classes keep Keras's interface
(``start``/``get``/``stop``/``is_running``) and produce each batch when ``get()``'s iterator is
asked for it. ``workers``, ``max_queue_size`` and ``use_multiprocessing`` are accepted and ignored.

>>> from minikeras.utils import Sequence
>>> class Numbers(Sequence):
...     def __len__(self):
...         return 3
...     def __getitem__(self, i):
...         return i * 10
>>> enqueuer = OrderedEnqueuer(Numbers())
>>> enqueuer.start(workers=2, max_queue_size=4)
>>> batches = enqueuer.get()
>>> [next(batches) for _ in range(4)]      # a new epoch starts after the last batch
[0, 10, 20, 0]
>>> enqueuer.stop(); enqueuer.is_running()
False
"""
from .. import backend


class SequenceEnqueuer:
    """Base class: ``start()``, then iterate ``get()``, then ``stop()``.

    Args:
        sequence: a ``keras.utils.Sequence`` (OrderedEnqueuer) or a generator (GeneratorEnqueuer).
        use_multiprocessing (bool): accepted and ignored (batches are made in the calling thread).
    """

    def __init__(self, sequence, use_multiprocessing=False):
        self.sequence = sequence
        self.use_multiprocessing = use_multiprocessing
        self.running = False

    def is_running(self):
        """True between :meth:`start` and :meth:`stop`."""
        return self.running

    def start(self, workers=1, max_queue_size=10):
        """Starts serving batches (``workers`` and ``max_queue_size`` are accepted and ignored).

        Args:
            workers (int): Keras's number of worker threads or processes.
            max_queue_size (int): Keras's queue length.
        """
        self.running = True

    def stop(self, timeout=None):
        """Stops serving: the iterator of :meth:`get` ends at its next step.

        Args:
            timeout: accepted and ignored (there are no workers to wait for).
        """
        self.running = False

    def get(self):
        """Returns an iterator over the batches."""
        raise NotImplementedError("Subclasses of SequenceEnqueuer implement get().")


class OrderedEnqueuer(SequenceEnqueuer):
    """Serves a ``Sequence`` epoch after epoch, in order (or shuffled), calling ``on_epoch_end()`` between.

    Args:
        sequence: a ``keras.utils.Sequence``.
        use_multiprocessing (bool): accepted and ignored.
        shuffle (bool): a new random batch order every epoch (from ``minikeras.utils.set_random_seed``'s
            generator).
    """

    def __init__(self, sequence, use_multiprocessing=False, shuffle=False):
        super().__init__(sequence, use_multiprocessing)
        self.shuffle = shuffle

    def get(self):
        """Yields ``sequence[i]`` for every batch of an epoch, then starts the next epoch, until stopped.

        An exception raised by ``sequence[i]`` reaches the caller of ``next()`` unchanged.
        """
        while self.running:
            order = range(len(self.sequence))
            if self.shuffle:
                order = backend.rng().permutation(len(self.sequence)).tolist()
            for index in order:
                if not self.running:
                    return
                yield self.sequence[index]
            self.sequence.on_epoch_end()


class GeneratorEnqueuer(SequenceEnqueuer):
    """Serves the batches of a Python generator until it ends or the enqueuer is stopped.

    Args:
        generator: a generator (or any iterator) of batches.
        use_multiprocessing (bool): accepted and ignored.
        wait_time: accepted and ignored (Keras 2.2.4's polling delay).
        random_seed: accepted and ignored (Keras seeded its worker processes with it).
    """

    def __init__(self, generator, use_multiprocessing=False, wait_time=None, random_seed=None):
        super().__init__(generator, use_multiprocessing)
        self.wait_time = wait_time
        self.random_seed = random_seed

    def get(self):
        """Yields the generator's batches until it is exhausted or :meth:`stop` is called.

        An exception raised by the generator reaches the caller of ``next()`` unchanged.
        """
        for batch in self.sequence:
            if not self.running:
                return
            yield batch
            if not self.running:
                return


__all__ = ["SequenceEnqueuer", "OrderedEnqueuer", "GeneratorEnqueuer"]
