"""Keras's import paths for preprocessing, datasets and plot_model resolve to minikeras through the alias."""
import minikeras
from minikeras.preprocessing import image, sequence, text


def test_keras_paths_used_by_the_examples():
    with minikeras.install_as_keras():
        import keras
        from keras.datasets import boston_housing, cifar10, cifar100, fashion_mnist, imdb, reuters  # noqa: F401
        from keras.preprocessing.image import ImageDataGenerator, img_to_array, load_img
        from keras.preprocessing.sequence import TimeseriesGenerator, pad_sequences, skipgrams
        from keras.preprocessing.text import Tokenizer, one_hot
        from keras.utils import plot_model
        from keras.utils.vis_utils import plot_model as plot_model_too
        assert ImageDataGenerator is image.ImageDataGenerator and Tokenizer is text.Tokenizer
        assert pad_sequences is sequence.pad_sequences and plot_model is plot_model_too
        assert keras.preprocessing.sequence.TimeseriesGenerator is TimeseriesGenerator
        assert (skipgrams, one_hot, img_to_array, load_img) == (sequence.skipgrams, text.one_hot, image.img_to_array,
                                                                image.load_img)
        assert keras.datasets.imdb is imdb and keras.datasets.use_offline is minikeras.datasets.use_offline
