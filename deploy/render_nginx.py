"""Render deploy/nginx.conf.template for N replicas: python3 deploy/render_nginx.py --listen 8600 --ports 8601,8602
--run-dir DIR [--user www-data]. Prints the config; every address is 127.0.0.1."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
HOST = "127.0.0.1"


BUSY_PAGE = Path(__file__).resolve().parent / "static" / "busy.html"
CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
       "frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'")
"""What Streamlit's frontend needs: its own scripts and inline bootstrap, inline styles (emotion, st.html CSS),
images from data: and blob: URLs (charts, the QR code), and its websocket on the same origin."""
FRAME_SOURCE = re.compile(r"'self'|'none'|https://[A-Za-z0-9.-]+(:[0-9]{1,5})?")


def security_headers(frame_ancestors: str = "'self'") -> str:
    """The add_header lines every location repeats (nginx does not inherit them into a location with its own)."""
    sources = frame_ancestors.split()
    if not sources or not all(FRAME_SOURCE.fullmatch(s) for s in sources):
        raise ValueError("frame ancestors must be 'self', 'none' or https://host[:port] entries separated by spaces")
    lines = [f'add_header Content-Security-Policy "{CSP}; frame-ancestors {" ".join(sources)}" always;',
             "add_header X-Content-Type-Options nosniff always;",
             "add_header Referrer-Policy no-referrer always;"]
    if sources == ["'self'"]:
        lines.append("add_header X-Frame-Options SAMEORIGIN always;")
    return "\n".join(" " * 12 + line for line in lines)


def busy_page() -> str:
    """deploy/static/busy.html on one line, for a single-quoted nginx string (no quote, backslash or variable)."""
    text = " ".join(BUSY_PAGE.read_text(encoding="utf-8").split())
    if any(ch in text for ch in "'\\$"):
        raise ValueError(f"{BUSY_PAGE.name} must not contain a single quote, a backslash or a dollar sign")
    return text


def render(listen_port: int, ports: list[int], run_dir: str, user: str = "", frame_ancestors: str = "'self'") -> str:
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
                        ("LISTEN_PORT", str(listen_port)), ("UPSTREAM_SERVERS", servers),
                        ("BUSY_PAGE", busy_page()), ("SECURITY_HEADERS", security_headers(frame_ancestors))):
        text = text.replace(f"@{name}@", value)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--ports", required=True, help="comma-separated replica ports")
    parser.add_argument("--run-dir", required=True)
    parser.add_argument("--user", default="")
    parser.add_argument("--frame-ancestors", default="'self'",
                        help="who may embed the app in a frame: 'self' (default), 'none', or https://host entries")
    args = parser.parse_args(argv)
    ports = [int(p) for p in args.ports.split(",") if p.strip()]
    sys.stdout.write(render(args.listen, ports, str(Path(args.run_dir).resolve()), args.user, args.frame_ancestors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
