#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""openiot-bench-relay: a TCP relay that adds a round-trip time.

Listens on [::1]:PORT and forwards each connection to TARGET, holding every
chunk for RTT/2 in each direction. Each direction is one queue of
(due time, bytes) drained by one writer, so ordering is preserved and a
burst of chunks keeps its spacing instead of piling up behind one timer.

A userspace relay cannot delay the TCP handshake itself (the kernel
completes it before accept() returns), so it stands in for it: the first
bytes a client sends on a connection are held one extra RTT, which is when
they would reach the server had the SYN/SYN-ACK crossed the same link. A
client that connects and speaks first (TLS does) then sees the same
timeline as over a real link with that RTT. --no-handshake turns this off.

It counts the connections it accepts, and the TLS handshakes on them (a
ClientHello as a connection's first bytes), and notes when it first
delivered server bytes to a client. Commands on stdin, one a line:
    stats   print {"connections": N, "tls_handshakes": N, "bytes_up": N,
            "bytes_down": N, "first_reply_us": T or null} and reset them;
            T is CLOCK_MONOTONIC in µs, as g_get_monotonic_time()
    quit    stop
The first line on stdout is {"port": PORT} once it listens.

asyncio's timers are good to about a millisecond, which is plenty for the
20-100 ms RTTs the benchmark uses.
"""

import argparse
import asyncio
import json
import sys
import time


class Relay:
    def __init__(self, target_host, target_port, rtt_ms, model_handshake=True):
        self.target = (target_host, target_port)
        self.half = rtt_ms / 2000.0
        self.rtt = rtt_ms / 1000.0
        self.model_handshake = model_handshake
        self.connections = 0
        self.tls_handshakes = 0
        self.bytes_up = 0
        self.bytes_down = 0
        self.first_reply_us = None

    def stats(self):
        result = {"connections": self.connections, "tls_handshakes": self.tls_handshakes,
                  "bytes_up": self.bytes_up, "bytes_down": self.bytes_down, "first_reply_us": self.first_reply_us}
        self.connections = self.tls_handshakes = self.bytes_up = self.bytes_down = 0
        self.first_reply_us = None
        return result

    async def _pump(self, reader, writer, upstream, extra_first_delay):
        """Reads from @reader, writes to @writer each chunk RTT/2 later."""
        loop = asyncio.get_running_loop()
        queue = asyncio.Queue()

        async def write_in_order():
            while True:
                due, chunk = await queue.get()
                delay = due - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                if chunk is None:
                    try:
                        if writer.can_write_eof():
                            writer.write_eof()
                    except OSError:
                        pass
                    return
                if not upstream and self.first_reply_us is None:
                    self.first_reply_us = time.monotonic_ns() // 1000
                writer.write(chunk)
                try:
                    await writer.drain()
                except OSError:
                    return

        writer_task = asyncio.create_task(write_in_order())
        first = True
        try:
            while True:
                chunk = await reader.read(65536)
                delay = self.half + (extra_first_delay if first else 0.0)
                # a TLS handshake record (22) carrying a ClientHello (1)
                if first and upstream and len(chunk) > 5 and chunk[0] == 22 and chunk[5] == 1:
                    self.tls_handshakes += 1
                first = False
                if upstream:
                    self.bytes_up += len(chunk)
                else:
                    self.bytes_down += len(chunk)
                await queue.put((loop.time() + delay, chunk if chunk else None))
                if not chunk:
                    break
        except OSError:
            await queue.put((loop.time(), None))
        except asyncio.CancelledError:
            writer_task.cancel()
            raise
        try:
            await writer_task
        except asyncio.CancelledError:
            writer_task.cancel()
            raise

    async def handle(self, client_reader, client_writer):
        self.connections += 1
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.close()
            return
        extra = self.rtt if self.model_handshake else 0.0
        up = asyncio.create_task(self._pump(client_reader, server_writer, True, extra))
        down = asyncio.create_task(self._pump(server_reader, client_writer, False, 0.0))
        try:
            # Once one side has closed and that has been passed on, give the
            # other a moment to follow (a server does not always close on a
            # client's half-close), then drop the connection.
            _, pending = await asyncio.wait({up, down}, return_when=asyncio.FIRST_COMPLETED)
            if pending:
                _, pending = await asyncio.wait(pending, timeout=self.rtt + 1.0)
        except asyncio.CancelledError:
            pending = {up, down}
        for task in pending:
            task.cancel()
        for w in (server_writer, client_writer):
            try:
                w.close()
            except OSError:
                pass


async def serve(args):
    relay = Relay(args.target_host, args.target_port, args.rtt_ms, not args.no_handshake)
    server = await asyncio.start_server(relay.handle, args.listen, args.port)
    port = server.sockets[0].getsockname()[1]
    print(json.dumps({"port": port}), flush=True)

    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while True:
        line = await reader.readline()
        command = line.decode().strip()
        if command == "stats":
            print(json.dumps(relay.stats()), flush=True)
        elif command == "quit" or not line:
            break
    server.close()
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in others:
        task.cancel()
    await asyncio.gather(*others, return_exceptions=True)


def main():
    parser = argparse.ArgumentParser(description="TCP relay adding a round-trip time")
    parser.add_argument("--listen", default="::1")
    parser.add_argument("--port", type=int, default=0, help="listening port (default: any free one)")
    parser.add_argument("--target-host", default="::1")
    parser.add_argument("--target-port", type=int, required=True)
    parser.add_argument("--rtt-ms", type=float, default=0.0)
    parser.add_argument("--no-handshake", action="store_true",
                        help="do not hold the first client bytes one extra RTT for the TCP handshake")
    args = parser.parse_args()
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
