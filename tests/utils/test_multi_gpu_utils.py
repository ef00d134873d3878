"""multi_gpu_model: Keras 2.2.4 code that calls it gets a clear "minikeras has no" error."""
import pytest

from minikeras.layers import Dense
from minikeras.models import Sequential
from minikeras.utils import multi_gpu_model


def test_multi_gpu_model_says_minikeras_has_none():
    model = Sequential([Dense(1, input_shape=(2,))])
    with pytest.raises(NotImplementedError, match="minikeras has no multi_gpu_model.*Train `model` itself"):
        multi_gpu_model(model, gpus=2)
