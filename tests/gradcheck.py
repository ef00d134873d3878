"""Central finite differences, shared by the gradient tests."""
import numpy as np


def numeric_grad(f, x, eps=1e-6):
    """Returns d f(x) / d x for a scalar function ``f`` of the float64 array ``x`` (changed in place, restored)."""
    grad = np.zeros_like(x, dtype=np.float64)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        up = f()
        flat[i] = old - eps
        down = f()
        flat[i] = old
        gflat[i] = (up - down) / (2 * eps)
    return grad


def check_layer_gradients(layer, x, seed=0, training=True, rtol=1e-5, atol=1e-7, **call_kwargs):
    """Compares ``layer.backward`` with finite differences of ``L = sum(layer(x) * r)`` for a random ``r``.

    Checks dL/dx and dL/dw for every trainable weight (use float64 inputs and weights);
    ``call_kwargs`` (e.g. ``mask=``) go to every call.
    """
    out = layer(x, training=training, **call_kwargs)
    r = np.random.default_rng(seed).normal(size=out.shape)

    def loss():
        return float(np.sum(layer.call(x, training=training, **call_kwargs) * r))

    layer.call(x, training=training, **call_kwargs)
    dx = layer.backward(r)
    np.testing.assert_allclose(dx, numeric_grad(loss, x), rtol=rtol, atol=atol)
    assert len(layer.grads) == len(layer.trainable_weights)
    for w, g in zip(layer.trainable_weights, layer.grads):
        np.testing.assert_allclose(g, numeric_grad(loss, w), rtol=rtol, atol=atol)
