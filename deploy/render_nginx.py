"""Render deploy/nginx.conf.template for N replicas: python3 deploy/render_nginx.py --listen 8600 --ports 8601,8602
--run-dir DIR [--user www-data]. Prints the config; every address is 127.0.0.1."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
HOST = "127.0.0.1"
LOG_SOCKET = "nginx-log.sock"
"""Where nginx sends its error lines, in the run dir; deploy/log_scrubber.py reads them and drops query strings."""
MAX_SOCKET_PATH = 107
"""Linux's limit for a unix socket path, in bytes."""


BUSY_PAGE = Path(__file__).resolve().parent / "static" / "busy.html"
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    "frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
)
"""What Streamlit's frontend needs: its own scripts and inline bootstrap, inline styles (emotion, st.html CSS),
images from data: and blob: URLs (charts, the QR code), and its websocket on the same origin."""
FRAME_SOURCE = re.compile(r"'self'|'none'|https://[A-Za-z0-9.-]+(:[0-9]{1,5})?")


def security_headers(frame_ancestors: str = "'self'") -> str:
    """The add_header lines every location repeats (nginx does not inherit them into a location with its own)."""
    sources = frame_ancestors.split()
    if not sources or not all(FRAME_SOURCE.fullmatch(s) for s in sources):
        raise ValueError("frame ancestors must be 'self', 'none' or https://host[:port] entries separated by spaces")
    lines = [
        f'add_header Content-Security-Policy "{CSP}; frame-ancestors {" ".join(sources)}" always;',
        "add_header X-Content-Type-Options nosniff always;",
        "add_header Referrer-Policy no-referrer always;",
    ]
    if sources == ["'self'"]:
        lines.append("add_header X-Frame-Options SAMEORIGIN always;")
    return "\n".join(" " * 12 + line for line in lines)


def busy_page() -> str:
    """deploy/static/busy.html on one line, for a single-quoted nginx string (no quote, backslash or variable)."""
    text = " ".join(BUSY_PAGE.read_text(encoding="utf-8").split())
    if any(ch in text for ch in "'\\$"):
        raise ValueError(f"{BUSY_PAGE.name} must not contain a single quote, a backslash or a dollar sign")
    return text


def embeds_cross_site(frame_ancestors: str) -> bool:
    """True when the app may be framed by another site (an https:// source), not only by itself."""
    return any(source.startswith("https://") for source in frame_ancestors.split())


def cookie_attributes(frame_ancestors: str, tls: bool) -> str:
    """The routing cookie's SameSite and Secure attributes. A cross-site frame keeps the cookie only with
    `SameSite=None; Secure`, and a browser takes a Secure cookie only over HTTPS: so embedding needs TLS.
    `Partitioned` (CHIPS) keeps it in the embedding site's partition, so browsers that block third-party cookies
    (Chromium's private windows, for one) still keep it; a routing key needs nothing more."""
    if embeds_cross_site(frame_ancestors):
        if not tls:
            raise ValueError(
                "embedding in another site (https:// frame ancestors) needs TLS: give --tls-cert and "
                "--tls-key, or --behind-tls when a TLS proxy is in front"
            )
        return "SameSite=None; Secure; Partitioned"
    return "SameSite=Lax; Secure" if tls else "SameSite=Lax"


def listen_lines(listen_port: int, tls_cert: str = "", tls_key: str = "") -> str:
    """nginx's listen line (loopback only), with TLS when a certificate and key are given."""
    if bool(tls_cert) != bool(tls_key):
        raise ValueError("TLS needs both a certificate and a key")
    if not tls_cert:
        return f"        listen {HOST}:{listen_port};"
    return "\n".join(
        (
            f"        listen {HOST}:{listen_port} ssl;",
            f"        ssl_certificate {tls_cert};",
            f"        ssl_certificate_key {tls_key};",
            "        ssl_protocols TLSv1.2 TLSv1.3;",
        )
    )


def render(
    listen_port: int,
    ports: list[int],
    run_dir: str,
    user: str = "",
    frame_ancestors: str = "'self'",
    tls_cert: str = "",
    tls_key: str = "",
    behind_tls: bool = False,
) -> str:
    if not ports:
        raise ValueError("at least one replica port is needed")
    for port in (listen_port, *ports):
        if not 1 <= port <= 65535:
            raise ValueError(f"bad port {port}")
    if any(ch.isspace() or ch in ";{}'\"," for ch in run_dir + user + tls_cert + tls_key):
        raise ValueError("run dir, user and TLS files must not contain spaces, quotes, braces, commas or semicolons")
    headers = security_headers(frame_ancestors)
    cookie = cookie_attributes(frame_ancestors, tls=bool(tls_cert) or behind_tls)
    log_socket = f"{run_dir}/{LOG_SOCKET}"
    if len(log_socket.encode()) > MAX_SOCKET_PATH:
        raise ValueError(f"run dir too long for a unix socket path ({log_socket}): use a shorter RUN_DIR")
    # max_fails=0: never marked down (with several workers, probes made while the replicas start must not shut them
    # out); a refused connection goes on to the next replica.
    servers = "\n".join(f"        server {HOST}:{port} max_fails=0;" for port in ports)
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in (
        ("USER_LINE", f"user {user};" if user else ""),
        ("RUN_DIR", run_dir),
        ("LISTEN_LINES", listen_lines(listen_port, tls_cert, tls_key)),
        ("LOG_SOCKET", log_socket),
        ("COOKIE_ATTRIBUTES", cookie),
        ("UPSTREAM_SERVERS", servers),
        ("BUSY_PAGE", busy_page()),
        ("SECURITY_HEADERS", headers),
    ):
        text = text.replace(f"@{name}@", value)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--ports", required=True, help="comma-separated replica ports")
    parser.add_argument("--run-dir", required=True)
    parser.add_argument("--user", default="")
    parser.add_argument(
        "--frame-ancestors",
        default="'self'",
        help="who may embed the app in a frame: 'self' (default), 'none', or https://host entries",
    )
    parser.add_argument("--tls-cert", default="", help="certificate (PEM) for nginx to serve HTTPS itself")
    parser.add_argument("--tls-key", default="", help="its private key (PEM)")
    parser.add_argument(
        "--behind-tls", action="store_true", help="a TLS proxy in front serves HTTPS: the routing cookie is marked Secure"
    )
    args = parser.parse_args(argv)
    ports = [int(p) for p in args.ports.split(",") if p.strip()]
    tls = [str(Path(f).resolve()) if f else "" for f in (args.tls_cert, args.tls_key)]
    try:
        text = render(
            args.listen,
            ports,
            str(Path(args.run_dir).resolve()),
            args.user,
            args.frame_ancestors,
            *tls,
            behind_tls=args.behind_tls,
        )
    except ValueError as error:
        parser.exit(2, f"render_nginx: {error}\n")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
