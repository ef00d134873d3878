"""The ONE list of known, intended differences between minikeras and the real packages.

Each entry says which oracle(s) it concerns, why minikeras differs, and either a
``normalise(minikeras_trace, oracle_trace)`` that removes exactly that difference before the
comparison, or ``how`` the scenarios avoid it. ``docs/conformance.md`` prints this list.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Difference:
    """One known difference (see the module docstring)."""
    key: str
    oracles: tuple
    reason: str
    normalise: object = None   # fn(mk_trace, oracle_trace) -> (mk_trace, oracle_trace); None = avoided
    how: str = ""              # what the normaliser does, or how scenarios avoid the difference
    scenarios: tuple = None    # None: every scenario


def _strip_batch_size(mk, oracle):
    def keys(k):
        return [x for x in k if x not in ("batch", "size")]
    if "hooks" in mk:
        mk["hooks"] = [[h, i, keys(k) if "batch" in h else k] for h, i, k in mk["hooks"]]
    if "batch_logs" in mk:
        mk["batch_logs"] = [{k: v for k, v in logs.items() if k not in ("batch", "size")} for logs in mk["batch_logs"]]
    return mk, oracle


def _sorted_dicts(value):
    if isinstance(value, dict):
        return {k: _sorted_dicts(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted_dicts(v) for v in value]
    return value


def _keras3_sorted_keys(mk, oracle):
    for trace in (mk, oracle):
        if "hooks" in trace:
            trace["hooks"] = [[h, i, sorted(k)] for h, i, k in trace["hooks"]]
        if "history_keys" in trace:
            trace["history_keys"] = sorted(trace["history_keys"])
        for name in ("history", "evaluate", "values", "batch_logs", "requests"):
            if name in trace:
                trace[name] = _sorted_dicts(trace[name])
    return mk, oracle


def _keras3_learning_rate_key(mk, oracle):
    def rename(key):
        return {"learning_rate": "lr", "val_learning_rate": "val_lr"}.get(key, key)
    if "hooks" in oracle:
        oracle["hooks"] = [[h, i, [rename(x) for x in k]] for h, i, k in oracle["hooks"]]
    if "history_keys" in oracle:
        oracle["history_keys"] = [rename(x) for x in oracle["history_keys"]]
    if isinstance(oracle.get("history"), dict):
        oracle["history"] = {rename(x): v for x, v in oracle["history"].items()}
    return mk, oracle


def _h5_backend(mk, oracle):
    for trace in (mk, oracle):
        for entry in (trace.get("h5") or {}).values():
            if "backend" in entry.get("attrs", {}):
                entry["attrs"]["backend"] = "<backend>"
    return mk, oracle


# Keys tf_keras 2.21 writes into configs that minikeras leaves out (all at their default values).
_TF_KERAS_CONFIG_EXTRAS = {"optional", "module", "registered_name", "activity_regularizer", "kernel_constraint",
                           "bias_constraint", "weight_decay", "use_ema", "ema_momentum",
                           "ema_overwrite_frequency", "jit_compile"}


def _drop_extras(theirs, mine):
    if isinstance(theirs, dict) and isinstance(mine, dict):
        for key in [k for k in theirs if k in _TF_KERAS_CONFIG_EXTRAS and k not in mine]:
            del theirs[key]
        for key in theirs:
            if key in mine:
                _drop_extras(theirs[key], mine[key])
    elif isinstance(theirs, list) and isinstance(mine, list):
        for a, b in zip(theirs, mine):
            _drop_extras(a, b)


def _metric_names(metrics):
    def name(m):
        return m["config"]["name"] if isinstance(m, dict) and "config" in m else m
    flat = [x for group in metrics for x in (group if isinstance(group, list) else [group])]
    return [name(m) for m in flat]


def _config_extras(mk, oracle):
    theirs, mine = oracle.get("config"), mk.get("config")
    if not (isinstance(theirs, dict) and isinstance(mine, dict)):
        return mk, oracle
    _drop_extras(theirs, mine)
    for cfg in (theirs, mine):
        train = cfg.get("training_config") or {}
        if isinstance(train.get("metrics"), list):
            train["metrics"] = _metric_names(train["metrics"])
        opt = (train.get("optimizer_config") or {}).get("config")
        if isinstance(opt, dict):
            train["optimizer_config"]["config"] = dict(sorted(opt.items()))
    return mk, oracle


def _tensorboard_extras(mk, oracle):
    if "events" not in mk:
        return mk, oracle
    theirs = {e[2] for e in oracle.get("events", [])}

    def extra(event):
        tag = event[2]
        return (tag == "<graph_def>" and tag not in theirs) or tag.endswith(("_out/histogram", "_grad/histogram")) \
            or (tag.startswith("batch_") and not any(t.startswith("batch_") for t in theirs))
    mk["events"] = [e for e in mk["events"] if not extra(e)]
    return mk, oracle


KNOWN_DIFFERENCES = [
    Difference(
        "batch-logs-carry-batch-and-size", ("tf_keras", "keras3"),
        "minikeras's batch logs also carry Keras 2.2.4's documented `batch` and `size` keys (the seed "
        "document: 'on_batch_begin: logs include size'), which tf_keras 2.21 and Keras 3 dropped. "
        "Every other key, and their order, is the same.",
        _strip_batch_size, "remove `batch`/`size` from minikeras's batch-hook keys and batch logs"),
    Difference(
        "keras3-learning-rate-key", ("keras3",),
        "LR callbacks log the rate as `learning_rate` in Keras 3 and as `lr` in Keras 2 / tf_keras "
        "(and minikeras).",
        _keras3_learning_rate_key, "rename Keras 3's `learning_rate` key to `lr`"),
    Difference(
        "keras3-sorts-log-keys", ("keras3",),
        "Keras 3 sorts the keys of every logs dict (`accuracy, loss, val_accuracy, val_loss`); minikeras "
        "keeps tf_keras's order (`loss, accuracy, val_loss, val_accuracy`).",
        _keras3_sorted_keys,
        "sort the keys of logs, History, evaluate, RemoteMonitor payloads and other value dicts in both traces"),
    Difference(
        "tf-keras-ignores-lr-and-decay", ("tf_keras",),
        "tf_keras 2.21's current optimizers ignore `lr=` (they log a deprecation and keep 0.001) and reject "
        "`decay=`; Keras 2 code means what `tf_keras.optimizers.legacy` does, which minikeras follows.",
        how="scenarios using `lr=`/`decay=` build the optimizer from `tracing.legacy_optimizers(k)`: "
            "`tf_keras.optimizers.legacy` there, `minikeras.optimizers` here"),
    Difference(
        "legacy-rmsprop-epsilon", ("tf_keras",),
        "minikeras's RMSprop divides by sqrt(v + eps), tf_keras 2.21's current formula, also when it is "
        "built with Keras 2's `lr=`/`decay=`, which keep their meaning (rate, and lr / (1 + decay * t)). "
        "Keras 2.2.4 and `tf_keras.optimizers.legacy.RMSprop` divide by sqrt(v) + eps: with v near 0 in "
        "the first steps this moves weights by up to 5e-3 (epoch-1 loss 5.492994 vs 5.493158). One "
        "formula, today's, whatever the argument names.",
        how="`optimizer_legacy_rmsprop_lr_decay` records the legacy behaviour and asserts it differs"),
    Difference(
        "tf-keras-nadam-in-tf-function", ("tf_keras",),
        "Inside a compiled `fit` (tf.function), tf_keras 2.21's Nadam multiplies its momentum cache "
        "(`_u_product`) once per variable per step instead of once per step: the guard counter "
        "`_u_product_counter` is a Python int, incremented only while tracing. Eagerly (`run_eagerly=True`) it "
        "follows the published formula, as minikeras does (epoch-1 loss 5.6207 vs 5.6753 compiled).",
        how="the Nadam scenarios pass `run_eagerly=True` to `compile` (minikeras accepts and ignores it); "
            "`optimizer_nadam_compiled_quirk` records the compiled behaviour and asserts it differs"),
    Difference(
        "random-streams", ("tf_keras", "keras3"),
        "Dropout masks and shuffling draw from each framework's own random generator, so no two "
        "packages can produce the same stream.",
        how="scenarios use `shuffle=False`, weights set from NumPy with `set_weights`, and Dropout only in "
            "inference (evaluate / predict / saved configs)"),
    Difference(
        "hdf5-backend-attribute", ("tf_keras",),
        "Saved .h5 files say `backend='numpy'` (tf_keras: 'tensorflow'); no loader checks it "
        "(docs/saving.md).",
        _h5_backend, "replace the `backend` attribute by `<backend>` in both HDF5 trees"),
    Difference(
        "hdf5-config-extras", ("tf_keras",),
        "minikeras's model_config / training_config leave out keys tf_keras 2.21 adds at their default "
        "values (InputLayer `optional`, initializer `module`/`registered_name`, Dense "
        "`activity_regularizer`/`kernel_constraint`/`bias_constraint`, optimizer `weight_decay`/`use_ema`/"
        "`ema_momentum`/`ema_overwrite_frequency`/`jit_compile`), write metrics as names like Keras 2.2.4 "
        "(tf_keras: MeanMetricWrapper objects) and order the optimizer's keys differently; tf_keras loads "
        "such files (scenario minikeras_model_in_real_keras). See docs/saving.md.",
        _config_extras, "drop those keys from tf_keras's config when minikeras's lacks them, reduce metric "
                        "objects to their names, sort the optimizer config's keys"),
    Difference(
        "tensorboard-keras-2-extras", ("tf_keras",),
        "minikeras's TensorBoard also writes what the seed document (Keras 2.2.4) describes and tf_keras "
        "2.21 no longer does: an op graph with write_graph=True, layer-activation histograms "
        "(`<layer>_out`) on the validation data with histogram_freq, gradient histograms with write_grads; "
        "and with update_freq='batch' it writes `batch_<metric>` scalars, which tf_keras 2.21 documents "
        "but only writes when profiling or write_steps_per_second is on (Keras 3 writes them).",
        _tensorboard_extras, "drop those events from minikeras's trace (every other tag, step and value "
                             "is compared)"),
    Difference(
        "base-logger-in-fit", ("tf_keras",),
        "tf_keras 2.21 still exports `BaseLogger`, but passing it to `fit` raises `KeyError: 'metrics'` "
        "(its `params` no longer has a metrics list); minikeras's BaseLogger works as in Keras 2.2.4.",
        how="no scenario passes BaseLogger to tf_keras's fit"),
]


def applicable(scenario, oracle):
    """The entries with a normaliser that apply to ``scenario`` compared with ``oracle``."""
    return [d for d in KNOWN_DIFFERENCES if oracle in d.oracles and d.normalise is not None
            and (d.scenarios is None or scenario in d.scenarios)]


def normalise(scenario, oracle, mk_trace, oracle_trace):
    """Applies every applicable normaliser; returns ``(mk_trace, oracle_trace, [keys applied])``."""
    import copy
    mk, other = copy.deepcopy(mk_trace), copy.deepcopy(oracle_trace)
    applied = []
    for diff in applicable(scenario, oracle):
        mk, other = diff.normalise(mk, other)
        applied.append(diff.key)
    return mk, other, applied
