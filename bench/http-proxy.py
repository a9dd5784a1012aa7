#!/usr/bin/env python3
"""A loopback HTTP/1.1 proxy in front of a local web server, for the remote
archive tests (bats/remote.bats) and benchmark (bench/remote.sh).

  http-proxy.py --upstream PORT --port-file FILE [--delay SECONDS]
                [--cut BYTES] [--rewrite-after N [--suffix SUFFIX]]

Listens on 127.0.0.1 (a free port, written to --port-file), forwards each
request to 127.0.0.1:UPSTREAM, one request per connection:
  --delay S            waits S seconds before forwarding each request (a
                       round trip to a distant server)
  --cut BYTES          sends only the first BYTES bytes of each response body,
                       then closes the connection (a connection cut mid-part)
  --cut-from N         cuts from the N-th request on (default 1)
  --rewrite-after N    from the (N+1)-th request on, asks the server for the
                       path with SUFFIX (default .new) appended (the file
                       replaced on the server between two requests)
Runs until killed.  Loopback only.
"""
import argparse
import os
import socket
import socketserver
import threading
import time

args = None
count_lock = threading.Lock()
count = 0


def read_head(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None, b""
        data += chunk
        if len(data) > 1 << 20:
            return None, b""
    head, rest = data.split(b"\r\n\r\n", 1)
    return head, rest


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        global count
        client = self.request
        head, _ = read_head(client)
        if head is None:
            return
        lines = head.split(b"\r\n")
        with count_lock:
            count += 1
            n = count
        if args.rewrite_after is not None and n > args.rewrite_after:
            method, path, version = lines[0].split(b" ", 2)
            lines[0] = b" ".join([method, path + args.suffix.encode(), version])
        lines = [l for l in lines if not l.lower().startswith(b"connection:")]
        lines.append(b"Connection: close")
        if args.delay:
            time.sleep(args.delay)
        up = socket.create_connection(("127.0.0.1", args.upstream))
        try:
            up.sendall(b"\r\n".join(lines) + b"\r\n\r\n")
            rhead, body = read_head(up)
            if rhead is None:
                return
            client.sendall(rhead + b"\r\n\r\n")
            left = args.cut if args.cut is not None and n >= args.cut_from else None
            while True:
                if left is not None:
                    body = body[:left]
                    left -= len(body)
                if body:
                    client.sendall(body)
                if left is not None and left <= 0:
                    break
                body = up.recv(65536)
                if not body:
                    break
        finally:
            up.close()


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    global args
    p = argparse.ArgumentParser()
    p.add_argument("--upstream", type=int, required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--delay", type=float, default=0.0)
    p.add_argument("--cut", type=int)
    p.add_argument("--cut-from", type=int, default=1)
    p.add_argument("--rewrite-after", type=int, nargs=None)
    p.add_argument("--suffix", default=".new")
    args = p.parse_args()
    server = Server(("127.0.0.1", 0), Handler)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
