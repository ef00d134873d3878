"""Times minikeras's fit against a hand-written NumPy loop, tf_keras and Keras 3; prints figures.

Run:  python benchmarks/bench_fit.py [--epochs 6] [--write-docs]

Every scenario runs in its own subprocess (so peak memory and import time are its own) on the
same synthetic float32 data. Reported: the median epoch time over epochs 2..N (epoch 1 pays
for warm-up), the ratios, the peak resident memory, and ``import minikeras`` time. Nothing here
asserts a time: the figures are for people (and for ``docs/performance.md`` with --write-docs).

Scenarios:
  seed        the seed model, 784->10 softmax, RMSprop, batch 128, 60 000 rows
  numpy_ref   the same maths as a plain NumPy loop (per batch: gather rows, matmul, softmax,
              crossentropy, gradient, RMSprop update): the honest floor
  mlp         784-512-512-10 relu MLP, RMSprop, batch 128, 20 000 rows
  callbacks   'seed' (validation_split=0.1) with History, BaseLogger, ModelCheckpoint(save_best_only),
              EarlyStopping, ReduceLROnPlateau, CSVLogger and a user callback overriding on_batch_end,
              against the same fit without callbacks in the same process (runs alternate)
  tf_seed / tf_mlp      the same on tf_keras (if installed)
  k3_seed / k3_mlp      the same on Keras 3 with its TensorFlow backend (if installed)
"""
import argparse
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def make_data(rows):
    import numpy as np
    rng = np.random.default_rng(0)
    x = rng.random((rows, 784), dtype=np.float32)
    y = np.zeros((rows, 10), dtype=np.float32)
    y[np.arange(rows), rng.integers(0, 10, rows)] = 1.0
    return x, y


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# ------------------------------------------------------------------------- one scenario per process
def run_keras_like(keras, scenario, epochs, tmp):
    rows = 20000 if scenario == "mlp" else 60000
    x, y = make_data(rows)
    times = []

    class EpochTimer(keras.callbacks.Callback):
        """Times begin-to-begin, so every callback's on_epoch_end work is inside the epoch."""

        def on_epoch_begin(self, epoch, logs=None):
            now = time.perf_counter()
            if hasattr(self, "start"):
                times.append(now - self.start)
            self.start = now

        def on_train_end(self, logs=None):
            times.append(time.perf_counter() - self.start)

    if scenario == "mlp":
        model = keras.models.Sequential([
            keras.layers.Dense(512, activation="relu", input_shape=(784,)),
            keras.layers.Dense(512, activation="relu"),
            keras.layers.Dense(10, activation="softmax")])
    else:
        model = keras.models.Sequential()
        model.add(keras.layers.Dense(10, input_shape=(784,), kernel_initializer="uniform"))
        model.add(keras.layers.Activation("softmax"))
    # the seed compiles without metrics (and the NumPy floor computes none); the MLP reports accuracy
    metrics = ["accuracy"] if scenario == "mlp" else None
    model.compile(loss="categorical_crossentropy", optimizer="rmsprop", metrics=metrics)
    callbacks = [EpochTimer()]
    validation = {}
    if scenario == "callbacks":
        cb = keras.callbacks

        class UserBatchCallback(cb.Callback):
            def on_batch_end(self, batch, logs=None):
                self.last = logs.get("loss")

        validation = {"validation_split": 0.1}
        callbacks += [cb.History(), cb.BaseLogger(),
                      cb.ModelCheckpoint(os.path.join(tmp, "best.h5"), save_best_only=True),
                      cb.EarlyStopping(patience=100), cb.ReduceLROnPlateau(patience=100),
                      cb.CSVLogger(os.path.join(tmp, "log.csv")), UserBatchCallback()]
    elif scenario == "seed_split":
        validation = {"validation_split": 0.1}
    model.fit(x, y, batch_size=128, epochs=epochs, verbose=0, callbacks=callbacks, **validation)
    return times


def run_numpy_ref(epochs):
    import numpy as np
    x, y = make_data(60000)
    rng = np.random.default_rng(1)
    w = rng.uniform(-0.05, 0.05, (784, 10)).astype(np.float32)
    b = np.zeros(10, np.float32)
    params, accs = [w, b], [np.zeros_like(w), np.zeros_like(b)]
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        order = rng.permutation(len(x))
        for s in range(0, len(x), 128):
            idx = order[s:s + 128]
            xb, yb = x[idx], y[idx]                                     # gather the rows
            z = xb @ w + b                                              # one matmul
            z -= z.max(axis=1, keepdims=True)
            e = np.exp(z)
            p = e / e.sum(axis=1, keepdims=True)                        # softmax
            loss = -np.mean(np.sum(yb * np.log(p + 1e-7), axis=1))      # crossentropy
            g = (p - yb) / len(xb)                                      # gradient wrt logits
            for param, grad, acc in zip(params, (xb.T @ g, g.sum(axis=0)), accs):
                acc *= 0.9
                acc += 0.1 * grad * grad                                # RMSprop
                param -= 0.001 * grad / np.sqrt(acc + 1e-7)
        times.append(time.perf_counter() - start)
        assert np.isfinite(loss)
    return times


