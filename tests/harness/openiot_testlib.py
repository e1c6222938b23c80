# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared fixtures for the black-box tests: a real openiot-hub with real
demo services, client certificates made with certtool, requests made with
curl, pairing done with gnutls-cli over TLS-SRP."""

import hashlib
import json
import os
import re
import signal
import socket
import subprocess
import unittest
import tempfile
import threading
import time

HUB = os.environ.get("OPENIOT_HUB")
CLI = os.environ.get("OPENIOT_CLI")
DEMO_SERVICE = os.environ.get("OPENIOT_DEMO_SERVICE")
DEMO_TYPES = ("thermostat", "lock", "light", "meter")
# curl negotiates HTTP/2 with the hub by default; OPENIOT_TEST_CURL_HTTP=1.1
# runs a suite over HTTP/1.1 instead (tests/hub/meson.build runs both)
CURL_HTTP = ["--http1.1"] if os.environ.get("OPENIOT_TEST_CURL_HTTP") == "1.1" else []


def free_port_pair():
    """Two consecutive free TCP ports on ::1 (main port, pairing port)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
            port = s.getsockname()[1]
        if port >= 65535:
            continue
        try:
            with socket.socket(socket.AF_INET6) as s:
                s.bind(("::1", port + 1))
            return port
        except OSError:
            continue
    raise RuntimeError("no free port pair")


def run_cli(*args, store=None, prefix=(), timeout=60, **run_options):
    """`openiot [--store STORE] ARGS` to its end, its output as text; stdin
    is closed, so that a question the CLI asks fails instead of waiting.
    @prefix runs it under another command (ip netns exec)."""
    store_args = ["--store", store] if store else []
    return subprocess.run([*prefix, CLI, *store_args, *args], capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL, **run_options)


