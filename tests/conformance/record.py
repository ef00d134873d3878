"""Records scenario traces from a real Keras: the goldens, or a live run for the tests.

Usage (from the repository root; needs tf_keras / Keras 3 installed)::

    python -m tests.conformance.record                       # tf_keras and Keras 3, all scenarios
    python -m tests.conformance.record --oracle tf_keras seed_model_rmsprop
    python -m tests.conformance.record --oracle keras3 --out /tmp/live   # what the live tests run

Each scenario becomes ``<out>/<oracle>/<scenario>.json``::

    {"scenario": ..., "oracle": ..., "versions": {"tf_keras": "2.21.0", "tensorflow": "2.21.0"},
     "source_hash": <hash of the scenario's source>, "trace": {...}}   (or "error"/"skipped")

A full tf_keras recording also (re)writes the input files that the load-interop scenarios read
(e.g. an .h5 model saved by tf_keras) into ``<out>/assets``: with the default ``--out`` that is the
committed ``goldens/assets``; a live run (``--out`` a temporary folder) writes nothing elsewhere.
"""
import argparse
import json
import os
import sys
import time

if __package__ in (None, ""):  # run as a script: make `tests.conformance` importable
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def import_oracle(oracle):
    """Imports the oracle package; returns ``(module, versions dict)``."""
    if oracle == "tf_keras":
        import tensorflow as tf
        import tf_keras
        return tf_keras, {"tf_keras": tf_keras.__version__, "tensorflow": tf.__version__}
    if oracle == "keras3":
        os.environ["KERAS_BACKEND"] = "tensorflow"
        import keras
        if not keras.__version__.startswith("3."):
            raise SystemExit(f"keras {keras.__version__} is not Keras 3")
        import tensorflow as tf
        return keras, {"keras": keras.__version__, "backend": keras.backend.backend(), "tensorflow": tf.__version__}
    if oracle == "minikeras":
        import minikeras
        return minikeras, {"minikeras": minikeras.__version__}
    raise SystemExit(f"unknown oracle {oracle!r}: use tf_keras, keras3 or minikeras")


def record(oracle, out, names=None, quiet=False):
    """Runs the scenarios meant for ``oracle`` and writes one JSON file each under ``out/oracle``."""
    from tests.conformance import harness, scenarios
    k, versions = import_oracle(oracle)
    folder = os.path.join(out, oracle)
    os.makedirs(folder, exist_ok=True)
    if oracle == "tf_keras" and names is None:
        scenarios.make_assets(k, os.path.join(out, "assets"))
    selected = [n for n, s in harness.SCENARIOS.items() if (oracle in s.oracles or oracle == "minikeras")
                and (not names or n in names)]
    if names:
        unknown = set(names) - set(harness.SCENARIOS)
        if unknown:
            raise SystemExit(f"unknown scenario(s): {sorted(unknown)}")
    else:  # a full recording: drop files of scenarios that no longer exist or no longer use this oracle
        for filename in os.listdir(folder):
            if filename.endswith(".json") and filename[:-5] not in selected:
                os.remove(os.path.join(folder, filename))
    for name in selected:
        start = time.time()
        result = harness.run(name, oracle, k)
        doc = {"scenario": name, "oracle": oracle, "versions": versions,
               "source_hash": harness.SCENARIOS[name].source_hash(), **result}
        with open(os.path.join(folder, f"{name}.json"), "w") as f:
            json.dump(doc, f, indent=1, sort_keys=False)
            f.write("\n")
        if not quiet:
            status = "ok" if "trace" in result else next(iter(result))
            print(f"{oracle:9s} {name:45s} {status:8s} {time.time() - start:5.1f}s", file=sys.stderr)
            if "error" in result:
                print(result["error"], file=sys.stderr)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="scenario names (default: all)")
    parser.add_argument("--oracle", choices=["tf_keras", "keras3", "minikeras", "all"], default="all")
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "goldens"))
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if args.oracle == "all":  # each oracle in its own process (Keras 3 and tf_keras side by side)
        import subprocess
        for oracle in ("tf_keras", "keras3"):
            cmd = [sys.executable, "-m", "tests.conformance.record", "--oracle", oracle, "--out", args.out,
                   *args.names] + (["--quiet"] if args.quiet else [])
            subprocess.run(cmd, check=True, cwd=os.path.dirname(os.path.dirname(os.path.dirname(
                os.path.abspath(__file__)))))
        return 0
    record(args.oracle, args.out, args.names or None, args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
