"""``multi_gpu_model`` (Keras 2.2.4 ``keras.utils.multi_gpu_utils``): not available in minikeras.

minikeras computes with NumPy on the CPU, so there are no GPUs to replicate a model on
(tf_keras removed ``multi_gpu_model`` too, in favour of ``tf.distribute`` strategies).
"""


def multi_gpu_model(model, gpus=None, cpu_merge=True, cpu_relocation=False):
    """Not available: minikeras has no GPUs to replicate ``model`` on.

    Args:
        model: the model Keras would replicate.
        gpus: number of GPUs (or their ids).
        cpu_merge: where Keras merged the results.
        cpu_relocation: whether Keras built the weights on the CPU.

    Raises:
        NotImplementedError: always, saying what to do instead.
    """
    raise NotImplementedError("minikeras has no multi_gpu_model: it computes with NumPy on the CPU. Train `model` "
                              "itself (tf_keras replaced multi_gpu_model by tf.distribute strategies).")
