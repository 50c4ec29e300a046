"""Render deploy/nginx.conf.template for N replicas: python3 deploy/render_nginx.py --listen 8600 --ports 8601,8602
--run-dir DIR [--user www-data]. Prints the config; every address is 127.0.0.1."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
HOST = "127.0.0.1"


def render(listen_port: int, ports: list[int], run_dir: str, user: str = "") -> str:
    if not ports:
        raise ValueError("at least one replica port is needed")
    for port in (listen_port, *ports):
        if not 1 <= port <= 65535:
            raise ValueError(f"bad port {port}")
    if any(ch.isspace() or ch in ";{}'\"" for ch in run_dir + user):
        raise ValueError("run dir and user must not contain spaces, quotes, braces or semicolons")
    # max_fails=0: never marked down (with several workers, probes made while the replicas start must not shut them
    # out); a refused connection goes on to the next replica.
    servers = "\n".join(f"        server {HOST}:{port} max_fails=0;" for port in ports)
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in (("USER_LINE", f"user {user};" if user else ""), ("RUN_DIR", run_dir),
                        ("LISTEN_PORT", str(listen_port)), ("UPSTREAM_SERVERS", servers)):
        text = text.replace(f"@{name}@", value)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--ports", required=True, help="comma-separated replica ports")
    parser.add_argument("--run-dir", required=True)
    parser.add_argument("--user", default="")
    args = parser.parse_args(argv)
    ports = [int(p) for p in args.ports.split(",") if p.strip()]
    sys.stdout.write(render(args.listen, ports, str(Path(args.run_dir).resolve()), args.user))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
