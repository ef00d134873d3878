"""The tf_keras side of ``test_conformance_layers.py``; run as a subprocess (TensorFlow stays out of pytest).

    python -m tests.layers.tf_oracle CASES.json INPUTS.npz OUTPUTS.npz FOLDER

For each case: builds the tf_keras layer from the same class name and arguments, loads minikeras's
weights, and records the forward output, ``d sum(out * r) / d(input, weights)`` (GradientTape) and
the weights after the call (batch normalization's moving statistics). Then the fit case (3 epochs
from minikeras's initial weights, ``shuffle=False``) and the HDF5 exchange in both directions.
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def main(cases_path, inputs_path, outputs_path, folder):
    import numpy as np
    import tensorflow as tf
    import tf_keras as keras

    from tests.layers.conformance_cases import build_fit_model

    with open(cases_path) as f:
        cases = json.load(f)
    data = dict(np.load(inputs_path))
    out = {}
    for i, case in enumerate(cases):
        layer = getattr(keras.layers, case["class_name"])(**case["kwargs"])
        x = tf.Variable(data[f"{i}/x"])
        layer.build(x.shape)
        layer.set_weights([data[f"{i}/w{j}"] for j in range(case["n_weights"])])
        with tf.GradientTape() as tape:
            y = layer(x, training=case["training"])
            loss = tf.reduce_sum(y * data[f"{i}/r"])
        grads = tape.gradient(loss, [x] + layer.trainable_weights)
        out[f"{i}/y"] = y.numpy()
        out[f"{i}/dx"] = grads[0].numpy()
        for j, g in enumerate(grads[1:]):
            out[f"{i}/dw{j}"] = g.numpy()
        for j, w in enumerate(layer.get_weights()):
            out[f"{i}/after{j}"] = w

    model = build_fit_model(keras)
    model.set_weights([data[f"fit/w{j}"] for j in range(len(model.get_weights()))])
    history = model.fit(data["fit/x"], data["fit/y"], batch_size=16, epochs=3, shuffle=False, verbose=0)
    out["fit/loss"] = np.array(history.history["loss"])
    for j, w in enumerate(model.get_weights()):
        out[f"fit/after{j}"] = w

    mini_file = os.path.join(folder, "minikeras_cnn.h5")          # written by minikeras: open it here
    loaded = keras.models.load_model(mini_file)
    out["h5/tf_predicts_minikeras_file"] = loaded.predict(data["fit/x"], verbose=0)
    out["h5/names"] = np.array([w.name for w in loaded.weights])
    model.save(os.path.join(folder, "tf_keras_cnn.h5"))            # opened by minikeras afterwards
    out["h5/tf_model_predicts"] = model.predict(data["fit/x"], verbose=0)
    np.savez(outputs_path, **out)


if __name__ == "__main__":
    main(*sys.argv[1:5])
