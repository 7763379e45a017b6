#!/usr/bin/env python3
"""A small key service: serves one key file over HTTPS behind a bearer token.

It is the endpoint of docs/KEYS.md's worked example and of the --key-url tests. It listens on
127.0.0.1 only and prints the port it got on its first line of standard output.

Usage: key-server.py --keys KEYFILE --token-env NAME [--cert CERT --key KEY] [--port N]

Paths:
  /keys/<anything>   the key file, with `Authorization: Bearer <token>`; 401 without it
  /huge              2 MiB of JSON whitespace (more than a key file may be)
  /hang              accepts the request and never answers
  /to-http           redirects to http://127.0.0.1:<port>/keys/room
  /to-https          redirects to https://127.0.0.1:<port>/keys/room
Without --cert it serves plain HTTP (for loopback use only).
"""
import argparse
import http.server
import os
import ssl
import sys
import threading
import time


def handler_for(keys: bytes, token: str, port_holder: list):
    class KeyHandler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path.startswith("/keys/"):
                if self.headers.get("Authorization") != f"Bearer {token}":
                    return self.answer(401, b'{"error": "unauthorized"}')
                return self.answer(200, keys)
            if self.path == "/huge":
                return self.answer(200, b"{" + b" " * (2 << 20) + b"}")
            if self.path == "/hang":
                time.sleep(3600)
                return None
            if self.path in ("/to-http", "/to-https"):
                scheme = "http" if self.path == "/to-http" else "https"
                self.send_response(302)
                self.send_header("Location", f"{scheme}://127.0.0.1:{port_holder[0]}/keys/room")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            return self.answer(404, b'{"error": "not found"}')

        def answer(self, status: int, body: bytes):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass  # requests carry tokens; nothing is logged

    return KeyHandler


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keys", required=True, help="the key file to serve")
    parser.add_argument("--token-env", required=True, help="environment variable holding the bearer token")
    parser.add_argument("--cert", help="PEM certificate (chain) of the server")
    parser.add_argument("--key", help="PEM private key of the server")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free one)")
    args = parser.parse_args()
    token = os.environ.get(args.token_env)
    if not token:
        sys.exit(f"key-server: environment variable {args.token_env} is not set")
    with open(args.keys, "rb") as file:
        keys = file.read()
    port_holder = [0]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler_for(keys, token, port_holder))
    server.daemon_threads = True
    server.handle_error = lambda request, address: None  # clients that hang up early are expected
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    port_holder[0] = server.server_address[1]
    print(port_holder[0], flush=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        thread.join()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
