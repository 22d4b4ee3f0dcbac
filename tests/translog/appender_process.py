"""A log writer in its own process, for the concurrency and crash tests.

    python -m tests.translog.appender_process DB_URL WRITER [--transactions N]
        [--max-batch B] [--data-dir DIR] [--checkpoint-every K]

Appends batches of ``test.append`` events ``{"writer": WRITER, "seq": k}`` in a loop and,
after each commit, prints ``committed <first_index> <count> <first_seq>`` (flushed), so a
test that kills this process knows which entries were committed. With ``--data-dir`` it
also signs a checkpoint every K transactions with the registry's root key.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from core.db import new_session
from core.settings import Settings
from labeling.translog import LogEvent, append_events
from labeling.translog.checkpointer import checkpoint_now


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("writer")
    parser.add_argument("--transactions", type=int, default=0, help="0: until killed")
    parser.add_argument("--max-batch", type=int, default=20)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--checkpoint-every", type=int, default=5)
    args = parser.parse_args()
    settings = Settings(
        environment="test", database_url=args.url, data_dir=args.data_dir or Path("unused")
    )
    seq = 0
    done = 0
    print("ready", flush=True)
    while not args.transactions or done < args.transactions:
        count = random.randint(1, args.max_batch)
        with new_session(args.url) as session:
            first = append_events(
                session,
                [
                    LogEvent("test.append", {"writer": args.writer, "seq": seq + k})
                    for k in range(count)
                ],
            )
            session.commit()
        print(f"committed {first} {count} {seq}", flush=True)
        seq += count
        done += 1
        if args.data_dir is not None and done % args.checkpoint_every == 0:
            checkpoint_now(settings)
    sys.exit(0)


if __name__ == "__main__":
    main()