def child(scenario, epochs):
    with tempfile.TemporaryDirectory() as tmp:
        if scenario == "numpy_ref":
            times = run_numpy_ref(epochs)
        elif scenario.startswith("tf_"):
            os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
            import tf_keras
            times = run_keras_like(tf_keras, scenario[3:], epochs, tmp)
        elif scenario.startswith("k3_"):
            os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
            os.environ["KERAS_BACKEND"] = "tensorflow"
            import keras
            times = run_keras_like(keras, scenario[3:], epochs, tmp)
        else:
            start = time.perf_counter()
            import minikeras
            import_s = time.perf_counter() - start
            result = {"import_s": import_s}
            if scenario == "callbacks":
                # Epoch times of two processes differ by more than the callbacks cost, so the
                # baseline (same model and split, no callbacks) runs in this process, alternating.
                times, baseline = [], []
                for _ in range(2):
                    baseline += run_keras_like(minikeras, "seed_split", epochs, tmp)[1:]
                    gc.collect()  # model <-> callbacks cycles: free the last run's data before the next
                    times += run_keras_like(minikeras, "callbacks", epochs, tmp)[1:]
                    gc.collect()
                result["baseline_median_s"] = statistics.median(baseline)
            else:
                times = run_keras_like(minikeras, scenario, epochs, tmp)
            result.update({"times": times, "peak_mib": peak_mib()})
            print(json.dumps(result))
            return
    print(json.dumps({"times": times, "peak_mib": peak_mib()}))


# ------------------------------------------------------------------------- the driver
def measure(scenario, epochs):
    proc = subprocess.run([sys.executable, __file__, "--child", scenario, "--epochs", str(epochs)],
                          capture_output=True, text=True, cwd=ROOT)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    result = json.loads(lines[-1])
    result["median_s"] = statistics.median(result["times"][1:] or result["times"])
    return result


def import_time(repeats=5):
    code = "import time; t = time.perf_counter(); import minikeras; print(time.perf_counter() - t)"
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT).stdout)
            for _ in range(repeats)]
    return statistics.median(runs)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--child")
    parser.add_argument("--only", nargs="*", help="run only these scenarios")
    parser.add_argument("--write-docs", action="store_true", help="write docs/performance.md")
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, args.epochs)

    scenarios = args.only or ["numpy_ref", "seed", "callbacks", "seed_split", "mlp",
                              "tf_seed", "tf_mlp", "k3_seed", "k3_mlp"]
    results = {}
    for name in scenarios:
        results[name] = measure(name, args.epochs)
        r = results[name]
        shown = f"median epoch {r['median_s']:.3f} s, peak {r['peak_mib']:.0f} MiB" if "median_s" in r \
            else f"not run ({r['error']})"
        print(f"{name:11s} {shown}", flush=True)
    imp = import_time()
    data_mib = 60000 * (784 + 10) * 4 / 2**20
    lines = report(results, imp, data_mib, args.epochs)
    print("\n".join(lines))
    if args.write_docs:
        write_docs(lines)
    return 0


def ratio(results, a, b):
    if "median_s" in results.get(a, {}) and "median_s" in results.get(b, {}):
        return results[a]["median_s"] / results[b]["median_s"]
    return None


def callbacks_ratio(results):
    r = results.get("callbacks", {})
    return r["median_s"] / r["baseline_median_s"] if "baseline_median_s" in r else None


def report(results, import_s, data_mib, epochs):
    def fmt(x, spec=".2f"):
        return "n/a" if x is None else format(x, spec)

    rows = [("seed / numpy_ref", ratio(results, "seed", "numpy_ref"), "<= 1.2"),
            ("tf_seed / seed", ratio(results, "tf_seed", "seed"), ">= 3 (minikeras faster)"),
            ("k3_seed / seed", ratio(results, "k3_seed", "seed"), "(for information)"),
            ("mlp / tf_mlp", ratio(results, "mlp", "tf_mlp"), "<= 1.0"),
            ("callbacks / no callbacks (same process)", callbacks_ratio(results), "<= 1.1")]
    seed_peak = results.get("seed", {}).get("peak_mib")
    lines = ["", f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
                 f"Python {platform.python_version()}; {epochs} epochs, median of epochs 2..{epochs}", "",
             "| scenario | median epoch (s) | peak memory (MiB) |", "|---|---|---|"]
    for name, r in results.items():
        lines.append(f"| {name} | {fmt(r.get('median_s'), '.3f')} | {fmt(r.get('peak_mib'), '.0f')} |")
    lines += ["", "| ratio | value | target |", "|---|---|---|"]
    lines += [f"| {name} | {fmt(value)} | {target} |" for name, value, target in rows]
    lines += ["", f"`import minikeras`: {import_s * 1000:.0f} ms (target < 300 ms)",
              f"seed peak memory: {fmt(seed_peak, '.0f')} MiB; data {data_mib:.0f} MiB, "
              f"limit 2 x data + 64 = {2 * data_mib + 64:.0f} MiB"]
    return lines


def write_docs(lines):
    """Rewrites the top of docs/performance.md with these figures; its ``## `` sections (written by
    hand, for the other benchmarks) are kept."""
    path = os.path.join(ROOT, "docs", "performance.md")
    text = ("# Performance\n\nFigures from one run of `python benchmarks/bench_fit.py --write-docs` on the "
            "project's 2-core machine (see the script's docstring for the scenarios). Timings on this "
            "shared virtual machine vary by about 20 % from run to run, so a single ratio near its target "
            "says little: repeat the run and compare medians.\n"
            + "\n".join(lines) + "\n")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            old = f.read()
        if "\n## " in old:
            text += old[old.index("\n## "):]
    from minikeras.utils.io_utils import atomic_path
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
    print(f"wrote {path}")


if __name__ == "__main__":
    sys.exit(main())
