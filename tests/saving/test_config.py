"""get_config/from_config for models, layers, optimizers, losses and metrics; training configs."""
import json

import numpy as np
import pytest

from minikeras import backend as K
from minikeras import initializers, layers, losses, metrics, optimizers, regularizers
from minikeras.layers import Activation, Dense, Dropout, Flatten, Input
from minikeras.models import Sequential
from minikeras.saving import config, training_config
from tests.saving import helpers

LAYERS = [
    Dense(7, activation="tanh", use_bias=False, kernel_initializer=initializers.RandomNormal(0.1, 0.2, seed=3),
          bias_initializer="ones", kernel_regularizer=regularizers.l1_l2(0.1, 0.2), bias_regularizer="l2",
          input_shape=(4,), name="d", trainable=False),
    Activation("softmax", name="act"),
    Dropout(0.3, noise_shape=(None, 1), seed=9),
    Flatten(),
]


@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: type(layer).__name__)
def test_layer_config_round_trip(layer):
    restored = layers.deserialize(json.loads(json.dumps(layers.serialize(layer), default=config.json_default)))
    assert type(restored) is type(layer)
    assert restored.get_config() == layer.get_config()


def test_model_config_round_trip_with_input_layer():
    K.clear_session()
    model = Sequential([Input(shape=(4,)), Dense(3, activation="relu"), Dropout(0.5), Dense(2)])
    rebuilt = config.deserialize_model(json.loads(config.to_json(config.serialize_model(model))))
    assert rebuilt.get_config() == model.get_config()
    assert rebuilt.built and rebuilt.input_shape == (None, 4)
    assert [layer.name for layer in rebuilt.layers] == ["dense", "dropout", "dense_1"]


def test_keras_2_0_list_config_and_keras_3_dtype_policy_are_accepted():
    layer_list = [{"class_name": "Dense", "config": {
        "name": "d", "units": 2, "batch_input_shape": [None, 3],
        "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}}}}]
    model = config.deserialize_model({"class_name": "Sequential", "config": layer_list})
    assert model.layers[0].dtype == "float32" and model.input_shape == (None, 3)


@pytest.mark.parametrize("optimizer", [
    optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True, clipnorm=1.0),
    optimizers.RMSprop(learning_rate=0.01, rho=0.8, momentum=0.1, epsilon=1e-6, centered=True, clipvalue=0.5),
    optimizers.Adagrad(learning_rate=0.2, initial_accumulator_value=0.2),
    optimizers.Adadelta(learning_rate=0.5, rho=0.9),
    optimizers.Adam(learning_rate=0.003, beta_1=0.8, beta_2=0.99, amsgrad=True, global_clipnorm=2.0),
    optimizers.Adamax(learning_rate=0.004),
    optimizers.Nadam(learning_rate=0.005, name="my_nadam"),
    optimizers.SGD(lr=0.01, decay=1e-6),
], ids=lambda o: type(o).__name__)
def test_optimizer_config_round_trip_through_training_config(optimizer):
    K.clear_session()
    model = Sequential([Dense(2, input_dim=3)])
    model.compile(optimizer=optimizer, loss="mse")
    saved = json.loads(config.to_json(training_config.serialize_training_config(model)))
    restored = training_config.compile_args(saved)["optimizer"]
    assert type(restored) is type(optimizer)
    assert restored.get_config() == optimizer.get_config()
    prefix = "" if optimizer.decay else "Custom>"
    assert saved["optimizer_config"]["class_name"] == prefix + type(optimizer).__name__
    assert saved["optimizer_config"]["config"].get("is_legacy_optimizer", True) is bool(optimizer.decay)


@pytest.mark.parametrize("name", sorted(losses.LOSSES))
def test_loss_serialize_then_get_is_the_same_function(name):
    fn = losses.get(name)
    assert losses.get(losses.serialize(fn)) is fn
    assert training_config._loss(name, {}) == name


@pytest.mark.parametrize("name", sorted(metrics.METRICS))
def test_metric_names_survive_the_training_config(name):
    assert training_config._metric(name, {}) == name
    found = metrics.METRICS[name]
    if isinstance(found, type):                       # a class name ('AUC', 'auc'): get makes one
        assert type(metrics.get(name)) is found
    else:
        assert metrics.get(name) is found


def test_tf_keras_training_config_is_understood():
    args = training_config.compile_args(json.loads(helpers.TK_TRAINING_CONFIG))
    assert args["loss"] == "categorical_crossentropy" and args["metrics"] == ["accuracy"]
    assert type(args["optimizer"]) is optimizers.RMSprop
    assert K.get_value(args["optimizer"].learning_rate) == np.float32(0.01)
    assert "loss_weights" not in args


def test_tf_keras_loss_and_metric_objects_map_to_functions():
    saved = {"loss": {"class_name": "MeanSquaredError", "config": {"reduction": "auto", "name": "mean_squared_error"}},
             "metrics": [[{"class_name": "MeanMetricWrapper", "config": {"name": "mse", "fn": "mean_squared_error"}},
                          {"class_name": "MeanAbsoluteError", "config": {"name": "mean_absolute_error"}}]],
             "loss_weights": [2.0], "optimizer_config": {"class_name": "Adam", "config": {}}}
    args = training_config.compile_args(saved)
    assert args["loss"] == "mean_squared_error" and args["metrics"] == ["mse", "mean_absolute_error"]
    assert args["loss_weights"] == [2.0] and type(args["optimizer"]) is optimizers.Adam
    kld = {"class_name": "KLDivergence", "config": {"reduction": "auto", "name": "kl_divergence"}}
    assert training_config.compile_args(dict(saved, loss=kld))["loss"] == "kl_divergence"
    with pytest.raises(ValueError, match=r"from_logits=True.*compile=False"):
        training_config.compile_args(dict(saved, loss={"class_name": "CategoricalCrossentropy",
                                                       "config": {"from_logits": True}}))
    auc, = training_config.compile_args(dict(saved, metrics=[{"class_name": "AUC", "config": {
        "name": "auc", "curve": "PR", "num_thresholds": 50}}]))["metrics"]   # a metric class: rebuilt as such
    assert (type(auc).__name__, auc.name, auc.curve, auc.num_thresholds) == ("AUC", "auc", "PR", 50)


def test_keras_2_2_4_optimizer_config_with_lr_and_decay():
    saved = {"optimizer_config": {"class_name": "RMSprop",
                                  "config": {"lr": 0.01, "rho": 0.9, "decay": 0.001, "epsilon": 1e-07}},
             "loss": "categorical_crossentropy", "metrics": ["accuracy"], "sample_weight_mode": None,
             "loss_weights": None}
    args = training_config.compile_args(saved)
    opt = args["optimizer"]
    assert type(opt) is optimizers.RMSprop and opt.decay == 0.001 and K.get_value(opt.lr) == np.float32(0.01)
