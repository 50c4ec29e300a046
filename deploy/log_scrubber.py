"""nginx's error log, without query strings: python3 deploy/log_scrubber.py --socket S --log FILE [--user www-data].

nginx writes its error lines (level `error`: a replica refusing connections, an address over its connection limit,
a body over the size limit) as syslog datagrams to the unix socket S (`error_log syslog:server=unix:S`). Those lines
quote the whole request line, the upstream URL and the referrer, query strings included, and a shared link's query
string (`?symptoms=...`) says what a person ticked. This program removes every query string, keeps the rest, and
appends the line to FILE (opened for each line, so the file may be rotated or removed at any time).
Run by deploy/run_replicas.sh under supervisord, before nginx.
"""

from __future__ import annotations

import argparse
import os
import pwd
import re
import socket
from pathlib import Path

QUERY = re.compile(r"\?[^\s\"]*")
"""A query string: from '?' to the next space or quote (nginx quotes request, upstream and referrer)."""
SYSLOG_HEADER = re.compile(r"^<\d{1,3}>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d (?:\S+ )?nginx: ")
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
MAX_LINE = 4000
MAX_DATAGRAM = 65536


def scrub(datagram: bytes) -> str:
    """One log line from one syslog datagram: header gone, query strings and control characters removed, bounded."""
    text = datagram.decode("utf-8", errors="replace")
    text = SYSLOG_HEADER.sub("", text, count=1)
    text = CONTROL.sub(" ", QUERY.sub("", text)).strip()
    return text[:MAX_LINE]


def listen(path: Path, user: str = "") -> socket.socket:
    """A datagram socket at `path` that only its owner (nginx's worker user, when given) may write to."""
    path.unlink(missing_ok=True)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    os.chmod(path, 0o600)
    if user:
        entry = pwd.getpwnam(user)
        os.chown(path, entry.pw_uid, entry.pw_gid)
    return sock


def serve(sock: socket.socket, log: Path) -> None:
    """Append each scrubbed line to `log` until killed."""
    while True:
        line = scrub(sock.recv(MAX_DATAGRAM))
        if line:
            with open(log, "a", encoding="utf-8") as out:
                out.write(line + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", required=True, type=Path)
    parser.add_argument("--log", required=True, type=Path)
    parser.add_argument("--user", default="", help="nginx's worker user, who must be able to write to the socket")
    args = parser.parse_args(argv)
    serve(listen(args.socket, args.user), args.log)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
