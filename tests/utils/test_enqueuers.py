"""OrderedEnqueuer / GeneratorEnqueuer: Keras's interface, batches made in the calling thread."""
import numpy as np
import pytest

from minikeras.utils import GeneratorEnqueuer, OrderedEnqueuer, Sequence, set_random_seed
from minikeras.utils.data_utils import OrderedEnqueuer as FromDataUtils


class Scaled(Sequence):
    def __init__(self):
        self.scale = 1

    def __len__(self):
        return 4

    def __getitem__(self, i):
        return np.full((2,), i * self.scale)

    def on_epoch_end(self):
        self.scale *= 5


def test_ordered_enqueuer_serves_epochs_in_order_and_calls_on_epoch_end():
    enqueuer = OrderedEnqueuer(Scaled(), use_multiprocessing=True)
    assert FromDataUtils is OrderedEnqueuer and not enqueuer.is_running()
    enqueuer.start(workers=3, max_queue_size=10)
    batches = enqueuer.get()
    firsts = [int(next(batches)[0]) for _ in range(8)]
    assert firsts == [0, 1, 2, 3, 0, 5, 10, 15]
    enqueuer.stop()
    assert not enqueuer.is_running() and list(batches) == []


def test_ordered_enqueuer_shuffles_each_epoch_from_the_seeded_generator():
    def epoch_orders():
        set_random_seed(4)
        enqueuer = OrderedEnqueuer(Scaled(), shuffle=True)
        enqueuer.start()
        batches = enqueuer.get()
        first = [int(next(batches)[0]) for _ in range(4)]
        second = [int(next(batches)[0]) // 5 for _ in range(4)]
        return first, second
    first, second = epoch_orders()
    assert sorted(first) == sorted(second) == [0, 1, 2, 3]
    assert epoch_orders() == (first, second)


def test_generator_enqueuer_ends_with_the_generator_and_passes_its_errors():
    enqueuer = GeneratorEnqueuer((i * i for i in range(4)))
    enqueuer.start()
    assert list(enqueuer.get()) == [0, 1, 4, 9]

    def failing():
        yield 1
        raise IndexError("no batch 1")
    enqueuer = GeneratorEnqueuer(failing())
    enqueuer.start()
    batches = enqueuer.get()
    assert next(batches) == 1
    with pytest.raises(IndexError, match="no batch 1"):
        next(batches)
