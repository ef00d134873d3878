"""Times minikeras's convolution layers against tf_keras on two CNNs; prints the figures.

Run:  python benchmarks/bench_cnn.py [--epochs 3] [--rows 6000] [--repeats 2] [--scenarios mnist_cnn,vgg_like]

Models (the same on both libraries, same synthetic float32 data, ``shuffle=True``):

  mnist_cnn  Keras 2.2.4's examples/mnist_cnn.py: Conv2D(32, 3x3, relu) -> Conv2D(64, 3x3, relu) ->
             MaxPooling2D(2x2) -> Dropout(.25) -> Flatten -> Dense(128, relu) -> Dropout(.5) ->
             Dense(10, softmax); Adadelta, batch 128, on ``--rows`` 28x28x1 images
  vgg_like   the Sequential guide's VGG-like convnet on 100x100x3 images (2 x [2 x Conv2D, MaxPooling,
             Dropout], Dense(256), Dense(10)); SGD(0.01, momentum .9, nesterov), batch 32, 320 rows

Every run is its own subprocess, so peak memory is its own: minikeras with one BLAS thread and
with two (``threadpoolctl`` limits OpenBLAS inside the benchmark; the package itself never sets
threads), and tf_keras. Two OpenBLAS threads only pay when both cores are free: the convolution's
products are tall and thin (73728x288 by 288x64 for mnist_cnn's second layer), OpenBLAS splits
their rows between the threads and waits (spinning) for the slower one, so when another process
holds one core the product takes as long as on one thread, or longer — while a small product
such as Dense's 128x9216 by 9216x128 ends within one time slice and does scale. The runs are interleaved — one of each, ``--repeats`` times over — so a
burst of load from other processes on a shared CPU slows all sides alike, and each side's figure
is its fastest epoch (epochs 2..N: epoch 1 pays for warm-up). Reported: those epoch times (with the
CPU time the process used in that epoch, all threads together: under load, a process with more
threads gets a larger share of the CPU), the ratio minikeras / tf_keras of the wall times, and the
peak resident memory against the data's size. Nothing here asserts a time; the load average is
printed with the figures.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHAPES = {"mnist_cnn": (28, 28, 1), "vgg_like": (100, 100, 3)}


def make_data(scenario, rows):
    import numpy as np
    rows = rows if scenario == "mnist_cnn" else 320
    rng = np.random.default_rng(0)
    x = rng.random((rows,) + SHAPES[scenario], dtype=np.float32)
    y = np.zeros((rows, 10), dtype=np.float32)
    y[np.arange(rows), rng.integers(0, 10, rows)] = 1.0
    return x, y


def build(keras, scenario):
    layers = keras.layers
    if scenario == "mnist_cnn":
        model = keras.models.Sequential([
            layers.Conv2D(32, kernel_size=(3, 3), activation="relu", input_shape=SHAPES[scenario]),
            layers.Conv2D(64, (3, 3), activation="relu"), layers.MaxPooling2D(pool_size=(2, 2)),
            layers.Dropout(0.25), layers.Flatten(), layers.Dense(128, activation="relu"), layers.Dropout(0.5),
            layers.Dense(10, activation="softmax")])
        model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.Adadelta(), metrics=["accuracy"])
        return model, 128
    model = keras.models.Sequential([
        layers.Conv2D(32, (3, 3), activation="relu", input_shape=SHAPES[scenario]),
        layers.Conv2D(32, (3, 3), activation="relu"), layers.MaxPooling2D(pool_size=(2, 2)), layers.Dropout(0.25),
        layers.Conv2D(64, (3, 3), activation="relu"), layers.Conv2D(64, (3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)), layers.Dropout(0.25), layers.Flatten(),
        layers.Dense(256, activation="relu"), layers.Dropout(0.5), layers.Dense(10, activation="softmax")])
    model.compile(loss="categorical_crossentropy",
                  optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9, nesterov=True))
    return model, 32


def child(library, scenario, epochs, rows):
    threads = None
    if library.startswith("minikeras-"):   # minikeras-1t / minikeras-2t: OpenBLAS limited to n threads
        library, threads = "minikeras", int(library.split("-")[1].rstrip("t"))
    if library == "tf_keras":
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import tf_keras as keras
    else:
        sys.path.insert(0, ROOT)
        import minikeras as keras
    x, y = make_data(scenario, rows)
    model, batch_size = build(keras, scenario)
    starts = []

    class EpochTimer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            starts.append((time.perf_counter(), time.process_time()))

        def on_train_end(self, logs=None):
            starts.append((time.perf_counter(), time.process_time()))

    if threads is None:
        model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0, callbacks=[EpochTimer()])
    else:
        from threadpoolctl import threadpool_limits
        with threadpool_limits(limits=threads, user_api="blas"):
            model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0, callbacks=[EpochTimer()])
    times = [(b[0] - a[0], b[1] - a[1]) for a, b in zip(starts, starts[1:])]   # (wall, CPU) per epoch
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    wall, cpu = min(times[1:] or times)
    print(json.dumps({"epoch_s": wall, "cpu_s": cpu, "peak_mib": peak,
                      "data_mib": (x.nbytes + y.nbytes) / 2 ** 20}))


def measure(library, scenario, epochs, rows):
    proc = subprocess.run([sys.executable, __file__, "--child", library, scenario, "--epochs", str(epochs),
                           "--rows", str(rows)], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        print(proc.stderr[-2000:], file=sys.stderr)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=6000)
    parser.add_argument("--repeats", type=int, default=2, help="interleaved runs per library; the fastest counts")
    parser.add_argument("--scenarios", default=",".join(SHAPES))
    parser.add_argument("--child", nargs=2, metavar=("LIBRARY", "SCENARIO"))
    args = parser.parse_args(argv)
    if args.child:
        return child(*args.child, args.epochs, args.rows)
    import importlib.util
    libraries = ["minikeras-1t", "minikeras-2t"] + (["tf_keras"] if importlib.util.find_spec("tf_keras") else [])
    print(f"load average before: {os.getloadavg()[0]:.2f} (2-core machine; other processes slow both sides)")
    for scenario in args.scenarios.split(","):
        results = {}
        for _ in range(args.repeats):
            for lib in libraries:
                r = measure(lib, scenario, args.epochs, args.rows)
                if r and (lib not in results or r["epoch_s"] < results[lib]["epoch_s"]):
                    results[lib] = dict(r, peak_mib=max(r["peak_mib"], results.get(lib, r)["peak_mib"]))
        for lib, r in results.items():
            print(f"{scenario:10s} {lib:13s} epoch {r['epoch_s']:7.2f} s (CPU {r['cpu_s']:6.2f} s)   peak RSS {r['peak_mib']:7.0f} MiB   "
                  f"data {r['data_mib']:6.1f} MiB")
        tf = results.get("tf_keras")
        for lib in libraries[:2]:
            if results.get(lib) and tf:
                print(f"{scenario:10s} epoch time ratio {lib}/tf_keras = {results[lib]['epoch_s'] / tf['epoch_s']:.2f}")
            if results.get(lib):
                print(f"{scenario:10s} {lib} peak memory - data = "
                      f"{results[lib]['peak_mib'] - results[lib]['data_mib']:.0f} MiB (target <= 512)")
        print(f"load average now: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
