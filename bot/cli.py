"""`postings-bot`: ask a question from the terminal, or serve the Slack app."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys

from config import SettingsError, load_settings

log = logging.getLogger("postings_bot")


def configure_logging(settings, level: str | None = None) -> None:
    """Configure logging once, for the whole process (entry points only)."""
    from bot.logs import configure, secret_values

    configure(level or settings.log_level, settings.log_format, secret_values(settings))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="postings-bot", description="Answers questions about job postings.")
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer one question in the terminal")
    ask.add_argument("question", nargs="+", help="the question, e.g. 'which roles want Go?'")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")
    ask.add_argument("--all", action="store_true", help="show every matching posting of a list answer")
    ask.add_argument("--chroma-path", help="folder of the index (default: POSTINGS_CHROMA_PATH)")
    ask.add_argument("--chart", metavar="PATH", help="where to write the chart of a pay or count answer (PNG; "
                     "default: a new file in the temporary folder)")
    sub.add_parser("serve", help="run the Slack app (Socket Mode with SLACK_APP_TOKEN, else HTTP)")
    return parser


def main(argv: list[str] | None = None, embedder=None) -> int:
    """Entry point of `postings-bot`; returns the exit code."""
    args = _parser().parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    try:
        overrides = {"chroma_path": args.chroma_path} if getattr(args, "chroma_path", None) else {}
        settings = load_settings(**overrides)
    except SettingsError as err:
        print(f"postings-bot: {err}", file=sys.stderr)
        return 2
    configure_logging(settings, "WARNING" if args.command == "ask" else None)

    from bot.engine import IndexUnavailable, build_engine

    if args.command == "ask":
        from bot.answer import answer_to_json
        from bot.render_text import render_text

        try:
            engine = build_engine(settings.model_copy(update={"reload_interval_seconds": 0}), embedder=embedder)
            answer = engine.ask(" ".join(args.question))
        except IndexUnavailable as err:
            print(f"postings-bot: {err}", file=sys.stderr)
            return 1
        chart = _write_chart(answer, args.chart)
        if args.json:
            data = answer_to_json(answer)
            if getattr(answer, "figures", None):
                data.update(figures=answer.figures, chart=chart)
            print(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            print(render_text(answer, limit=None if args.all else 15))
            if chart:
                print(f"\nChart: {chart}")
        return 0

    return _serve(settings, embedder)


def _write_chart(answer, path: str | None) -> str | None:
    """Write a market answer's chart (bot/market.py) as a PNG; its path, or None when the answer has none."""
    if getattr(answer, "chart", None) is None:
        return None
    import tempfile

    from bot.chart import render_png

    data = render_png(answer.chart)
    if path is None:
        handle, path = tempfile.mkstemp(prefix="postings-chart-", suffix=".png")
        os.close(handle)
    try:
        with open(path, "wb") as out:
            out.write(data)
    except OSError as err:  # a folder that does not exist, no permission: say so, the answer still prints
        print(f"postings-bot: couldn't write the chart to {path}: {err.strerror or err}", file=sys.stderr)
        return None
    return path


def _serve(settings, embedder=None) -> int:
    """`serve`: the cheap checks first (secrets, the port, Slack), then the index, then serve, while the model
    loads in the background (/healthz does not wait for it; the first general question does).
    Any failure to start is one line on stderr naming the cause, and exit code 1 (the traceback at DEBUG)."""
    from bot.engine import build_engine, warm_up
    from bot.logs import redact, secret_values
    from bot.startup import describe, preflight
    from index.embedder import load_in_background

    try:
        preflight(settings, check_model=embedder is None)
        from bot.slack.server import serve

        engine = build_engine(settings, embedder=embedder)
        load_in_background(engine.embedder)
        engine.on_new_generation(lambda _catalog, _manifest: warm_up(engine))  # each generation, in the background
        serve(settings, engine)
    except Exception as err:
        log.debug("start-up failed", exc_info=True)
        print(f"postings-bot: {redact(describe(err, settings), secret_values(settings))}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
