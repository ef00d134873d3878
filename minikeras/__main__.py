"""``python -m minikeras`` (or ``minikeras``): run Keras code unchanged on minikeras.

    python -m minikeras                      (this help)
    python -m minikeras --version
    python -m minikeras run [--data offline|digits|mnist|random] [--data-scale F] [--epochs N] SCRIPT.py [args...]
    python -m minikeras doc PAGE.md [--data offline|digits|mnist|random] [--epochs N] [--seed N] [--workdir DIR]

``run`` executes a script with ``import keras`` (and ``tf.keras``) answered by minikeras. ``doc``
executes the fenced Python blocks of a Markdown page in order, in one namespace, reports each
block as passed/failed/skipped on stderr, and exits with status 1 if any block failed.
"""
import argparse
import os
import sys
import tempfile
import traceback

from .runner.data import DATASETS


def build_parser():
    """Returns the ``argparse`` parser of the command line."""
    from . import __version__
    parser = argparse.ArgumentParser(
        prog="python -m minikeras",
        description="Run Keras code unchanged on minikeras (no TensorFlow needed).",
        epilog="examples:\n"
               "  python -m minikeras run my_keras_script.py     # `import keras` answered by minikeras\n"
               "  python -m minikeras doc tutorial.md --epochs 2  # a Markdown page's Python blocks, in order",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"minikeras {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="{run,doc}")
    run = commands.add_parser("run", help="run a Python script with `import keras` answered by minikeras")
    run.add_argument("--data", choices=DATASETS, default=None,
                     help="offline: every keras.datasets loader returns its generated stand-in (no internet "
                          "needed); digits or random: answer mnist.load_data() with that dataset; mnist: the real "
                          "download, as when the option is left out")
    run.add_argument("--data-scale", type=float, default=None, metavar="F",
                     help="with --data offline: the stand-ins hold F (0 < F <= 1) times the real datasets' number "
                          "of samples, e.g. 0.05 for a quick run (same shapes per sample, dtypes and labels)")
    run.add_argument("--epochs", type=int, default=None, metavar="N",
                     help="train at most N epochs in every fit() (for a quick run)")
    run.add_argument("script", help="the script to run")
    run.add_argument("args", nargs=argparse.REMAINDER, help="arguments for the script")
    doc = commands.add_parser("doc", help="run the Python blocks of a Markdown page in order")
    doc.add_argument("page", help="a Markdown page (or a text file with ``` code fences)")
    doc.add_argument("--data", choices=DATASETS, default="digits",
                     help="data for x_train, y_train, X_test, ... when the page does not define them: digits "
                          "(generated, offline; the default), mnist (downloaded once), random, or offline "
                          "(the digits, and every keras.datasets loader returns its generated stand-in)")
    doc.add_argument("--epochs", type=int, default=None, metavar="N",
                     help="train at most N epochs in every fit() (for a quick run)")
    doc.add_argument("--seed", type=int, default=None, metavar="N", help="seed the random weights and shuffling")
    doc.add_argument("--workdir", default=None, metavar="DIR",
                     help="folder the page runs in (files it writes go there); default: a new temporary folder")
    return parser


def main(argv=None):
    """Runs the command line ``argv`` (default ``sys.argv[1:]``); returns the exit status.

    Args:
        argv: the arguments after the program name.
    """
    parser = build_parser()
    options = parser.parse_args(argv)
    if options.command is None:  # no command: say what there is, rather than a usage error
        parser.print_help()
        return 0
    if options.command == "run":
        from .runner import run_script
        if options.epochs is not None and options.epochs < 1:
            print(f"--epochs must be a positive number, got {options.epochs}.", file=sys.stderr)
            return 2
        if options.data_scale is not None and (options.data != "offline" or not 0 < options.data_scale <= 1):
            print(f"--data-scale takes a number in (0, 1] and needs --data offline, got --data-scale "
                  f"{options.data_scale} with --data {options.data}.", file=sys.stderr)
            return 2
        try:
            run_script(options.script, options.args, data=options.data, epochs=options.epochs,
                       data_scale=options.data_scale)
        except FileNotFoundError as e:
            print(e, file=sys.stderr)
            return 2
        except SystemExit as e:
            return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except Exception as e:  # noqa: BLE001 - report the script's error as Python would, without our frames
            traceback.print_exception(type(e), e, _script_frames(e.__traceback__, options.script))
            return 1
        return 0
    return _doc(options)


def _doc(options):
    from .runner import run_page
    if options.epochs is not None and options.epochs < 1:
        print(f"--epochs must be a positive number, got {options.epochs}.", file=sys.stderr)
        return 2
    if not os.path.isfile(options.page):
        print(f"No such page: {options.page!r}.", file=sys.stderr)
        return 2
    if options.seed is not None:
        from .utils import set_random_seed
        set_random_seed(options.seed)
    page = os.path.abspath(options.page)
    workdir = os.path.abspath(options.workdir) if options.workdir else tempfile.mkdtemp(prefix="minikeras-doc-")
    os.makedirs(workdir, exist_ok=True)
    print(f"minikeras doc {options.page} (data: {options.data}, epochs: "
          f"{options.epochs or 'as written'}, working folder: {workdir})", file=sys.stderr)
    previous = os.getcwd()
    os.chdir(workdir)
    try:
        results = run_page(page, data=options.data, epochs=options.epochs)
    finally:
        os.chdir(previous)
    return 1 if any(r.status == "failed" for r in results) else 0


def _script_frames(tb, script):
    """The traceback from the script's first frame on (without the runner's frames), if it has one."""
    start = tb
    while start is not None and os.path.abspath(start.tb_frame.f_code.co_filename) != os.path.abspath(script):
        start = start.tb_next
    return start or tb


if __name__ == "__main__":
    sys.exit(main())
