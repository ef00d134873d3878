"""The `import keras` alias: same module objects, only on request, restored on exit, tf_keras untouched."""
import importlib.util
import os
import pathlib
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import minikeras
from minikeras.compat import alias

ROOT = pathlib.Path(__file__).resolve().parents[1]
HAS_TF_KERAS = importlib.util.find_spec("tf_keras") is not None


def run_python(code, *, env_path=None, flags=()):
    """Runs ``code`` in a fresh interpreter (clean sys.modules); returns stdout, failing on errors."""
    env = dict(os.environ, PYTHONPATH=env_path or str(ROOT), TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run([sys.executable, *flags, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          env=env, cwd=str(ROOT), timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def keras_entries():
    return {name: module for name, module in sys.modules.items()
            if name == "tensorflow" or alias.minikeras_name(name) is not None}


def test_plain_import_has_no_side_effects():
    out = run_python("""
        import sys, minikeras
        print('keras' in sys.modules, 'tensorflow' in sys.modules,
              any(type(f).__name__ == 'KerasAliasFinder' for f in sys.meta_path), minikeras.compat.is_installed())
    """)
    assert out.split() == ["False", "False", "False", "False"]


def test_keras_names_are_the_minikeras_modules_and_everything_is_restored():
    before = keras_entries()
    with minikeras.install_as_keras() as km:
        import keras
        import keras.backend as K
        import tensorflow as tf
        from keras.callbacks import Callback
        from keras.layers.core import Dense
        from keras.utils import np_utils
        from tensorflow import keras as tf_keras_name
        from tensorflow.keras.layers import Activation
        import tensorflow.keras.models as tkm
        assert km is minikeras and keras is minikeras and tf_keras_name is minikeras
        assert Callback is minikeras.callbacks.Callback and keras.callbacks.Callback is Callback
        assert K is minikeras.backend and Dense is minikeras.layers.Dense
        assert np_utils is minikeras.utils.np_utils and tkm is minikeras.models
        assert tf.keras is minikeras and tf.keras.layers.Dense is minikeras.layers.Dense
        assert Activation is minikeras.layers.Activation
        assert sys.modules["keras.callbacks"] is minikeras.callbacks
        assert minikeras.callbacks.__name__ == "minikeras.callbacks"          # the real module is untouched
        assert minikeras.callbacks.__spec__.name == "minikeras.callbacks"
    assert keras_entries() == before
    assert not minikeras.compat.is_installed()


def test_missing_keras_module_names_what_minikeras_has():
    with minikeras.install_as_keras():
        with pytest.raises(ModuleNotFoundError, match=r"No module named 'keras.applications'.*minikeras has: "
                                                      r"activations, backend, callbacks"):
            import keras.applications  # noqa: F401
        with pytest.raises(ModuleNotFoundError, match="keras.backend"):
            import keras.backend.tensorflow_backend  # noqa: F401


def test_install_is_idempotent_and_nested_with_keeps_the_outer_alias():
    handle = minikeras.install_as_keras()
    try:
        assert handle.installed_here and minikeras.compat.is_installed()
        finders = sum(isinstance(f, alias.KerasAliasFinder) for f in sys.meta_path)
        with minikeras.install_as_keras() as inner:
            assert inner is minikeras
        assert minikeras.compat.is_installed()
        assert sum(isinstance(f, alias.KerasAliasFinder) for f in sys.meta_path) == finders == 1
    finally:
        assert minikeras.uninstall_keras_alias() is True
    assert minikeras.uninstall_keras_alias() is False
    assert not any(isinstance(f, alias.KerasAliasFinder) for f in sys.meta_path)


def test_tf_keras_is_never_aliased():
    assert alias.minikeras_name("tf_keras") is None and alias.minikeras_name("tf_keras.callbacks") is None
    assert alias.minikeras_name("kerasx") is None
    assert alias.minikeras_name("keras.callbacks") == "minikeras.callbacks"
    assert alias.minikeras_name("tensorflow.keras.layers") == "minikeras.layers"


def test_stand_in_tensorflow_without_tensorflow_installed(tmp_path):
    # An interpreter without site-packages: only numpy (and h5py) and the repository are importable.
    site = pathlib.Path(importlib.util.find_spec("numpy").origin).parents[1]
    for name in ("numpy", "numpy.libs", "h5py", "h5py.libs"):
        if (site / name).exists():
            (tmp_path / name).symlink_to(site / name)
    out = run_python("""
        import importlib.util, sys
        assert importlib.util.find_spec('tensorflow') is None
        import minikeras
        minikeras.install_as_keras()
        import tensorflow as tf
        from tensorflow import keras
        from tensorflow.keras.layers import Dense
        print(keras is minikeras, tf.keras.layers.Dense is Dense is minikeras.layers.Dense)
        try:
            tf.constant(1.0)
        except AttributeError as e:
            print('AttributeError:', e)
        try:
            import tensorflow.compat.v2
        except ModuleNotFoundError as e:
            print('ModuleNotFoundError:', e)
        minikeras.uninstall_keras_alias()
        print('tensorflow' in sys.modules, 'keras' in sys.modules)
    """, env_path=f"{tmp_path}{os.pathsep}{ROOT}", flags=("-S",))
    lines = out.splitlines()
    assert lines[0] == "True True"
    assert lines[1].startswith("AttributeError: module 'tensorflow' has no attribute 'constant': TensorFlow is not "
                               "installed")
    assert lines[2].startswith("ModuleNotFoundError: No module named 'tensorflow.compat'")
    assert lines[3] == "False False"


@pytest.mark.tf_keras
@pytest.mark.skipif(not HAS_TF_KERAS, reason="tf_keras (real Keras 2) is not installed")
@pytest.mark.parametrize("order", ["alias first", "tf_keras first"])
def test_real_tf_keras_works_beside_the_alias(order):
    out = run_python(f"""
        import sys, numpy as np, minikeras
        if {order!r} == "tf_keras first":
            import tf_keras
        minikeras.install_as_keras()
        import keras, tensorflow as tf
        import tf_keras
        from tensorflow import keras as tk
        print(keras is minikeras, tk is minikeras, tf.keras is minikeras, tf_keras.__name__)
        model = tf_keras.Sequential([tf_keras.layers.Dense(1, input_dim=2, kernel_initializer='ones')])
        model.compile(tf_keras.optimizers.SGD(0.0), 'mse')
        print(model.fit(np.ones((4, 2)), np.zeros(4), verbose=0).history['loss'])
        print(float(tf.constant(2.0) * 3), isinstance(tf_keras.layers.Dense(1), keras.layers.Layer))
        print(tf.is_tensor(tf.constant(1.0)), tf.is_tensor(np.ones(2)))   # the stand-in forwards it now
        minikeras.uninstall_keras_alias()
        import keras as after, tensorflow as tf_after
        print(after is minikeras, type(tf_after).__name__, tf_after.__name__)
    """)
    lines = out.splitlines()
    assert lines[0] == "True True True tf_keras"
    assert lines[1] == "[4.0]"          # (1 + 1)^2 for every sample: real tf_keras trained the model
    assert lines[2] == "6.0 False"      # real TensorFlow through the stand-in; tf_keras layers are not ours
    assert lines[3] == "True False"     # tf.is_tensor answered by the real TensorFlow once it is loaded
    assert lines[4] == "False module tensorflow"


# --------------------------------------------------------------- names that moved between Keras versions
def test_moved_callback_modules_are_minikeras_callbacks():
    with minikeras.install_as_keras():
        from keras.callbacks.callbacks import EarlyStopping, ModelCheckpoint
        from keras.callbacks.tensorboard_v1 import TensorBoard
    assert EarlyStopping is minikeras.callbacks.EarlyStopping and ModelCheckpoint is minikeras.callbacks.ModelCheckpoint
    assert TensorBoard is minikeras.callbacks.TensorBoard


def test_keras_engine_modules_give_the_minikeras_classes():
    with minikeras.install_as_keras():
        import keras.engine
        from keras.engine.base_layer import Layer as BaseLayer
        from keras.engine.topology import Layer as TopologyLayer, Network, Node
        from keras.engine.training import Model
        from tensorflow.keras.engine.sequential import Sequential
        engine = keras.engine
    assert engine.Layer is BaseLayer is TopologyLayer is minikeras.layers.Layer
    assert engine.Model is Model is minikeras.models.Model and Sequential is minikeras.models.Sequential
    assert Node is minikeras.layers.node.Node and Network is minikeras.models.network.Network
    with minikeras.install_as_keras():                  # `from keras import X` asks for minikeras.X
        from keras import engine as engine_from
        from keras.callbacks import callbacks
        from keras.layers import recurrent
    assert engine_from.Model is minikeras.models.Model and callbacks.History is minikeras.callbacks.History
    assert recurrent.LSTM is minikeras.layers.LSTM


KERAS_224_LAYER_MODULES = {
    "core": ["Dense", "Dropout", "Activation", "Flatten", "Masking", "Reshape", "Permute", "RepeatVector", "Lambda",
             "ActivityRegularization", "SpatialDropout1D", "SpatialDropout2D"],
    "convolutional": ["Conv1D", "Conv2D", "Conv2DTranspose", "SeparableConv2D", "DepthwiseConv2D", "UpSampling2D",
                      "ZeroPadding2D", "Cropping2D"],
    "recurrent": ["RNN", "SimpleRNN", "GRU", "LSTM", "SimpleRNNCell", "GRUCell", "LSTMCell"],
    "pooling": ["MaxPooling2D", "AveragePooling1D", "GlobalMaxPooling1D", "GlobalAveragePooling2D"],
    "normalization": ["BatchNormalization"], "embeddings": ["Embedding"],
    "merge": ["Add", "Concatenate", "Dot", "add", "concatenate", "dot"],
    "noise": ["GaussianNoise", "GaussianDropout", "AlphaDropout"],
    "wrappers": ["Bidirectional", "TimeDistributed"],
    "advanced_activations": ["LeakyReLU", "PReLU", "ELU", "ThresholdedReLU", "Softmax", "ReLU"],
}


def test_keras_2_2_4_layer_modules_hold_their_layers():
    with minikeras.install_as_keras():
        modules = {name: importlib.import_module(f"keras.layers.{name}") for name in KERAS_224_LAYER_MODULES}
    for module_name, names in KERAS_224_LAYER_MODULES.items():
        for name in names:
            assert getattr(modules[module_name], name) is getattr(minikeras.layers, name), (module_name, name)
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        modules["core"].Nope


def test_keras_utils_names():
    with minikeras.install_as_keras():
        from keras.utils import CustomObjectScope, custom_object_scope, generic_utils, np_utils, to_categorical
    assert generic_utils.CustomObjectScope is CustomObjectScope is minikeras.utils.CustomObjectScope
    assert custom_object_scope is minikeras.utils.custom_object_scope
    assert np_utils.to_categorical is to_categorical
    assert np_utils.to_categorical([2], 3).tolist() == [[0.0, 0.0, 1.0]]
    assert generic_utils.Progbar is minikeras.utils.Progbar


def test_lower_case_initializers_are_the_classes():
    inits = minikeras.initializers
    assert inits.zeros is inits.Zeros and inits.ones is inits.Ones and inits.constant is inits.Constant
    assert inits.glorot_uniform is inits.GlorotUniform and inits.he_normal is inits.HeNormal
    assert inits.lecun_uniform is inits.LecunUniform and inits.random_normal is inits.RandomNormal
    assert inits.constant(2.5)((2,)).tolist() == [2.5, 2.5]
    assert inits.he_normal(seed=3)((4, 2)).tolist() == inits.HeNormal(seed=3)((4, 2)).tolist()


def test_predict_classes_and_predict_proba_warn_and_answer():
    from minikeras.layers import Dense
    model = minikeras.models.Sequential([Dense(3, activation="softmax", input_dim=2)])
    x = np.array([[1.0, -2.0], [0.5, 3.0]], dtype="float32")
    with pytest.warns(DeprecationWarning, match="predict_proba.*tf_keras removed"):
        proba = model.predict_proba(x)
    np.testing.assert_allclose(proba, model.predict(x), rtol=1e-6)
    with pytest.warns(DeprecationWarning, match="predict_classes"):
        assert model.predict_classes(x).tolist() == model.predict(x).argmax(axis=-1).tolist()


def test_lower_case_optimizer_aliases_of_keras_2_2_4():
    opt = minikeras.optimizers.rmsprop(lr=0.25)
    assert type(opt) is minikeras.optimizers.RMSprop and float(opt.learning_rate) == pytest.approx(0.25)
    assert minikeras.optimizers.sgd is minikeras.optimizers.SGD and minikeras.optimizers.adam is minikeras.optimizers.Adam
    from minikeras.optimizers.rmsprop import RMSprop                # the module itself still imports
    assert RMSprop is minikeras.optimizers.RMSprop


def test_optimizers_deserialize_lower_cases_the_callers_class_name():
    config = {"class_name": "RMSprop", "config": {"learning_rate": 0.25}}
    optimizer = minikeras.optimizers.deserialize(config)
    assert config["class_name"] == "rmsprop"                       # as tf_keras does
    assert isinstance(optimizer, minikeras.optimizers.RMSprop)
    assert float(optimizer.learning_rate) == pytest.approx(0.25)


def test_tensorboard_accepts_tf_keras_newer_arguments(tmp_path):
    with pytest.warns(UserWarning, match="profile_batch=.*no TensorFlow profiler"):
        board = minikeras.callbacks.TensorBoard(log_dir=str(tmp_path), profile_batch=(2, 4),
                                                write_steps_per_second=True)
    assert board.profile_batch == (2, 4) and board.write_steps_per_second is True
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        minikeras.callbacks.TensorBoard(log_dir=str(tmp_path), profile_batch=0)


def test_legacy_make_batches_and_yaml_removed_as_in_tf_keras():
    from minikeras.compat.legacy.engine.training_utils import make_batches
    assert make_batches(7, 3) == [(0, 3), (3, 6), (6, 7)] and make_batches(0, 3) == []
    model = minikeras.Sequential([minikeras.layers.Dense(1, input_shape=(2,))])
    with pytest.raises(RuntimeError, match="to_json"):
        model.to_yaml()
    with pytest.raises(RuntimeError, match="model_from_json"):
        minikeras.models.model_from_yaml("{}")


def test_stand_in_answers_is_tensor_without_importing_tensorflow():
    # matplotlib calls tf.is_tensor(x) on every array it plots when 'tensorflow' is in sys.modules
    out = run_python("""
        import sys, numpy as np, minikeras
        minikeras.install_as_keras()
        import tensorflow as tf
        print(tf.is_tensor(np.ones(3)), tf._minikeras_real is None)
        minikeras.uninstall_keras_alias()
    """)
    assert out.splitlines()[0] == "False True"
