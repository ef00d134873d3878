"""A size budget for model configs read from files: a few bytes of JSON must not make
``load_model`` allocate gigabytes (issue 14: a config declaring ``Dense(40000)`` on 25000 inputs).

The weights a config implies are counted *before* any layer is built, for the layers whose size
follows from their config (``Dense``: ``units * (inputs + 1)``; layers such as Dropout or
Activation keep the feature size). A layer of another kind ends the count (its size is unknown).
"""
import numbers

#: The most numbers the weights of a loaded config may hold (1 GiB of float32).
MAX_PARAMETERS = 2 ** 28

_SAME_SIZE = {"Dropout", "Activation", "ActivityRegularization", "GaussianNoise", "GaussianDropout",
              "AlphaDropout", "LeakyReLU", "ReLU", "ELU", "ThresholdedReLU", "Softmax", "BatchNormalization"}


def check_config_size(layers, where, limit=MAX_PARAMETERS):
    """Raises ValueError if the ``Dense`` layers of ``layers`` (a Sequential config's layer list)
    would hold more than ``limit`` numbers.

    Args:
        layers: ``[{'class_name': ..., 'config': {...}}, ...]``.
        where: what to call the config in the message (the file).
        limit: the budget, in numbers.

    >>> check_config_size([{'class_name': 'Dense', 'config': {'units': 2, 'batch_input_shape': [None, 3]}}], 'x')
    8
    """
    features, total = None, 0
    for layer in layers if isinstance(layers, list) else []:   # a malformed config is reported later
        if not isinstance(layer, dict) or not isinstance(layer.get("config"), dict):
            break
        config, name = layer["config"], layer.get("class_name")
        if not isinstance(name, str):
            break
        shape = config.get("batch_input_shape") or config.get("batch_shape")
        if isinstance(shape, list) and shape and isinstance(shape[-1], numbers.Integral):
            features = int(shape[-1])
        if name == "Dense" and isinstance(config.get("units"), numbers.Integral) and features is not None:
            units = int(config["units"])
            total += units * (features + 1)
            if total > limit:
                raise ValueError(f"The model config in {where} declares {total} weights by its layer "
                                 f"{config.get('name', name)!r} (Dense({units}) on {features} inputs), more than the "
                                 f"{limit} minikeras loads from a file. Nothing was built.")
            features = units
        elif name not in _SAME_SIZE and name != "InputLayer":
            break
    return total