def wait_for(predicate, timeout=10.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise TimeoutError(f"timed out waiting for {what}")


def service_socket_path(services_dir, name):
    """Where the hub looks for the service @name."""
    return os.path.join(services_dir, name, "interface.sock")


def listen_unix(path, backlog):
    """A UNIX socket listening at @path (its folder made if need be)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(path)
    sock.listen(backlog)
    return sock


def accept_in_background(listener, on_connection, thread_per_connection=True):
    """Hands every connection @listener accepts to on_connection(conn), until
    @listener is closed. Each runs on a thread of its own, so that a service
    that holds one connection open still answers the next; a handler that
    only notes the connection and closes it may run on the accepting thread
    (@thread_per_connection False)."""

    def accept_until_closed():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return  # the listener was closed: the test is done with it
            if thread_per_connection:
                threading.Thread(target=on_connection, args=(conn,), daemon=True).start()
            else:
                on_connection(conn)

    threading.Thread(target=accept_until_closed, daemon=True).start()


def der_of_pem(pem_path):
    """The certificate in @pem_path as DER, the bytes its fingerprints hash."""
    return subprocess.run(["certtool", "--certificate-info", "--outder", "--infile", pem_path],
                          capture_output=True, check=True).stdout


def fingerprint_of_pem(pem_path):
    return "sha256:" + hashlib.sha256(der_of_pem(pem_path)).hexdigest()


class ClientIdentity:
    """A client key pair and self-signed certificate, made with certtool."""

    def __init__(self, directory, name="Test Device", days=365, key_type=("ecdsa", "secp256r1")):
        os.makedirs(directory, exist_ok=True)
        self.key = os.path.join(directory, "client.key")
        self.cert = os.path.join(directory, "client.crt")
        template = os.path.join(directory, "template.cfg")
        with open(template, "w") as f:
            f.write(f'cn = "{name}"\nexpiration_days = {days}\ntls_www_client\nsigning_key\n')
        args = ["certtool", "--generate-privkey", "--outfile", self.key]
        if key_type[0] == "ecdsa":
            args += ["--key-type=ecdsa", f"--curve={key_type[1]}"]
        else:
            args += [f"--key-type={key_type[0]}", f"--bits={key_type[1]}"]
        subprocess.run(args, capture_output=True, check=True)
        subprocess.run(["certtool", "--generate-self-signed", "--load-privkey", self.key,
                        "--template", template, "--outfile", self.cert],
                       capture_output=True, check=True)
        self.name = name
        with open(self.cert) as f:
            self.pem = f.read()
        self.fingerprint = fingerprint_of_pem(self.cert)


def rss_kib(pid, field="VmRSS"):
    """A process's resident memory (or its peak, "VmHWM") in KiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field}")


class Hub:
    """openiot-hub serving on ::1 with the four demo services."""

    # the demo services' simulation, fast for the tests' sake; the demo lock
    # jams one time in ten: tests want it not to
    SERVICE_OPTIONS = ("--tick-ms", "100", "--keepalive-seconds", "1", "--jam-probability", "0")
    # the hub logs every request, for the tests that read its log
    DEBUG_DOMAINS = "openiot-hubd"

    def __init__(self, workdir, services=DEMO_TYPES, name="Test Hub", extra_args=(),
                 listen="::1", netns=None, client_netns=None, port=None, wrapper=()):
        self.workdir = workdir
        self.state = os.path.join(workdir, "state")
        self.services_dir = os.path.join(workdir, "services")
        self.name = name
        self.listen = listen
        self.netns = netns
        self.client_netns = client_netns
        self.extra_args = list(extra_args)
        self.wrapper = list(wrapper)  # a command the hub runs under (valgrind)
        self.start_timeout = 60 if wrapper else 10
        self.port = port or (free_port_pair() if netns is None else 8443)
        self.pairing_port = self.port + 1
        self.service_procs = {}
        self.logs = []
        self.proc = None
        os.makedirs(self.services_dir, exist_ok=True)
        for service in services:
            self.start_service(service)
        self.start()

    def _prefix(self):
        """How client commands (curl, gnutls-cli) run: in the client's
        network namespace when the test made one."""
        return ["ip", "netns", "exec", self.client_netns] if self.client_netns else []

    def start_service(self, service, service_type=None):
        sock = service_socket_path(self.services_dir, service)
        log = open(os.path.join(self.workdir, f"{service}.log"), "a")
        self.logs.append(log)
        proc = subprocess.Popen([DEMO_SERVICE, "--type", service_type or service, "--socket", sock,
                                 *self.SERVICE_OPTIONS],
                                stdout=log, stderr=subprocess.STDOUT)
        self.service_procs[service] = proc
        wait_for(lambda: os.path.exists(sock), what=f"{service} socket")
        return proc

    def stop_service(self, service):
        proc = self.service_procs.pop(service)
        proc.terminate()
        proc.wait(timeout=10)

    def start(self):
        self.log_path = os.path.join(self.workdir, "hub.log")
        log = open(self.log_path, "a")
        self.logs.append(log)
        admin = os.path.join(self.state, "admin.sock")
        if os.path.exists(admin):
            os.unlink(admin)
        hub_prefix = ["ip", "netns", "exec", self.netns] if self.netns else []
        self.proc = subprocess.Popen(hub_prefix + self.wrapper + [HUB, "serve", "--state-dir", self.state,
                                     "--services-dir", self.services_dir, "--listen", self.listen,
                                     "--port", str(self.port), "--name", self.name, *self.extra_args],
                                     stdout=log, stderr=subprocess.STDOUT, env=self._environment())
        wait_for(lambda: os.path.exists(admin) or self.proc.poll() is not None, timeout=self.start_timeout,
                 what="hub admin socket")
        if self.proc.poll() is not None:
            raise RuntimeError("hub exited:\n" + self.log())

    def _environment(self):
        env = dict(os.environ)
        if self.DEBUG_DOMAINS:
            env["G_MESSAGES_DEBUG"] = self.DEBUG_DOMAINS
        else:
            env.pop("G_MESSAGES_DEBUG", None)
        return env

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=10)
        self.proc = None

    def close(self):
        self.stop()
        for service in list(self.service_procs):
            self.stop_service(service)
        for log in self.logs:
            log.close()
        self.logs = []

    def log(self):
        with open(self.log_path) as f:
            return f.read()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def admin(self, *args, check=True):
        result = subprocess.run([HUB, *args, "--state-dir", self.state, "--json"],
                                capture_output=True, text=True, timeout=30)
        if check and result.returncode != 0:
            raise RuntimeError(f"openiot-hub {args}: {result.stderr}")
        return json.loads(result.stdout) if result.returncode == 0 and result.stdout.strip() else result

    def open_code(self, ttl=300):
        return self.admin("pairing-code", "--ttl", str(ttl))["code"]

    def url(self, path, host=None):
        host = host or self.listen
        return f"https://[{host}]:{self.port}{path}" if ":" in host else f"https://{host}:{self.port}{path}"

    def curl(self, path, identity=None, method="GET", data=None, headers=(), extra=(), timeout=20, host=None):
        """Returns (status, headers-text, body-bytes)."""
        with tempfile.NamedTemporaryFile() as header_file:
            args = ["curl", "-sS", "-k", "--globoff", "-o", "-", "-D", header_file.name,
                    "-X", method, "--max-time", str(timeout), *CURL_HTTP]
            if identity:
                args += ["--cert", identity.cert, "--key", identity.key]
            for header in headers:
                args += ["-H", header]
            if data is not None:
                args += ["--data-binary", "@-"]
            args += list(extra)
            args.append(self.url(path, host))
            result = subprocess.run(self._prefix() + args, input=data if isinstance(data, bytes) else
                                    (data.encode() if data is not None else None),
                                    capture_output=True, timeout=timeout + 5)
            with open(header_file.name) as f:
                head = f.read()
        match = re.search(r"^HTTP/[\d.]+ (\d+)", head, re.M)
        if not match:
            raise RuntimeError(f"curl failed ({result.returncode}): {result.stderr.decode()}")
        # the last status line wins (100 Continue comes first)
        status = int(re.findall(r"^HTTP/[\d.]+ (\d+)", head, re.M)[-1])
        return status, head, result.stdout

    def tls_socket(self, identity=None, timeout=10):
        """A TLS connection to the main port, made with Python's ssl module
        (no certificate check: tests of the hub, not of pinning)."""
        import ssl
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        if identity:
            context.load_cert_chain(identity.cert, identity.key)
        sock = context.wrap_socket(socket.create_connection((self.listen, self.port), timeout=timeout),
                                   server_hostname="hub.invalid")
        sock.settimeout(timeout)
        return sock

    def raw_request(self, data, identity=None, timeout=10):
        """Sends @data as it is and returns what comes back until the hub
        closes the connection (or @timeout passes): (bytes, closed)."""
        sock = self.tls_socket(identity, timeout)
        received, closed = b"", False
        try:
            try:
                sock.sendall(data)
            except OSError:
                pass  # the hub may answer and close before it read everything
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    closed = True
                    break
                received += chunk
        except (TimeoutError, socket.timeout):
            pass
        except OSError:
            closed = True
        finally:
            sock.close()
        return received, closed

    def curl_json(self, path, identity=None, **kwargs):
        status, _, body = self.curl(path, identity, **kwargs)
        return status, (json.loads(body) if body.strip() else None)

    def pair_request(self, identity, name=None):
        """The POST /open-iot/v1/pair a device sends inside the SRP session."""
        body = json.dumps({"name": name or identity.name, "certificate": identity.pem})
        return (f"POST /open-iot/v1/pair HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body.encode())}\r\nConnection: close\r\n\r\n{body}").encode()

    def pair_command(self, code, host=None):
        return self._prefix() + ["gnutls-cli", "--srpusername", "open-iot", "--srppasswd", code,
                                 "--priority", "NORMAL:-KX-ALL:+SRP", "-p", str(self.pairing_port),
                                 host or self.listen]

    @staticmethod
    def pair_reply(out):
        """(status, json) from gnutls-cli's output, (None, None) when no
        HTTP answer came (the SRP handshake failed)."""
        out = out.decode(errors="replace") if isinstance(out, bytes) else out
        match = re.search(r"HTTP/1\.1 (\d+)[^\n]*\r?\n(.*?)\r?\n\r?\n(.*)", out, re.S)
        if not match:
            return None, None
        payload = match.group(3)
        payload = payload[:payload.rfind("}") + 1] if "}" in payload else payload
        return int(match.group(1)), (json.loads(payload) if payload.strip() else None)

    def pair(self, identity, code, name=None, host=None):
        """Registers @identity through TLS-SRP with gnutls-cli. Returns
        (status, json) or (None, None) when the SRP handshake failed."""
        result = subprocess.run(self.pair_command(code, host), input=self.pair_request(identity, name),
                                capture_output=True, timeout=30)
        return self.pair_reply(result.stdout)

    def pair_handshake(self, code, host=None, timeout=20):
        """Runs only the SRP handshake, for a test that sends the request
        later (pair_finish). Returns the gnutls-cli process, or None when the
        handshake failed."""
        proc = subprocess.Popen(self.pair_command(code, host), stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        proc.seen = b""
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            proc.seen += line
            if b"Handshake was completed" in line:
                return proc
        proc.kill()
        proc.wait()
        return None

    def pair_finish(self, proc, identity, name=None):
        out, _ = proc.communicate(self.pair_request(identity, name), timeout=30)
        return self.pair_reply(proc.seen + out)

    def register(self, identity, name=None):
        status, reply = self.pair(identity, self.open_code(), name)
        if status != 201:
            raise RuntimeError(f"pairing failed: {status} {reply}\n{self.log()}")
        return reply


def hub_in_tempdir(add_cleanup, **hub_options):
    """(tmp, hub): a temporary directory and a Hub(**@hub_options) in it,
    both removed by @add_cleanup: a TestCase's addCleanup for a hub of one
    test, addClassCleanup for a hub that all the tests of a class share."""
    tmp = tempfile.TemporaryDirectory()
    add_cleanup(tmp.cleanup)
    hub = Hub(os.path.join(tmp.name, "hub"), **hub_options)
    add_cleanup(hub.close)
    return tmp, hub


def seconds_until_cut_off(test, sock, piece, times):
    """Trickles @piece into @sock every half second, @times times at most:
    the test fails unless the hub hangs up before. Returns how many seconds
    the hub let it go on."""
    start = time.monotonic()
    with test.assertRaises(OSError):
        for _ in range(times):
            sock.send(piece)
            time.sleep(0.5)
    return time.monotonic() - start


def assert_still_serving(test, hub, client):
    """After an attack on @hub: it is alive and still answers @client (a
    registered ClientIdentity) on the demo lock."""
    test.assertTrue(hub.alive(), "the hub died:\n" + hub.log()[-3000:])
    status, _ = hub.curl_json("/services/lock/properties/state", client, timeout=5)
    test.assertEqual(status, 200, "the hub stopped serving others")


class ScriptedService:
    """A service on a UNIX socket that misbehaves as told by the first
    segment of the request path, and records every request it receives
    (raw bytes), to show what the hub let through:

    echo            200 with the request line and headers as JSON
    die-mid-body    headers with Content-Length 1000, 12 bytes, close
    die-mid-stream  an event stream: one event, then close
    close           close without a word
    garbage         bytes that are not HTTP
    huge-headers    200 KiB of response headers
    hang            read the request, never answer
    .well-known     the Thing Description in self.td (bytes), if set
    """

    td = None

    def __init__(self, services_dir, name="scripted"):
        self.path = service_socket_path(services_dir, name)
        if os.path.exists(self.path):
            os.unlink(self.path)
        self.requests = []
        self._held = []
        self._lock = threading.Lock()
        self._sock = listen_unix(self.path, 256)
        accept_in_background(self._sock, self._serve)

    def _serve(self, conn):
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    conn.close()
                    return
                data += chunk
            head, body = data.split(b"\r\n\r\n", 1)
            # read the body too: closing with it unread would reset the
            # connection under the hub's feet
            length = re.search(rb"^content-length:\s*(\d+)", head, re.I | re.M)
            chunked = re.search(rb"^transfer-encoding:\s*chunked", head, re.I | re.M)
            conn.settimeout(5)
            while (length and len(body) < int(length.group(1))) or (chunked and not body.endswith(b"0\r\n\r\n")):
                chunk = conn.recv(65536)
                if not chunk:
                    break
                body += chunk
                data += chunk
            conn.settimeout(None)
            with self._lock:
                self.requests.append(data)
            target = head.split(b" ")[1].decode("latin-1")
            mode = target.lstrip("/").split("/")[0].split("?")[0]
            self._answer(conn, mode, head)
        except OSError:
            conn.close()

    @staticmethod
    def _send_then_close(conn, data, linger=0.2):
        """Sends @data and hangs up @linger seconds later: the hub reads
        what was sent before it sees the connection end."""
        conn.sendall(data)
        time.sleep(linger)
        conn.close()

    def _answer(self, conn, mode, head):
        if mode == "die-mid-body":
            self._send_then_close(conn, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                  b'Content-Length: 1000\r\n\r\n{"partial": ')
        elif mode == "die-mid-stream":
            event = b"id: 1\ndata: 1\n\n"
            chunk = b"%x\r\n%s\r\n" % (len(event), event)
            self._send_then_close(conn, b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                                  b"Transfer-Encoding: chunked\r\n\r\n" + chunk, linger=0.3)
        elif mode == "close":
            conn.close()
        elif mode == "garbage":
            self._send_then_close(conn, b"\x00\xff\xfeSSH-2.0-nothing-like-http\r\n\r\n")
        elif mode == "huge-headers":
            self._send_then_close(conn, b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * (200 * 1024)
                                  + b"\r\n\r\n")
        elif mode == "hang":
            with self._lock:
                self._held.append(conn)
        elif mode == ".well-known" and isinstance(self.td, bytes):
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/td+json\r\nContent-Length: %d\r\n"
                         b"Connection: close\r\n\r\n%s" % (len(self.td), self.td))
            conn.close()
        else:
            lines = head.decode("latin-1").split("\r\n")
            body = json.dumps({"request": lines[0], "headers": lines[1:]}).encode()
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                         b"Connection: close\r\n\r\n%s" % (len(body), body))
            conn.close()

    def close(self):
        self._sock.close()
        with self._lock:
            for conn in self._held:
                conn.close()
            self._held = []


