"""Slack latency: 50 signed slash commands at once against the real HTTP app, with Slack's Web API faked.

Measures, per command, the time to the HTTP acknowledgement (Slack's limit is 3 s) and the time from
sending the request to the answer reaching the fake's response_url. The engine is the real one on
an index rebuilt from samples/postings in a temporary folder (the real model by default;
--hashing for the fast fake embedder).

    .venv/bin/python benchmarks/slack_latency.py [--commands 50] [--hashing]

Prints the figures and writes benchmarks/results/slack_latency.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "slack"))  # the fake Slack Web API and the request signer

from fake_slack import FakeSlack  # noqa: E402
from slack_harness import SIGNING_SECRET, command_fields, http, make_settings, sign  # noqa: E402

QUESTIONS = [
    "what does the Mistelhof backend role pay?",
    "which roles are remote?",
    "which roles want Python?",
    "how many years of experience does the data engineer job need?",
    "is the Glowmoth iOS job remote?",
    "what languages does Kestrelvane want?",
    "what degree does the biostatistician role require?",
    "is the Saltmarsh ML job a contract?",
    "remote roles over $150k?",
    "tell me about the warehouse job",
]


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of values."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def build_engine(index_dir: Path, hashing: bool):
    """The real engine on a fresh index of the sample postings."""
    from bot.engine import build_engine as build
    from config.settings import load_settings
    from index.embedder import HashingEmbedder, SentenceTransformerEmbedder
    from index.rebuild import rebuild
    from index.store import IndexStore

    settings = load_settings(_env_file=None, chroma_path=index_dir / "chroma",
                             source_dirs=str(ROOT / "samples" / "postings"))
    embedder = HashingEmbedder() if hashing else SentenceTransformerEmbedder(
        settings.model_path, settings.embed_batch_size, settings.embed_threads)
    summary = rebuild(settings, embedder, IndexStore.open(settings))
    if not summary.ok:
        raise SystemExit(f"rebuilding the sample index failed: {summary.error}")
    return build(settings, embedder), embedder.name


def run(commands: int, hashing: bool) -> dict:
    from bot.slack.app import ACK_WORKERS, ANSWER_WORKERS, create_app
    from bot.slack.server import make_http_server

    with tempfile.TemporaryDirectory() as tmp, FakeSlack() as fake:
        engine, embedder_name = build_engine(Path(tmp), hashing)
        engine.ask(QUESTIONS[0])  # warm up (first-call costs are not what Slack users see)
        app = create_app(make_settings(fake), engine)
        server = make_http_server(app, engine, "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/slack/events"

        sent_at: dict[str, float] = {}
        acked_at: dict[str, float] = {}
        statuses: dict[str, int] = {}
        barrier = threading.Barrier(commands)

        def send(i: int) -> None:
            name = f"bench{i}"
            body = urlencode(command_fields(QUESTIONS[i % len(QUESTIONS)], fake.response_url(name)))
            barrier.wait()
            ts = str(int(time.time()))
            headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": ts,
                       "X-Slack-Signature": sign(SIGNING_SECRET, ts, body)}
            sent_at[name] = time.monotonic()
            response = http("POST", url, body.encode("utf-8"), headers)
            acked_at[name] = time.monotonic()
            statuses[name] = response.status

        started = time.monotonic()
        threads = [threading.Thread(target=send, args=(i,)) for i in range(commands)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        replies = fake.wait_for("response", count=commands, timeout=300)
        wall = time.monotonic() - started
        server.shutdown()
        server.server_close()

    answered_at = {c.path.rsplit("/", 1)[1]: c.at for c in replies}
    ack = [acked_at[n] - sent_at[n] for n in sent_at]
    answer = [answered_at[n] - sent_at[n] for n in sent_at if n in answered_at]
    return {
        "benchmark": "slack_latency",
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"platform": platform.platform(), "processor": platform.processor() or platform.machine(),
                    "cpus": os.cpu_count(), "python": platform.python_version()},
        "setup": {"commands_at_once": commands, "embedder": embedder_name, "postings": "samples/postings",
                  "ack_workers": ACK_WORKERS, "answer_workers": ANSWER_WORKERS,
                  "server": "ThreadingHTTPServer + Bolt App, fake Slack Web API on loopback"},
        "http_status": sorted(set(statuses.values())),
        "ack_seconds": {"p50": round(statistics.median(ack), 4), "p99": round(percentile(ack, 99), 4),
                        "max": round(max(ack), 4)},
        "answer_seconds": {"p50": round(statistics.median(answer), 4), "p95": round(percentile(answer, 95), 4),
                           "max": round(max(answer), 4)},
        "answers_received": len(answer),
        "wall_seconds": round(wall, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commands", type=int, default=50, help="slash commands sent at once (default 50)")
    parser.add_argument("--hashing", action="store_true", help="use the fast hashing embedder instead of the model")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "slack_latency.json")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    result = run(args.commands, args.hashing)
    print(json.dumps(result, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    ack, answer = result["ack_seconds"], result["answer_seconds"]
    print(f"\nack: p50 {ack['p50'] * 1000:.1f} ms, p99 {ack['p99'] * 1000:.1f} ms (Slack's limit: 3000 ms); "
          f"answer reached Slack: p50 {answer['p50'] * 1000:.0f} ms, p95 {answer['p95'] * 1000:.0f} ms "
          f"({result['answers_received']}/{args.commands} answered)")
    return 0 if result["http_status"] == [200] and result["answers_received"] == args.commands else 1


if __name__ == "__main__":
    raise SystemExit(main())
