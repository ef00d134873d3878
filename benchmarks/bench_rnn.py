"""Times an imdb_lstm-shaped model on minikeras and tf_keras; prints the epoch times and ratios.

Run:  python benchmarks/bench_rnn.py [--epochs 3] [--cells lstm,gru,simple_rnn] [--samples 1600]
      [--libraries minikeras,minikeras-1t,tf_keras,tf_keras-1t]

The model is Keras 2.2.4's examples/imdb_lstm.py: Embedding(20000, 128) -> LSTM(128, dropout=0.2,
recurrent_dropout=0.2) -> Dense(1, sigmoid), binary crossentropy, Adam, batch 32, on synthetic
sequences of 80 ids (the same data on both sides). GRU and SimpleRNN replace the LSTM in the other
scenarios. Each (library, cell) runs in its own subprocess, the libraries alternating; reported is
the median epoch time over epochs 2..N (epoch 1 pays for warm-up and tracing). Nothing asserts a
time; the machine's load (``os.getloadavg``) is printed with the figures, as other work on a shared
CPU changes them. ``minikeras-1t`` is minikeras with ``OPENBLAS_NUM_THREADS=1``: the per-step products
are small (32x128 by 128x512), and on a busy machine OpenBLAS's threads mostly wait for each other
(NumPy has no public API to change BLAS threads at run time; the variable must be set before NumPy
is imported). ``tf_keras-1t`` is tf_keras with one intra-op and one inter-op thread. Ratios are
printed for the same thread count on both sides and for each side's faster setting.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MAX_FEATURES, MAXLEN, BATCH = 20000, 80, 32


def make_data(samples):
    import numpy as np
    rng = np.random.default_rng(0)
    x = rng.integers(1, MAX_FEATURES, size=(samples, MAXLEN)).astype("int32")
    y = rng.integers(0, 2, size=(samples, 1)).astype("float32")
    return x, y


def run(library, cell, epochs, samples):
    """Builds and fits the model in this process; returns the epoch times."""
    if library.startswith("tf_keras"):
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import tensorflow as tf
        import tf_keras as keras
        if library.endswith("-1t"):
            tf.config.threading.set_intra_op_parallelism_threads(1)
            tf.config.threading.set_inter_op_parallelism_threads(1)
    else:
        sys.path.insert(0, ROOT)
        import minikeras as keras
        keras.backend.set_seed(0)
    x, y = make_data(samples)
    rnn = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU, "simple_rnn": keras.layers.SimpleRNN}[cell]
    model = keras.models.Sequential([keras.layers.Embedding(MAX_FEATURES, 128),
                                     rnn(128, dropout=0.2, recurrent_dropout=0.2),
                                     keras.layers.Dense(1, activation="sigmoid")])
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    times = []

    class EpochTimer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self.start)

    model.fit(x, y, batch_size=BATCH, epochs=epochs, verbose=0, callbacks=[EpochTimer()])
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--samples", type=int, default=1600)
    parser.add_argument("--cells", default="lstm,gru,simple_rnn")
    parser.add_argument("--libraries", default="minikeras,tf_keras,minikeras-1t,tf_keras-1t",
                        help="which of minikeras, minikeras-1t, tf_keras, tf_keras-1t to run (in this order)")
    parser.add_argument("--child", nargs=2, metavar=("LIBRARY", "CELL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run(*args.child, args.epochs, args.samples)))  # library, cell
        return
    print(f"imdb_lstm-shaped model, {args.samples} sequences of {MAXLEN}, batch {BATCH}, "
          f"median epoch time over epochs 2..{args.epochs}")
    for cell in args.cells.split(","):
        medians = {}
        for library in args.libraries.split(","):
            load = os.getloadavg()[0]
            env = dict(os.environ, OPENBLAS_NUM_THREADS="1") if library.endswith("-1t") else os.environ
            out = subprocess.run([sys.executable, __file__, "--epochs", str(args.epochs), "--samples",
                                  str(args.samples), "--child", library, cell],
                                 capture_output=True, text=True, cwd=ROOT, env=env)
            if out.returncode != 0:
                print(f"  {cell:10s} {library:12s} failed: {out.stderr.strip().splitlines()[-1:]}")
                continue
            times = json.loads(out.stdout.strip().splitlines()[-1])
            medians[library] = statistics.median(times[1:] or times)
            print(f"  {cell:10s} {library:12s} {medians[library]:7.2f} s/epoch  "
                  f"(epochs: {', '.join(f'{t:.2f}' for t in times)}; load {load:.1f})")
        pairs = [("minikeras", "tf_keras"), ("minikeras-1t", "tf_keras-1t")]
        ours = [k for k in medians if k.startswith("minikeras")]
        theirs = [k for k in medians if k.startswith("tf_keras")]
        if ours and theirs:
            pairs.append((min(ours, key=medians.get), min(theirs, key=medians.get)))  # each side's faster setting
        for a, b in dict.fromkeys(pairs):
            if a in medians and b in medians:
                print(f"  {cell:10s} {a} is {medians[b] / medians[a]:.2f}x faster than {b}")
        print(f"  (load average after {cell}: {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