class Relay:
    """A TCP relay on ::1 to a local port, standing where a network would:
    it records both directions (to_server, to_client) and counts the
    connections. Armed with a predicate, it cuts the first connection on
    which bytes come back from the server while the predicate holds: those
    bytes are not forwarded and both sides are closed (a connection that
    breaks after the server got a request, before its answer arrives)."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.to_server = bytearray()
        self.to_client = bytearray()
        self.connections = 0
        self.cuts = 0
        self._predicate = None
        self._lock = threading.Lock()
        self._sockets = []
        self._threads = []
        self.listener = socket.socket(socket.AF_INET6)
        self.listener.bind(("::1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        # connecting upstream is quick, and the pumps have threads of their own
        accept_in_background(self.listener, self._relay, thread_per_connection=False)

    def arm(self, predicate):
        with self._lock:
            self._predicate = predicate

    def _relay(self, client):
        try:
            upstream = socket.create_connection(("::1", self.target_port))
        except OSError:
            client.close()
            return
        with self._lock:
            self.connections += 1
            self._sockets += [client, upstream]
        for source, sink, record, from_server in ((client, upstream, self.to_server, False),
                                                  (upstream, client, self.to_client, True)):
            thread = threading.Thread(target=self._pump, args=(source, sink, record, from_server),
                                      daemon=True)
            thread.start()
            self._threads.append(thread)

    def _should_cut(self):
        with self._lock:
            if self._predicate is None or not self._predicate():
                return False
            self._predicate = None
            self.cuts += 1
            return True

    def _pump(self, source, sink, record, from_server):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if from_server and self._should_cut():
                    break  # the answer is dropped: the connection ends here
                record.extend(data)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self):
        """Stops accepting, lets what is in flight end, closes the rest."""
        self.listener.close()
        for thread in self._threads:
            thread.join(timeout=10)
        with self._lock:
            for sock in self._sockets:
                sock.close()


class SseReader:
    """curl -N on an event stream, read line by line with arrival times."""

    def __init__(self, hub, path, identity, headers=()):
        args = ["curl", "-sS", "-N", "-k", "--globoff", *CURL_HTTP, "--cert", identity.cert, "--key", identity.key]
        for header in headers:
            args += ["-H", header]
        args.append(hub.url(path))
        self.proc = subprocess.Popen(hub._prefix() + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def events(self, count, timeout=20):
        """Reads @count events; returns [(arrival_time, {field: value})]."""
        import select
        events, current = [], {}
        deadline = time.monotonic() + timeout
        buffer = b""
        while len(events) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"got {len(events)} of {count} events")
            ready, _, _ = select.select([self.proc.stdout], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                raise EOFError(f"stream ended after {len(events)} events: {self.proc.stderr.read()}")
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                line = line.decode().rstrip("\r")
                if line == "":
                    if "data" in current:
                        events.append((time.monotonic(), current))
                    current = {}
                elif not line.startswith(":") and ":" in line:
                    field, value = line.split(":", 1)
                    value = value[1:] if value.startswith(" ") else value
                    current[field] = current[field] + "\n" + value if field in current else value
        return events

    def close(self):
        self.proc.kill()
        self.proc.wait()
        self.proc.stdout.close()
        self.proc.stderr.close()


def ip(*args, netns=None):
    prefix = ["ip", "netns", "exec", netns] if netns else []
    subprocess.run(prefix + ["ip", *args], check=True, capture_output=True)


def can_make_namespaces():
    if os.geteuid() != 0:
        return False
    probe = f"oi-probe-{os.getpid()}"
    try:
        ip("netns", "add", probe)
        ip("netns", "delete", probe)
        return True
    except (subprocess.CalledProcessError, FileNotFoundError):
        return False


class Ipv6OnlyTestCase(unittest.TestCase):
    """Two network namespaces joined by a veth pair, with global IPv6
    addresses and no IPv4 at all: the hub (self.hub, with the demo
    thermostat, in self.tmp) in one, the client in the other."""

    HUB_ADDRESS = "2001:db8:1::1"
    CLIENT_ADDRESS = "2001:db8:1::2"

    def setUp(self):
        if not can_make_namespaces():
            self.skipTest("needs root and ip netns")
        suffix = os.getpid()
        self.hub_ns, self.client_ns = f"oi-hub-{suffix}", f"oi-cli-{suffix}"
        veth_hub, veth_client = f"oih{suffix % 100000}", f"oic{suffix % 100000}"
        self.hub_veth, self.client_veth = veth_hub, veth_client
        ip("netns", "add", self.hub_ns)
        self.addCleanup(ip, "netns", "delete", self.hub_ns)
        ip("netns", "add", self.client_ns)
        self.addCleanup(ip, "netns", "delete", self.client_ns)
        ip("link", "add", veth_hub, "type", "veth", "peer", "name", veth_client)
        ip("link", "set", veth_hub, "netns", self.hub_ns)
        ip("link", "set", veth_client, "netns", self.client_ns)
        for ns, dev, address in ((self.hub_ns, veth_hub, self.HUB_ADDRESS),
                                 (self.client_ns, veth_client, self.CLIENT_ADDRESS)):
            ip("link", "set", "lo", "up", netns=ns)
            # a link taken down and up keeps its address, as one that
            # SLAAC or DHCPv6 configured would get it back
            subprocess.run(["ip", "netns", "exec", ns, "sysctl", "-qw",
                            f"net.ipv6.conf.{dev}.keep_addr_on_down=1"], check=True, capture_output=True)
            ip("-6", "addr", "add", f"{address}/64", "dev", dev, "nodad", netns=ns)
            ip("link", "set", dev, "up", netns=ns)
        self.tmp, self.hub = hub_in_tempdir(self.addCleanup, services=("thermostat",), listen="::",
                                            netns=self.hub_ns, client_netns=self.client_ns)
