"""``qyedu`` command line: one command with verbs. Each verb lives in ``qyedu/cli/<verb>.py``
and exposes ``register(subparsers)``; heavy imports happen inside the verb's function so that
``qyedu --help`` stays fast."""

from __future__ import annotations

import argparse
import importlib
import sys

from ..errors import QyeduError

VERBS = ("plan", "forecast", "validate", "places", "teachers", "costs", "scorecard", "build",
         "refresh", "params", "sweep", "check", "plan-places", "explain", "export", "register")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qyedu",
        description="Qingyuan 14th Five-Year Education Plan workbench (清远市教育事业发展“十四五”规划).",
    )
    sub = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    for verb in VERBS:
        try:
            module = importlib.import_module(f"{__name__}.{verb.replace('-', '_')}")
        except ModuleNotFoundError as err:  # a verb not built yet
            if err.name != f"{__name__}.{verb.replace('-', '_')}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except QyeduError as err:
        print(f"qyedu {args.verb}: error: {err}", file=sys.stderr)
        return getattr(err, "exit_code", 2)
    except OSError as err:  # a full disk, a read-only or missing folder: no traceback
        where = f": {err.filename}" if err.filename else ""
        print(f"qyedu {args.verb}: error: {err.strerror or err}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"qyedu {args.verb}: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # noqa: BLE001 - a bug, not bad input: one line, trace in a log
        log = _log_traceback(args.verb)
        print(f"qyedu {args.verb}: internal error: {type(err).__name__}: {err}"
              + (f" (traceback in {log}; please report it)" if log else ""), file=sys.stderr)
        return 1


def _log_traceback(verb: str) -> str | None:
    """Append the current exception's traceback to logs/qyedu-errors.log (its path, or None)."""
    import traceback
    from datetime import UTC, datetime

    from .. import paths

    log = paths.root() / "logs" / "qyedu-errors.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"--- {datetime.now(UTC).isoformat(timespec='seconds')} qyedu {verb}\n")
            fh.write(traceback.format_exc())
        return "logs/qyedu-errors.log"
    except OSError:
        return None


if __name__ == "__main__":
    sys.exit(main())
