#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Open-IoT benchmarks (issue 9), run by ./tools/bench.

Parts (bench/README.md says what each one measures and why):
  proxy     hub vs nginx (same socket, same mutual TLS) and direct vs proxied
  pairing   openiot pair: SRP + key generation + registration, on loopback
  rtt       a cold `openiot get` (or `services`) through a relay adding 0-100 ms RTT
  startup   process start to first frame, libadwaita baseline vs openiot-client
  values    the app's cached state and first live values on a Thing page, 0-100 ms RTT

Everything is measured side by side in one run, repeated, interleaved, and
summarised by medians; the report gives ratios against the baseline run
next to it, because absolute times on a shared 2-core machine are noise.

Writes OUT/results.md (Markdown tables), OUT/results.json, OUT/*.dat and,
when gnuplot is there, OUT/results.png.
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # leave no __pycache__ in tests/harness
sys.path.insert(0, os.path.join(ROOT, "tests", "harness"))
import openiot_testlib as testlib  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")
PROPERTY_PATH = "/services/thermostat/properties/temperature"
SERVICE_PATH = "/properties/temperature"
PAIRING_TARGET_MS = 300.0


# --------------------------------------------------------------------------
# processes

def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


def cpu_seconds(pids):
    """utime + stime of @pids (all their threads), in seconds."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # fields 14 and 15 of stat(5)
        except (OSError, IndexError):
            pass
    return total / CLK_TCK


def memory_kb(pids, proc_file, field):
    """The "@field: N kB" line of /proc/PID/@proc_file added up over @pids;
    a process that is gone meanwhile counts for nothing."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/{proc_file}") as f:
                match = re.search(rf"^{field}:\s+(\d+)", f.read(), re.M)
            total += int(match.group(1)) if match else 0
        except OSError:
            pass
    return total


def rss_kb(pids):
    return memory_kb(pids, "status", "VmRSS")


def pss_kb(pids):
    """Proportional set size: unlike RSS, adding it up over nginx's master
    and worker does not count their shared pages twice."""
    return memory_kb(pids, "smaps_rollup", "Pss")


def child_pids(pid):
    pids = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                pids += [int(p) for p in f.read().split()]
    except OSError:
        pass
    return pids


def wait_port(port, host="::1", timeout=10.0):
    def ready():
        with socket.socket(socket.AF_INET6) as s:
            return s.connect_ex((host, port)) == 0
    testlib.wait_for(ready, timeout=timeout, what=f"port {port}")


def stop_process(proc, sig=signal.SIGTERM, timeout=10):
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


class Build:
    def __init__(self, build_dir):
        self.dir = os.path.abspath(build_dir)
        self.hub = os.path.join(self.dir, "hub-mock", "hub", "openiot-hub")
        self.demo_service = os.path.join(self.dir, "hub-mock", "demo-service", "openiot-demo-service")
        self.cli = os.path.join(self.dir, "src", "cli", "openiot")
        self.app = os.path.join(self.dir, "src", "app", "openiot-client")
        self.load = os.path.join(self.dir, "bench", "openiot-bench-load")
        self.adw_window = os.path.join(self.dir, "bench", "openiot-bench-adw-window")
        self.client_cert_shim = os.path.join(self.dir, "bench", "openiot-bench-client-cert.so")
        self.relay = os.path.join(ROOT, "bench", "openiot-bench-relay.py")
        testlib.HUB = self.hub
        testlib.DEMO_SERVICE = self.demo_service


class BenchHub(testlib.Hub):
    """The test harness's hub with two differences that matter for timing:
    no debug logging (the tests log every request), and demo services at
    their default simulation step rather than the tests' fast one."""

    SERVICE_OPTIONS = ()
    DEBUG_DOMAINS = None


def sha1_fingerprint(pem_path):
    return hashlib.sha1(testlib.der_of_pem(pem_path)).hexdigest()


class Nginx:
    """nginx as the reference reverse proxy: the same demo service socket,
    the same certificate and key as the hub, a client certificate required
    and checked per request against the registered one (as the hub checks
    fingerprints), the hub's headers set, keep-alive to the upstream."""

    def __init__(self, workdir, hub, identity, client_id, http2=False):
        self.dir = os.path.join(workdir, "nginx")
        os.makedirs(os.path.join(self.dir, "tmp"), exist_ok=True)
        self.port = testlib.free_port_pair()
        sock = testlib.service_socket_path(hub.services_dir, "thermostat")
        user = "user root root;" if os.getuid() == 0 else ""
        conf = f"""# generated by bench/openiot_bench.py
{user}
worker_processes 1;
daemon off;
master_process on;
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {self.dir}/tmp/body;
  proxy_temp_path {self.dir}/tmp/proxy;
  fastcgi_temp_path {self.dir}/tmp/fastcgi;
  uwsgi_temp_path {self.dir}/tmp/uwsgi;
  scgi_temp_path {self.dir}/tmp/scgi;
  keepalive_timeout 60s;
  keepalive_requests 100000000;

  # the registry: client certificate fingerprint -> client id
  map $ssl_client_fingerprint $openiot_client_id {{
    default "";
    "{sha1_fingerprint(identity.cert)}" "{client_id}";
  }}

  upstream thermostat {{
    server unix:{sock};
    keepalive 64;
    keepalive_requests 100000000;
  }}

  server {{
    listen [::1]:{self.port} ssl{" http2" if http2 else ""};
    ssl_certificate {hub.state}/hub.crt;
    ssl_certificate_key {hub.state}/hub.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_verify_client optional_no_ca;

    location /services/thermostat/ {{
      if ($openiot_client_id = "") {{ return 403; }}
      proxy_pass http://thermostat/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host localhost;
      proxy_set_header X-Open-IoT-Client-Id $openiot_client_id;
      proxy_set_header X-Open-IoT-Client-Name "{identity.name}";
      # the hub streams responses (event streams must arrive event by event)
      proxy_buffering off;
    }}
  }}
}}
"""
        self.conf = os.path.join(self.dir, "nginx.conf")
        with open(self.conf, "w") as f:
            f.write(conf)
        self.log = open(os.path.join(self.dir, "stderr.log"), "a")
        self.proc = subprocess.Popen(["nginx", "-p", self.dir, "-c", self.conf, "-e", os.path.join(self.dir, "error.log")],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        wait_port(self.port)
        testlib.wait_for(lambda: child_pids(self.proc.pid), what="nginx worker")

    def pids(self):
        return [self.proc.pid] + child_pids(self.proc.pid)

    def close(self):
        stop_process(self.proc, signal.SIGQUIT)
        self.log.close()


def versions():
    def out(args):
        try:
            r = subprocess.run(args, capture_output=True, text=True, timeout=10)
            return (r.stdout + r.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "?"
    return {
        "nginx": out(["nginx", "-v"]).replace("nginx version: ", ""),
        "openssl": out(["openssl", "version"]),
        "gnutls": out(["pkg-config", "--modversion", "gnutls"]),
        "libsoup": out(["pkg-config", "--modversion", "libsoup-3.0"]),
        "glib": out(["pkg-config", "--modversion", "glib-2.0"]),
        "libadwaita": out(["pkg-config", "--modversion", "libadwaita-1"]),
    }


def machine():
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            match = re.search(r"^model name\s*:\s*(.+)$", f.read(), re.M)
            model = match.group(1).strip() if match else "?"
    except OSError:
        pass
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": model,
        "kernel": platform.release(),
        "tree": subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"], capture_output=True,
                               text=True).stdout.strip() or "?",
        "os": platform.freedesktop_os_release().get("PRETTY_NAME", "?") if hasattr(platform, "freedesktop_os_release") else "?",
    }


# --------------------------------------------------------------------------
# part 2 and 3: hub vs nginx, direct vs proxied

SCENARIOS = [
    # (key, label, connections, close each)
    ("ka1", "keep-alive, 1 connection", 1, False),
    ("ka16", "keep-alive, 16 connections", 16, False),
    ("close4", "new TLS connection per request, 4 at a time", 4, True),
]


def run_load(build, target, connections, close, duration, warmup=0.5):
    args = [build.load, "-c", str(connections), "-d", str(duration), "--warmup", str(warmup)]
    if close:
        args.append("--close")
    args += target["args"]
    before_proxy = cpu_seconds(target["proxy_pids"]())
    before_service = cpu_seconds(target["service_pids"]())
    result = subprocess.run(args, capture_output=True, text=True, timeout=warmup + duration + 60)
    after_proxy = cpu_seconds(target["proxy_pids"]())
    after_service = cpu_seconds(target["service_pids"]())
    try:
        data = json.loads(result.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        raise RuntimeError(f"openiot-bench-load failed ({result.returncode}): {result.stderr}")
    total = max(data["total_requests"], 1)
    data["proxy_cpu_us"] = (after_proxy - before_proxy) / total * 1e6 if target["proxy_pids"]() else None
    data["service_cpu_us"] = (after_service - before_service) / total * 1e6
    data["bad_fraction"] = (data["non_2xx"] + data["errors"]) / max(data["total_requests"] + data["errors"], 1)
    return data


def hold_rss(build, target, connections=100, hold=4.0):
    """RSS of the proxy with @connections idle TLS clients (each made one request)."""
    proc = subprocess.Popen([build.load, "-c", str(connections), "--hold", str(hold)] + target["args"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ready = json.loads(proc.stdout.readline() or "{}").get("ready", 0)
    time.sleep(1.0)
    rss, pss = rss_kb(target["proxy_pids"]()), pss_kb(target["proxy_pids"]())
    proc.communicate(timeout=hold + 30)
    return rss, pss, ready


def part_proxy(ctx):
    build, args, work = ctx["build"], ctx["args"], ctx["work"]
    hub = BenchHub(os.path.join(work, "proxy"), services=("thermostat",), name="Bench Hub")
    ctx["cleanup"].append(hub.close)
    identity = testlib.ClientIdentity(os.path.join(work, "proxy", "client"), name="Bench Loader")
    reply = hub.register(identity)
    nginx = Nginx(work, hub, identity, reply["client_id"])
    ctx["cleanup"].append(nginx.close)
    service = hub.service_procs["thermostat"]
    sock = testlib.service_socket_path(hub.services_dir, "thermostat")
    tls = ["--tls", "--cert", identity.cert, "--key", identity.key, "--path", PROPERTY_PATH]

    targets = {
        "direct": {"label": "direct (UNIX socket, plain HTTP)",
                   "args": ["--unix", sock, "--path", SERVICE_PATH, "--host", "localhost"],
                   "proxy_pids": lambda: [], "service_pids": lambda: [service.pid]},
        "hub": {"label": "openiot-hub (mutual TLS)",
                "args": ["--tcp", f"[::1]:{hub.port}"] + tls,
                "proxy_pids": lambda: [hub.proc.pid], "service_pids": lambda: [service.pid]},
        "nginx": {"label": f"{ctx['versions']['nginx']} (mutual TLS)",
                  "args": ["--tcp", f"[::1]:{nginx.port}"] + tls,
                  "proxy_pids": nginx.pids, "service_pids": lambda: [service.pid]},
    }

    # a first request through each, so nothing below pays for a cold cache
    for key, target in targets.items():
        run_load(build, target, 1, False, 0.2, warmup=0.1)

    memory = {}
    for key in ("hub", "nginx"):
        idle, idle_pss = rss_kb(targets[key]["proxy_pids"]()), pss_kb(targets[key]["proxy_pids"]())
        loaded, loaded_pss, ready = hold_rss(build, targets[key])
        memory[key] = {"idle_kb": idle, "hold_kb": loaded, "idle_pss_kb": idle_pss, "hold_pss_kb": loaded_pss,
                       "hold_connections": ready}
        log(f"memory {key}: idle {idle} KiB, {ready} idle clients {loaded} KiB")

    runs = {(s[0], t): [] for s in SCENARIOS for t in targets}
    order = list(targets)
    for rep in range(args.repeat):
        for key, label, connections, close in SCENARIOS:
            rotated = order[rep % len(order):] + order[:rep % len(order)]
            for target in rotated:
                data = run_load(build, targets[target], connections, close, args.duration)
                runs[(key, target)].append(data)
                log(f"proxy {rep + 1}/{args.repeat} {key} {target}: {data['rps']:.0f} rps, "
                    f"p50 {data['p50_us']} µs, p99 {data['p99_us']} µs, bad {data['bad_fraction']:.0%}")

    summary = {}
    for (scenario, target), values in runs.items():
        summary[f"{scenario}/{target}"] = {
            field: median([v[field] for v in values])
            for field in ("rps", "p50_us", "p99_us", "proxy_cpu_us", "service_cpu_us", "bad_fraction")
        }
    return {"targets": {k: v["label"] for k, v in targets.items()}, "summary": summary,
            "memory": memory, "runs": {f"{s}/{t}": v for (s, t), v in runs.items()}}


# --------------------------------------------------------------------------
# loaders no one here wrote: ab and curl against the hub and nginx (issue 16)

AB_PATH = "/services/thermostat/properties/targetTemperature"
AB_LOADS = [
    # (key, label, command maker)
    ("ab-k16", "`ab -k -c 16` (HTTP/1.0 keep-alive)",
     lambda url, pem, n: ["ab", "-q", "-k", "-c", "16", "-n", str(n), "-E", pem, url]),
    ("ab-c4", "`ab -c 4` (new TLS connection per request)",
     lambda url, pem, n: ["ab", "-q", "-c", "4", "-n", str(n // 4), "-E", pem, url]),
]


# h2load (nghttp2-client) over HTTP/2: as many streams in flight as ab -k
# has connections, on 16 connections and multiplexed on 4. h2load 1.52
# sends an IPv6 URL's authority without brackets ("::1:8443"), which
# libsoup refuses (400) as a Host: give it the name clients use.
H2LOAD_LOADS = [
    ("h2load-c16m1", "`h2load -c 16 -m 1` (HTTP/2, one stream per connection)",
     lambda url, n: ["h2load", "-c", "16", "-m", "1", "-n", str(n), "-H", ":authority: hub.invalid", url]),
    ("h2load-c4m16", "`h2load -c 4 -m 16` (HTTP/2, 16 streams per connection)",
     lambda url, n: ["h2load", "-c", "4", "-m", "16", "-n", str(n), "-H", ":authority: hub.invalid", url]),
]


def h2load_rps(build, identity, args):
    """h2load with the client certificate preloaded into it (it has no
    option for one): (req/s, failed or non-2xx, HTTP/2 negotiated)."""
    env = dict(os.environ, LD_PRELOAD=build.client_cert_shim,
               OPENIOT_BENCH_CERT=identity.cert, OPENIOT_BENCH_KEY=identity.key)
    result = subprocess.run(args, capture_output=True, text=True, timeout=300, env=env)
    rps = re.search(r"finished in [\d.]+\w+, ([\d.]+) req/s", result.stdout)
    done = re.search(r"requests: (\d+) total, \d+ started, (\d+) done, (\d+) succeeded", result.stdout)
    ok = re.search(r"status codes: (\d+) 2xx", result.stdout)
    if not rps or not done:
        raise RuntimeError(f"h2load failed ({result.returncode}): {result.stdout[-500:]} {result.stderr[-500:]}")
    bad = int(done.group(1)) - (int(ok.group(1)) if ok else 0)
    return float(rps.group(1)), bad, "Application protocol: h2" in result.stdout


def ab_rps(args):
    result = subprocess.run(args, capture_output=True, text=True, timeout=300)
    rps = re.search(r"Requests per second:\s+([\d.]+)", result.stdout)
    failed = re.search(r"Failed requests:\s+(\d+)", result.stdout)
    non2xx = re.search(r"Non-2xx responses:\s+(\d+)", result.stdout)
    if not rps:
        raise RuntimeError(f"ab failed ({result.returncode}): {result.stderr}")
    kept = re.search(r"Keep-Alive requests:\s+(\d+)", result.stdout)
    bad = int(failed.group(1)) + (int(non2xx.group(1)) if non2xx else 0)
    return float(rps.group(1)), bad, int(kept.group(1)) if kept else 0


def curl_one_connection_rps(url, identity, n, work):
    """@n requests on one HTTP/1.1 connection (curl reuses it)."""
    config = os.path.join(work, "curl-urls.txt")
    with open(config, "w") as f:
        f.write("".join(f'url = "{url}"\noutput = "/dev/null"\n' for _ in range(n)))
    start = time.monotonic()
    result = subprocess.run(["curl", "-sS", "-k", "--http1.1", "--cert", identity.cert, "--key", identity.key,
                             "-w", "%{http_code} %{num_connects}\n", "-K", config],
                            capture_output=True, text=True, timeout=300)
    elapsed = time.monotonic() - start
    codes = [line.split() for line in result.stdout.splitlines()]
    bad = sum(1 for code, _ in codes if code != "200") + (n - len(codes))
    connects = sum(int(c) for _, c in codes)
    return n / elapsed, bad, connects


def part_ab(ctx):
    build, args, work = ctx["build"], ctx["args"], ctx["work"]
    hub = BenchHub(os.path.join(work, "ab"), services=("thermostat",), name="Bench Hub")
    ctx["cleanup"].append(hub.close)
    identity = testlib.ClientIdentity(os.path.join(work, "ab", "client"), name="Bench Loader")
    reply = hub.register(identity)
    # http2 on the listener: h2load negotiates it, ab and curl --http1.1 do not
    nginx = Nginx(os.path.join(work, "ab"), hub, identity, reply["client_id"], http2=True)
    ctx["cleanup"].append(nginx.close)
    pem = os.path.join(work, "ab", "client-cert-and-key.pem")
    with open(pem, "w") as f:
        f.write(open(identity.cert).read() + open(identity.key).read())
    urls = {"hub": f"https://[::1]:{hub.port}{AB_PATH}", "nginx": f"https://[::1]:{nginx.port}{AB_PATH}"}
    n = 400 if args.quick else 4000
    runs = {}
    for rep in range(1 if args.quick else 3):
        for server in (("hub", "nginx") if rep % 2 == 0 else ("nginx", "hub")):
            for key, _, command in AB_LOADS:
                rps, bad, kept = ab_rps(command(urls[server], pem, n))
                runs.setdefault(f"{key}/{server}", []).append({"rps": rps, "bad": bad, "kept_alive": kept})
                log(f"ab {rep + 1} {key} {server}: {rps:.0f} req/s, {bad} bad, {kept} kept alive")
            rps, bad, connects = curl_one_connection_rps(urls[server], identity, n * 3 // 4, work)
            runs.setdefault(f"curl1/{server}", []).append({"rps": rps, "bad": bad, "connects": connects})
            log(f"ab {rep + 1} curl1 {server}: {rps:.0f} req/s, {bad} bad, {connects} connections")
            for key, _, command in H2LOAD_LOADS:
                rps, bad, h2 = h2load_rps(build, identity, command(urls[server], n))
                runs.setdefault(f"{key}/{server}", []).append({"rps": rps, "bad": bad, "h2": h2})
                log(f"ab {rep + 1} {key} {server}: {rps:.0f} req/s, {bad} bad, h2 {h2}")
    summary = {k: {"rps": median([r["rps"] for r in v]), "bad": sum(r["bad"] for r in v)} for k, v in runs.items()}
    return {"summary": summary, "runs": runs}


# --------------------------------------------------------------------------
# leak: RSS across many mutual-TLS connections (issue 16, finding 10)

LEAK_CHECKPOINTS = (1000, 10000, 100000)


def part_leak(ctx):
    """One request per new mutual-TLS connection, 4 at a time, until
    100,000 connections; the hub's RSS at each checkpoint. A per-connection
    leak of the 15 KiB client certificate alone would add ~1.5 GB."""
    build, args, work = ctx["build"], ctx["args"], ctx["work"]
    hub = BenchHub(os.path.join(work, "leak"), services=("thermostat",), name="Bench Hub")
    ctx["cleanup"].append(hub.close)
    identity = testlib.ClientIdentity(os.path.join(work, "leak", "client"), name="Bench Loader")
    hub.register(identity)
    target = {"args": ["--tcp", f"[::1]:{hub.port}", "--tls", "--cert", identity.cert, "--key", identity.key,
                       "--path", "/open-iot/v1/hub"],
              "proxy_pids": lambda: [hub.proc.pid], "service_pids": lambda: []}
    checkpoints = LEAK_CHECKPOINTS[:2] if args.quick else LEAK_CHECKPOINTS
    done, errors, rss, started = 0, 0, {}, time.monotonic()
    for checkpoint in checkpoints:
        while done < checkpoint:
            # about a second of connections at the last measured rate
            rate = done / (time.monotonic() - started) if done else 500
            data = run_load(build, target, 4, True, max(0.5, min(10.0, (checkpoint - done) / max(rate, 1))),
                            warmup=0)
            done += data["total_requests"]
            errors += data["errors"] + data["non_2xx"]
        rss[checkpoint] = {"connections": done, "rss_kb": rss_kb([hub.proc.pid])}
        log(f"leak: {done} connections, RSS {rss[checkpoint]['rss_kb']} KiB")
    return {"rss": rss, "errors": errors, "seconds": time.monotonic() - started}


# --------------------------------------------------------------------------
# part 5: pairing time

def hyperfine(commands, runs, export, prepare=None):
    args = ["hyperfine", "--runs", str(runs), "--warmup", "1", "--export-json", export, "--style", "none"]
    for name, command, prep in commands:
        args += ["--command-name", name]
        if prep:
            args += ["--prepare", prep]
    args += [c for _, c, _ in commands]
    # hyperfine wants one --prepare per command, given in the same order
    result = subprocess.run(args, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"hyperfine failed: {result.stderr}\n{result.stdout}")
    with open(export) as f:
        return {r["command"]: r for r in json.load(f)["results"]}


def part_pairing(ctx):
    build, args, work = ctx["build"], ctx["args"], ctx["work"]
    base = os.path.join(work, "pairing")
    hub = BenchHub(base, services=("thermostat",), name="Bench Hub")
    ctx["cleanup"].append(hub.close)
    store = os.path.join(base, "store")
    code_file = os.path.join(base, "code")
    request_file = os.path.join(base, "request")
    py = sys.executable
    me = os.path.abspath(__file__)
    address = f"[::1]:{hub.pairing_port}"
    open_code = f"{py} {me} _open-code --hub {build.hub} --state {hub.state} --out {code_file}"
    cli = f"{build.cli} --store {store}"

    commands = [
        ("openiot hubs (process floor)", f"{cli} hubs >/dev/null",
         f"rm -rf {store} && {cli} identity >/dev/null"),
        ("openiot identity (key generation)", f"{cli} identity >/dev/null", f"rm -rf {store}"),
        # gnutls-cli exits 1 because the hub closes without a TLS
        # close_notify; whether the hub answered 201 is what counts
        ("gnutls-cli SRP registration (by-hand recipe)",
         f"gnutls-cli --srpusername open-iot --srppasswd \"$(cat {code_file})\" --priority 'NORMAL:-KX-ALL:+SRP' "
         f"-p {hub.pairing_port} ::1 <{request_file} 2>/dev/null | grep -q '^HTTP/1.1 201'",
         f"{open_code} --request {request_file} --base {base}"),
        ("openiot pair, identity exists (SRP + registration)",
         f"{cli} pair --address '{address}' --code \"$(cat {code_file})\" --yes >/dev/null",
         f"rm -rf {store} && {cli} identity >/dev/null && {open_code}"),
        ("openiot pair, fresh device (key generation + SRP + registration)",
         f"{cli} pair --address '{address}' --code \"$(cat {code_file})\" --yes >/dev/null",
         f"rm -rf {store} && {open_code}"),
    ]
    results = hyperfine(commands, args.pair_runs, os.path.join(ctx["out"], "pairing-hyperfine.json"))
    summary = {}
    for name, _, _ in commands:
        r = results[name]
        summary[name] = {"median_ms": statistics.median(r["times"]) * 1000, "min_ms": r["min"] * 1000,
                         "max_ms": r["max"] * 1000, "runs": len(r["times"])}
        log(f"pairing {name}: median {summary[name]['median_ms']:.1f} ms")
    clients = len(hub.admin("clients"))
    return {"summary": summary, "registered_clients": clients}


def open_code_command(argv):
    """Helper for hyperfine's --prepare: opens a pairing code and writes it
    (and, for the gnutls-cli baseline, a registration request with a fresh
    certificate) to files."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--hub", required=True)
    parser.add_argument("--state", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--request")
    parser.add_argument("--base")
    opts = parser.parse_args(argv)
    reply = subprocess.run([opts.hub, "pairing-code", "--state-dir", opts.state, "--json"],
                           capture_output=True, text=True, check=True)
    with open(opts.out, "w") as f:
        f.write(json.loads(reply.stdout)["code"])
    if opts.request:
        identity = testlib.ClientIdentity(tempfile.mkdtemp(dir=opts.base, prefix="srp-client."), name="gnutls-cli")
        body = json.dumps({"name": identity.name, "certificate": identity.pem})
        with open(opts.request, "w") as f:
            f.write(f"POST /open-iot/v1/pair HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(body.encode())}\r\nConnection: close\r\n\r\n{body}")


# --------------------------------------------------------------------------
# part 1 (infrastructure): a cold CLI request at a given RTT

RTTS_MS = (0, 20, 50, 100)


def cli_has_get(build):
    try:
        return subprocess.run([build.cli, "get", "--help"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def store_via(store, relay_store, port, hub_name=None, keep_cache=False):
    """A copy of @store whose hub record (the one named @hub_name, or all)
    points at @port (the relay). With @keep_cache, a cache already in
    @relay_store survives."""
    cache = os.path.join(relay_store, "cache")
    kept = None
    if keep_cache and os.path.isdir(cache):
        kept = tempfile.mkdtemp(dir=os.path.dirname(relay_store))
        shutil.move(cache, os.path.join(kept, "cache"))
    shutil.rmtree(relay_store, ignore_errors=True)
    shutil.copytree(store, relay_store)
    os.chmod(relay_store, 0o700)
    if kept:
        shutil.rmtree(cache, ignore_errors=True)
        shutil.move(os.path.join(kept, "cache"), cache)
        shutil.rmtree(kept)
    path = os.path.join(relay_store, "hubs.json")
    with open(path) as f:
        hubs = json.load(f)
    for record in hubs:
        if hub_name is None or record.get("name") == hub_name:
            record["port"] = port
    with open(path, "w") as f:
        json.dump(hubs, f)
    os.chmod(path, 0o600)


class RelayProcess:
    def __init__(self, build, target_port, rtt_ms):
        self.proc = subprocess.Popen([sys.executable, build.relay, "--target-port", str(target_port),
                                      "--rtt-ms", str(rtt_ms)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.port = json.loads(self.proc.stdout.readline())["port"]

    def stats(self):
        self.proc.stdin.write("stats\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write("quit\n")
                self.proc.stdin.flush()
            except OSError:
                pass
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def calibrate_relay(build, rtt, pings=10):
    """Measures what the relay really adds: TCP connect + first 1-byte
    ping-pong (which should take 2 RTT with the handshake stand-in), then
    @pings more (1 RTT each), against a local echo server."""
    import threading
    listener = socket.socket(socket.AF_INET6)
    listener.bind(("::1", 0))
    listener.listen(1)

    def echo():
        conn, _ = listener.accept()
        with conn:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            while data := conn.recv(64):
                conn.sendall(data)

    thread = threading.Thread(target=echo, daemon=True)
    thread.start()
    relay = RelayProcess(build, listener.getsockname()[1], rtt)
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            start = time.perf_counter()
            s.connect(("::1", relay.port))
            s.sendall(b"x")
            s.recv(1)
            first = (time.perf_counter() - start) * 1000
            times = []
            for _ in range(pings):
                start = time.perf_counter()
                s.sendall(b"x")
                s.recv(1)
                times.append((time.perf_counter() - start) * 1000)
    finally:
        relay.close()
        thread.join(timeout=5)
        listener.close()
    return {"first_ms": first, "ping_ms": median(times)}


def fit_round_trips(points):
    """One noisy run at RTT 0 would skew every row if rows were read
    against it: fit time = base + round_trips × RTT over all runs.
    Returns (round_trips, base)."""
    mean_x = statistics.fmean(x for x, _ in points)
    mean_y = statistics.fmean(y for _, y in points)
    slope = (sum((x - mean_x) * (y - mean_y) for x, y in points) /
             sum((x - mean_x) ** 2 for x, _ in points))
    return slope, mean_y - slope * mean_x


def part_rtt(ctx):
    build, args, work = ctx["build"], ctx["args"], ctx["work"]
    base = os.path.join(work, "rtt")
    hub = BenchHub(base, name="Bench Hub")
    ctx["cleanup"].append(hub.close)
    store = os.path.join(base, "store")
    code = hub.open_code()
    subprocess.run([build.cli, "--store", store, "pair", "--address", f"[::1]:{hub.pairing_port}",
                    "--code", code, "--yes"], capture_output=True, check=True, timeout=60)

    # TODO(issue 9, part 1): `openiot get` is being written (issue 5). Until
    # `openiot get --help` succeeds this measures `openiot services`; it
    # switches to `get thermostat temperature` on its own once it does.
    # `get` keeps the service's Thing Description in STORE/cache: a device's
    # first `get` of a service fetches it too, later ones do not; both count.
    if cli_has_get(build):
        variants = [("openiot get thermostat temperature, first time (no cached Thing Description)",
                     ["get", "thermostat", "temperature"], True),
                    ("openiot get thermostat temperature, Thing Description cached",
                     ["get", "thermostat", "temperature"], False)]
    else:
        variants = [("openiot services (`get` not there yet)", ["services"], False)]

    calibration = {rtt: calibrate_relay(build, rtt) for rtt in RTTS_MS}
    for rtt, c in calibration.items():
        log(f"relay at {rtt} ms: connect + first ping {c['first_ms']:.1f} ms, then {c['ping_ms']:.1f} ms per ping")

    results = []
    for label, command_args, clear_cache in variants:
        log(f"rtt: measuring {label}")
        rows = []
        for rtt in RTTS_MS:
            relay = RelayProcess(build, hub.port, rtt)
            try:
                relay_store = os.path.join(base, f"store-{rtt}")
                store_via(store, relay_store, relay.port)
                cmd = [build.cli, "--store", relay_store] + command_args
                times, connections, handshakes, statuses = [], [], [], []
                for i in range(args.rtt_runs + 1):
                    if clear_cache:
                        shutil.rmtree(os.path.join(relay_store, "cache"), ignore_errors=True)
                    start = time.perf_counter()
                    result = subprocess.run(cmd, capture_output=True, timeout=60)
                    elapsed = time.perf_counter() - start
                    stats = relay.stats()
                    if i == 0:
                        continue  # the first run warms the page cache; every run is a new process
                    statuses.append(result.returncode)
                    times.append(elapsed * 1000)
                    connections.append(stats["connections"])
                    handshakes.append(stats["tls_handshakes"])
                rows.append({"rtt_ms": rtt, "median_ms": median(times), "min_ms": min(times), "times_ms": times,
                             "connections": median(connections), "tls_handshakes": median(handshakes),
                             "exit_codes": sorted(set(statuses))})
                log(f"rtt {rtt} ms: median {rows[-1]['median_ms']:.1f} ms, {rows[-1]['connections']} connection(s), "
                    f"exit {rows[-1]['exit_codes']}")
            finally:
                relay.close()
        slope, intercept = fit_round_trips([(row["rtt_ms"], t) for row in rows for t in row["times_ms"]])
        for row in rows:
            row["round_trips"] = (row["median_ms"] - intercept) / row["rtt_ms"] if row["rtt_ms"] else None
        results.append({"command": label, "rows": rows, "fit_round_trips": slope, "fit_base_ms": intercept})
    return {"variants": results, "calibration": calibration}


# --------------------------------------------------------------------------
# part 4 (infrastructure): start-up to first frame

class Desktop:
    """A private Xvfb, D-Bus session bus and unlocked keyring, so the
    programs start as they would in a fresh, quiet session."""

    def __init__(self, work):
        self.work = os.path.join(work, "desktop")
        self.procs = []
        env = dict(os.environ)
        for var in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "GNOME_KEYRING_CONTROL"):
            env.pop(var, None)
        home = os.path.join(self.work, "home")
        for sub in ("", ".config", ".local/share", ".cache", "runtime"):
            os.makedirs(os.path.join(home, sub), exist_ok=True)
        os.chmod(os.path.join(home, "runtime"), 0o700)
        env.update(HOME=home, XDG_CONFIG_HOME=f"{home}/.config", XDG_DATA_HOME=f"{home}/.local/share",
                   XDG_CACHE_HOME=f"{home}/.cache", XDG_RUNTIME_DIR=f"{home}/runtime",
                   GSETTINGS_BACKEND="memory", GSK_RENDERER="cairo", NO_AT_BRIDGE="1", GTK_A11Y="none")

        env["DISPLAY"] = self._start_xvfb()

        bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1",
                                f"--address=unix:tmpdir={self.work}"], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True, env=env)
        self.procs.append(bus)
        env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().strip()

        keyring = subprocess.Popen(["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                   text=True, env={k: v for k, v in env.items() if k != "G_DEBUG"})
        self.procs.append(keyring)
        keyring.stdin.write("bench-password")
        keyring.stdin.close()
        for line in keyring.stdout:
            if line.startswith("GNOME_KEYRING_CONTROL="):
                env["GNOME_KEYRING_CONTROL"] = line.split("=", 1)[1].strip()
                break
        self.env = env

    def _start_xvfb(self):
        """Starts Xvfb on a free display from :200 up: the test suites'
        xvfb-run -a picks from :99, and two servers racing for one display
        number lose one of them."""
        for number in range(200, 300):
            if os.path.exists(f"/tmp/.X{number}-lock") or os.path.exists(f"/tmp/.X11-unix/X{number}"):
                continue
            read_fd, write_fd = os.pipe()
            xvfb = subprocess.Popen(["Xvfb", f":{number}", "-displayfd", str(write_fd), "-screen", "0",
                                     "1280x800x24", "-nolisten", "tcp"], pass_fds=(write_fd,),
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            os.close(write_fd)
            ready, _, _ = select.select([read_fd], [], [], 15)
            answer = os.read(read_fd, 64).decode().strip() if ready else ""
            os.close(read_fd)
            time.sleep(0.2)
            if answer and xvfb.poll() is None:
                self.xvfb = xvfb
                self.procs.append(xvfb)
                return f":{answer}"
            stop_process(xvfb)
        raise RuntimeError("Xvfb did not start")

    def alive(self):
        return self.xvfb.poll() is None

    def close(self):
        for proc in reversed(self.procs):
            stop_process(proc)


def reap(proc, timeout):
    """Waits for @proc (killing it after @timeout s); returns its rusage."""
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return usage
        if time.monotonic() > deadline:
            # not proc.kill(): it polls first, which could reap the child
            # and lose its rusage
            os.kill(proc.pid, signal.SIGKILL)
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            return usage
        time.sleep(0.005)


def run_timed(cmd, env, timeout, stderr_path=os.devnull, until=None):
    """Starts @cmd and reads its "KEY VALUE" lines until it exits, prints
    @until, or @timeout s pass. Returns (spawn time in µs on
    CLOCK_MONOTONIC — g_get_monotonic_time()'s clock —, {key: value},
    rusage); the process is reaped (killed if it lingers)."""
    start_us = time.monotonic_ns() // 1000
    with open(stderr_path, "w") as stderr:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=stderr)
    lines, buffer = {}, b""
    deadline = time.monotonic() + timeout
    while until not in lines and time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], max(deadline - time.monotonic(), 0))
        if not ready:
            break
        chunk = os.read(proc.stdout.fileno(), 4096)
        if not chunk:
            break
        buffer += chunk
        *complete, buffer = buffer.split(b"\n")
        for line in complete:
            key, _, value = line.decode(errors="replace").strip().partition(" ")
            lines[key] = value
    usage = reap(proc, 5 if lines else 0)
    proc.stdout.close()
    return start_us, lines, usage


def first_frame(cmd, env, timeout, stderr_path=os.devnull):
    """Starts @cmd; returns {first_frame_ms: from spawn to the end of its
    first frame, peak_rss_kb: ru_maxrss, own_rss_kb: the VmRSS it reported
    at that frame, hubs: what it said of its hub list then} or None when it
    printed no first-frame line. Both programs quit after that frame."""
    start_us, lines, usage = run_timed(cmd, env, timeout, stderr_path, until="first-frame-hubs")
    if "first-frame" not in lines:
        return None
    return {"first_frame_ms": (int(lines["first-frame"]) - start_us) / 1000.0, "peak_rss_kb": usage.ru_maxrss,
            "own_rss_kb": int(lines.get("rss-kb", 0)) or None, "hubs": lines.get("first-frame-hubs")}


def pair_app_store(build, env, store, hubs):
    """Pairs @hubs into the file keystore @store, with the CLI (the app
    reads the same store with --store)."""
    for hub in hubs:
        subprocess.run([build.cli, "--store", store, "pair", "--address", f"[::1]:{hub.pairing_port}",
                        "--code", hub.open_code(), "--yes"], capture_output=True, check=True, timeout=60, env=env)


def app_env(desktop, build, **extra):
    return dict(desktop.env, GSETTINGS_SCHEMA_DIR=os.path.join(build.dir, "data"), **extra)


def app_with_two_hubs(ctx, part, first_hub_name, first_hub_services):
    """A desktop and two hubs, both paired in one app store under the
    part's folder, all closed when the run ends. The app with two paired
    hubs, as issue 9 asks: it loads its identity and both pins at start-up.
    Returns (desktop, hubs, folder, store)."""
    desktop = Desktop(ctx["work"])
    ctx["cleanup"].append(desktop.close)
    base = os.path.join(ctx["work"], part)
    hubs = [BenchHub(os.path.join(base, "hub1"), services=first_hub_services, name=first_hub_name),
            BenchHub(os.path.join(base, "hub2"), services=("lock",), name="Second Hub")]
    for hub in hubs:
        ctx["cleanup"].append(hub.close)
    store = os.path.join(base, "store")
    pair_app_store(ctx["build"], desktop.env, store, hubs)
    return desktop, hubs, base, store


def part_startup(ctx):
    build, args = ctx["build"], ctx["args"]
    if args.skip_app or not os.path.exists(build.adw_window):
        return {"error": "not measured: the app or the baseline window did not build "
                         "(or -Dapp=false)"}
    # the app shows the first hub
    desktop, _, _, store = app_with_two_hubs(ctx, "startup", "Bench Hub", ("thermostat", "light"))
    programs = {"baseline": ([build.adw_window], desktop.env),
                "app": ([build.app, "--store", store], app_env(desktop, build, OPENIOT_BENCH_FIRST_FRAME="1"))}
    samples = {k: [] for k in programs}
    failures = {k: 0 for k in programs}
    stderr = {k: os.path.join(desktop.work, f"{k}.stderr") for k in programs}

    def tail(key):
        try:
            with open(stderr[key]) as f:
                return " | ".join(f.read().strip().splitlines()[-3:])
        except OSError:
            return ""

    # also the warm-up runs
    app_ok = first_frame(*programs["app"], timeout=20, stderr_path=stderr["app"]) is not None
    if not app_ok:
        log("startup: openiot-client printed no first-frame line with OPENIOT_BENCH_FIRST_FRAME=1: "
            f"not measured ({tail('app') or 'no error output'})")
    first_frame(*programs["baseline"], timeout=20, stderr_path=stderr["baseline"])
    for rep in range(args.startup_runs):
        for key in (("baseline", "app") if rep % 2 == 0 else ("app", "baseline")):
            if key == "app" and not app_ok:
                continue
            sample = first_frame(*programs[key], timeout=20, stderr_path=stderr[key])
            if sample is not None:
                samples[key].append(sample)
            else:
                failures[key] += 1
                log(f"startup: {key} showed no first frame: {tail(key) or 'no error output'}")
                if not desktop.alive():
                    raise RuntimeError("Xvfb exited during the start-up runs")
    summary = {}
    for key, values in samples.items():
        if values:
            summary[key] = {field: median([v[field] for v in values])
                            for field in ("first_frame_ms", "peak_rss_kb", "own_rss_kb")}
            summary[key]["runs"] = len(values)
            summary[key]["hubs_listed_runs"] = sum(1 for v in values if v["hubs"] not in (None, "loading", "0"))
            log(f"startup {key}: {summary[key]['first_frame_ms']:.1f} ms, VmRSS {summary[key]['own_rss_kb']} KiB, "
                f"hubs on the first frame in {summary[key]['hubs_listed_runs']}/{len(values)}")
    return {"summary": summary, "app_measured": app_ok, "failures": failures}


# --------------------------------------------------------------------------
# part 1, the app: time to the first values on a Thing page at each RTT

APP_SHOW = ("Bench Hub", "thermostat")
WRITE = "targetTemperature=21.5"


def part_app_values(ctx):
    """A new openiot-client process, paired with two hubs, opens the
    thermostat's page at start-up (OPENIOT_BENCH_SHOW) while the hub is
    reached through the relay; it reports when its cached state and then
    the hub's values are first drawn. Paired but cold: a new process, no
    open connection; with the Thing Description and last values cached
    (the usual case), and with nothing cached (the first visit)."""
    build, args = ctx["build"], ctx["args"]
    if args.skip_app or not os.path.exists(build.app):
        return {"error": "not measured: the app did not build (or -Dapp=false)"}
    desktop, hubs, base, store = app_with_two_hubs(ctx, "app-values", APP_SHOW[0],
                                                   testlib.DEMO_TYPES)
    env = app_env(desktop, build, OPENIOT_BENCH_SHOW="/".join(APP_SHOW))
    stderr_path = os.path.join(desktop.work, "app-values.stderr")

    # The third: with the page live, a write as a person makes it, on the
    # connection that is open (issue 17: one round trip, no new connection)
    variants = [("Thing Description and values cached", False, None),
                ("nothing cached (first visit)", True, None),
                ("cached, then a write", False, WRITE)]
    results = []
    for label, clear_cache, write in variants:
        log(f"app values: {label}")
        rows = []
        for rtt in RTTS_MS:
            relay = RelayProcess(build, hubs[0].port, rtt)
            try:
                relay_store = os.path.join(base, f"store-{rtt}")
                store_via(store, relay_store, relay.port, hub_name=APP_SHOW[0], keep_cache=True)
                cmd = [build.app, "--store", relay_store]
                runs, failed = [], 0
                for i in range(args.rtt_runs + 1):
                    if clear_cache:
                        shutil.rmtree(os.path.join(relay_store, "cache"), ignore_errors=True)
                    # the last run's connections drain through the relay
                    # (its delayed bytes would count as this run's replies)
                    time.sleep(rtt / 1000 + 0.3)
                    relay.stats()
                    run_env = dict(env, OPENIOT_BENCH_WRITE=write) if write else env
                    start_us, lines, _ = run_timed(cmd, run_env, 60, stderr_path,
                                                   until="write-done" if write else "live-values")
                    stats = relay.stats()
                    if i == 0:
                        continue  # warms the page cache, and fills the app's cache
                    if "live-values" not in lines or "cached-values" not in lines or \
                            (write and "write-done" not in lines):
                        failed += 1
                        continue
                    cached, live = int(lines["cached-values"]), int(lines["live-values"])
                    opened = int(lines.get("page-open", cached))
                    reply = stats["first_reply_us"]
                    runs.append({"cached_ms": (cached - start_us) / 1000, "live_ms": (live - start_us) / 1000,
                                 "open_ms": (opened - start_us) / 1000, "open_to_cached_ms": (cached - opened) / 1000,
                                 "page_to_live_ms": (live - opened) / 1000,
                                 "first_reply_ms": (reply - start_us) / 1000 if reply else None,
                                 "cached_before_reply": reply is None or cached < reply,
                                 "cached_state": lines.get("cached-state"),
                                 "connections": stats["connections"], "tls_handshakes": stats["tls_handshakes"],
                                 "write_ms": ((int(lines["write-done"]) - int(lines["write-start"])) / 1000
                                              if write else None)})
                row = {"rtt_ms": rtt, "runs": runs, "failed": failed}
                for field in ("open_ms", "cached_ms", "open_to_cached_ms", "live_ms", "page_to_live_ms",
                              "first_reply_ms", "connections", "tls_handshakes", "write_ms"):
                    row[field] = median([r[field] for r in runs])
                row["cached_before_reply"] = sum(1 for r in runs if r["cached_before_reply"])
                row["cached_states"] = sorted({r["cached_state"] for r in runs})
                rows.append(row)
                log(f"app values at {rtt} ms: cached {fmt(row['cached_ms'], 1)} ms, live {fmt(row['live_ms'], 1)} ms, "
                    f"first reply {fmt(row['first_reply_ms'], 1)} ms, {row['connections']} connection(s), "
                    f"{row['tls_handshakes']} handshake(s), {failed} failed")
            finally:
                relay.close()
        points = [(row["rtt_ms"], r["page_to_live_ms"]) for row in rows for r in row["runs"]]
        fit = fit_round_trips(points) if len({x for x, _ in points}) > 1 else (None, None)
        live_fit = fit_round_trips([(row["rtt_ms"], r["live_ms"]) for row in rows for r in row["runs"]]) \
            if len({row["rtt_ms"] for row in rows if row["runs"]}) > 1 else (None, None)
        for row in rows:
            row["round_trips"] = ((row["page_to_live_ms"] - fit[1]) / row["rtt_ms"]
                                  if row["rtt_ms"] and fit[0] is not None and row["page_to_live_ms"] is not None
                                  else None)
        write_fit = fit_round_trips([(row["rtt_ms"], r["write_ms"]) for row in rows for r in row["runs"]]) \
            if write and len({row["rtt_ms"] for row in rows if row["runs"]}) > 1 else (None, None)
        results.append({"label": label, "rows": rows, "fit_round_trips": fit[0], "fit_base_ms": fit[1],
                        "live_fit_round_trips": live_fit[0], "live_fit_base_ms": live_fit[1],
                        "write": write, "write_fit_round_trips": write_fit[0], "write_fit_base_ms": write_fit[1]})
    return {"variants": results}


# --------------------------------------------------------------------------
# report

def fmt(value, digits=0, suffix=""):
    if value is None:
        return "—"
    return f"{value:,.{digits}f}{suffix}"


def ratio(a, b, digits=2):
    if a is None or b is None or b == 0:
        return "—"
    return f"{a / b:.{digits}f}×"


def report(results, args):
    m = results["machine"]
    v = results["versions"]
    lines = ["# Open-IoT benchmarks", "",
             f"{m['date']} · {m['nproc']} CPUs ({m['cpu']}) · {m['os']} · Linux {m['kernel']} · "
             f"tree {m.get('tree', '?')}  ",
             f"GnuTLS {v['gnutls']} · libsoup {v['libsoup']} · GLib {v['glib']} · nginx {v['nginx']} · "
             f"{v['openssl']} · libadwaita {v['libadwaita']}  ",
             f"Medians of {args.repeat} interleaved runs of {args.duration:g} s each (proxy), "
             f"{args.pair_runs} (pairing), {args.rtt_runs} (RTT), {args.startup_runs} (start-up). "
             "Absolute numbers are from a shared machine; read the ratios.", ""]

    for name in ("proxy", "pairing", "rtt", "startup", "ab", "leak"):
        if "error" in results.get(name, {}):
            lines += [f"**Part `{name}` failed:** {results[name]['error']}", ""]

    proxy = results.get("proxy")
    if proxy and "error" not in proxy:
        s = proxy["summary"]
        lines += ["## Hub proxy vs nginx vs direct (GET " + PROPERTY_PATH + ")", "",
                  "| scenario | server | req/s | p50 | p99 | proxy CPU/req | service CPU/req | valid |",
                  "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"]
        for key, label, _, _ in SCENARIOS:
            for target in ("direct", "hub", "nginx"):
                r = s[f"{key}/{target}"]
                bad = r["bad_fraction"] or 0
                valid = "yes" if bad == 0 else f"**no: {bad:.0%} errors or non-2xx**"
                lines.append(f"| {label} | {proxy['targets'][target]} | {fmt(r['rps'])} | {fmt(r['p50_us'], 0, ' µs')} | "
                             f"{fmt(r['p99_us'], 0, ' µs')} | {fmt(r['proxy_cpu_us'], 1, ' µs')} | "
                             f"{fmt(r['service_cpu_us'], 1, ' µs')} | {valid} |")
        lines += ["", "Ratios (hub ÷ nginx: above 1× the hub is slower or costlier, except req/s; "
                  "proxy cost = hub p50 − direct p50):", "",
                  "| scenario | req/s hub÷nginx | p50 hub÷nginx | p99 hub÷nginx | CPU/req hub÷nginx | "
                  "req/s hub÷direct | proxy cost (p50) | nginx cost (p50) |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for key, label, _, _ in SCENARIOS:
            h, n, d = s[f"{key}/hub"], s[f"{key}/nginx"], s[f"{key}/direct"]
            if (h["bad_fraction"] or 0) > 0:
                lines.append(f"| {label} | n/a: hub answers errors (see above) | | | | | | "
                             f"{fmt(n['p50_us'] - d['p50_us'], 0, ' µs')} |")
                continue
            lines.append(f"| {label} | {ratio(h['rps'], n['rps'])} | {ratio(h['p50_us'], n['p50_us'])} | "
                         f"{ratio(h['p99_us'], n['p99_us'])} | {ratio(h['proxy_cpu_us'], n['proxy_cpu_us'])} | "
                         f"{ratio(h['rps'], d['rps'])} | {fmt(h['p50_us'] - d['p50_us'], 0, ' µs')} | "
                         f"{fmt(n['p50_us'] - d['p50_us'], 0, ' µs')} |")
        mem = proxy["memory"]
        lines += ["", "Memory after one request on each (nginx = master + worker; PSS counts their "
                  "shared pages once):", "",
                  "| server | RSS idle | RSS, 100 idle TLS clients | PSS idle | PSS, 100 clients | per client (RSS) |",
                  "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for key in ("hub", "nginx"):
            r = mem[key]
            per = (r["hold_kb"] - r["idle_kb"]) / max(r["hold_connections"], 1)
            lines.append(f"| {proxy['targets'][key]} | {fmt(r['idle_kb'] / 1024, 1, ' MiB')} | "
                         f"{fmt(r['hold_kb'] / 1024, 1, ' MiB')} ({r['hold_connections']} open) | "
                         f"{fmt(r['idle_pss_kb'] / 1024, 1, ' MiB')} | {fmt(r['hold_pss_kb'] / 1024, 1, ' MiB')} | "
                         f"{fmt(per, 1, ' KiB')} |")
        h, n = mem["hub"], mem["nginx"]
        lines += ["", f"hub ÷ nginx: RSS idle {ratio(h['idle_kb'], n['idle_kb'])}, with 100 clients "
                  f"{ratio(h['hold_kb'], n['hold_kb'])}; PSS idle {ratio(h['idle_pss_kb'], n['idle_pss_kb'])}, "
                  f"with 100 clients {ratio(h['hold_pss_kb'], n['hold_pss_kb'])}; per client "
                  f"{ratio(h['hold_kb'] - h['idle_kb'], n['hold_kb'] - n['idle_kb'])}."]
        lines.append("")

    loads = results.get("ab")
    if loads and "error" not in loads:
        s = loads["summary"]
        lines += ["## Loaders no one here wrote (GET " + AB_PATH + ")", "",
                  "| load | hub req/s | nginx req/s | hub ÷ nginx | failed (hub / nginx) |",
                  "| --- | ---: | ---: | ---: | ---: |"]
        for key, label in ([(k, l) for k, l, _ in AB_LOADS] + [("curl1", "`curl`, requests on one HTTP/1.1 connection")]
                           + [(k, l) for k, l, _ in H2LOAD_LOADS]):
            if f"{key}/hub" not in s:
                continue  # results from before h2load was in the part
            hub, ngx = s[f"{key}/hub"], s[f"{key}/nginx"]
            lines.append(f"| {label} | {fmt(hub['rps'])} | {fmt(ngx['rps'])} | {ratio(hub['rps'], ngx['rps'])} | "
                         f"{hub['bad']} / {ngx['bad']} |")
        lines.append("")

    leak = results.get("leak")
    if leak and "error" not in leak:
        points = sorted(leak["rss"].values(), key=lambda p: p["connections"])
        growth = (points[-1]["rss_kb"] - points[0]["rss_kb"]) / 1024
        lines += ["## Hub memory across mutual-TLS connections (one request each)", "",
                  f"Target: RSS after the last checkpoint within a few MiB of RSS after the first: "
                  f"**{growth:+.1f} MiB**, {leak['errors']} failed requests, {leak['seconds']:.0f} s.", "",
                  "| connections | hub RSS |", "| ---: | ---: |"]
        lines += [f"| {p['connections']:,} | {p['rss_kb'] / 1024:.1f} MiB |" for p in points]
        lines.append("")

    pairing = results.get("pairing")
    if pairing and "error" not in pairing:
        s = pairing["summary"]
        fresh = s["openiot pair, fresh device (key generation + SRP + registration)"]["median_ms"]
        by_hand = s["gnutls-cli SRP registration (by-hand recipe)"]["median_ms"]
        lines += ["## Pairing on loopback (hyperfine)", "",
                  f"Target: a fresh device pairs in under {PAIRING_TARGET_MS:.0f} ms: "
                  f"**{fmt(fresh, 0, ' ms')} — {'met' if fresh < PAIRING_TARGET_MS else 'MISSED'}** "
                  f"({ratio(fresh, by_hand)} the by-hand gnutls-cli registration).", "",
                  "| command | median | min | max | runs |", "| --- | ---: | ---: | ---: | ---: |"]
        for name, r in s.items():
            lines.append(f"| {name} | {fmt(r['median_ms'], 1, ' ms')} | {fmt(r['min_ms'], 1, ' ms')} | "
                         f"{fmt(r['max_ms'], 1, ' ms')} | {r['runs']} |")
        lines.append("")

    rtt = results.get("rtt")
    if rtt and "error" not in rtt:
        lines += ["## A cold CLI request over a link with added RTT (relay)", "",
                  "Each run is a new process through a relay that delays both directions by RTT/2 "
                  "(and the TCP handshake by one RTT). Round trips = (median − base) ÷ RTT, where base "
                  "and the overall round trips come from a straight-line fit of time against RTT over all "
                  "runs; a fresh TCP + TLS 1.3 connection and one request is 3.", "",
                  "| command | RTT | median | min | TCP connections | TLS handshakes | round trips | exit status |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
        lines[-2:-2] = ["The relay itself, against an echo server (nominal → connect + first ping, "
                        "later pings): " + "; ".join(
                            f"{r} ms → {fmt(c['first_ms'], 1)} ms, {fmt(c['ping_ms'], 1)} ms"
                            for r, c in sorted(rtt["calibration"].items(), key=lambda kv: int(kv[0]))) + ".", ""]
        for variant in rtt["variants"]:
            for row in variant["rows"]:
                codes = row["exit_codes"]
                status = "0" if codes == [0] else f"**{', '.join(map(str, codes))}: failed runs**"
                lines.append(f"| {variant['command']} | {row['rtt_ms']} ms | {fmt(row['median_ms'], 1, ' ms')} | "
                             f"{fmt(row['min_ms'], 1, ' ms')} | {fmt(row['connections'], 0)} | "
                             f"{fmt(row.get('tls_handshakes'), 0)} | {fmt(row['round_trips'], 2)} | {status} |")
        lines.append("")
        for variant in rtt["variants"]:
            lines.append(f"- {variant['command']}: **{variant['fit_round_trips']:.2f} round trips** "
                         f"+ {variant['fit_base_ms']:.0f} ms on the spot")
        lines.append("")

    startup = results.get("startup")
    if startup and "error" not in startup:
        lines += ["## Start-up to first frame (Xvfb, GSK_RENDERER=cairo)", ""]
        s = startup["summary"]
        b = s.get("baseline")
        failed = {k: n for k, n in startup.get("failures", {}).items() if n}
        if failed:
            lines += ["Runs without a first frame: " + ", ".join(f"{k} {n}" for k, n in failed.items()) + ".", ""]
        lines += ["From spawning the process to the end of its first painted frame (GdkFrameClock "
                  "after-paint); VmRSS as the program read it at that frame, and peak RSS (wait4()). "
                  "openiot-client has two paired hubs (file keystore, `--store`). Targets: ≤ 1.15× the "
                  "baseline's time, ≤ 1.2× its RSS.", "",
                  "| program | first frame | RSS at first frame | peak RSS | ÷ baseline (time) | ÷ baseline (RSS) |",
                  "| --- | ---: | ---: | ---: | ---: | ---: |"]
        if not b:
            lines.append("| minimal libadwaita window (baseline) | **failed: no first frame** | | | | |")
        else:
            lines.append(f"| minimal libadwaita window (baseline) | {fmt(b['first_frame_ms'], 1, ' ms')} | "
                         f"{fmt((b['own_rss_kb'] or 0) / 1024, 1, ' MiB')} | "
                         f"{fmt(b['peak_rss_kb'] / 1024, 1, ' MiB')} | 1× | 1× |")
        a = s.get("app")
        if a:
            time_ratio = a["first_frame_ms"] / b["first_frame_ms"] if b else None
            rss_ratio = (a["own_rss_kb"] or 0) / b["own_rss_kb"] if b and b.get("own_rss_kb") else None
            lines.append(f"| openiot-client, two paired hubs | {fmt(a['first_frame_ms'], 1, ' ms')} | "
                         f"{fmt((a['own_rss_kb'] or 0) / 1024, 1, ' MiB')} | "
                         f"{fmt(a['peak_rss_kb'] / 1024, 1, ' MiB')} | "
                         f"{ratio(a['first_frame_ms'], b['first_frame_ms'] if b else None)} | "
                         f"{ratio(a['own_rss_kb'], b['own_rss_kb'] if b else None)} |")
            lines += ["", f"openiot-client: time {'met' if time_ratio and time_ratio <= 1.15 else 'MISSED'} "
                      f"(≤ 1.15×), RSS {'met' if rss_ratio and rss_ratio <= 1.2 else 'MISSED'} (≤ 1.2×); "
                      f"its first frame listed the hubs in {a.get('hubs_listed_runs', 0)} of {a['runs']} runs "
                      "(otherwise it still showed the loading state)."]
        else:
            lines.append("| openiot-client | not measured: no `first-frame` line with "
                         "OPENIOT_BENCH_FIRST_FRAME=1 | | | | |")
        lines.append("")

    values = results.get("values")
    if values and "error" not in values:
        lines += ["## The app: a Thing page's values at a distance (relay)", "",
                  "A new openiot-client process (two paired hubs, the first shown at start-up as on a desktop) "
                  "opens the thermostat's page as soon as its hubs are loaded (`OPENIOT_BENCH_SHOW`), that hub "
                  "reached through the relay. Times from spawning the process: *opened* when the page is asked "
                  "for; *cached* the end of the first frame that shows it (from the cache, when there is one), "
                  "given after opening; *first reply* when the relay passed the process's first bytes from the "
                  "hub (for any request: the hub page asks for the services as soon as the hub is shown); "
                  "*live* the end of the first frame with the hub's values. Round trips = opened → live, fitted "
                  "against RTT as for the CLI (the floor is 3: TCP + TLS 1.3 + one request). Targets: ≤ 3 RTT "
                  "with the Thing Description cached, ≤ 4 without; the cached state on screen before any network "
                  "reply.", "",
                  "| case | RTT | opened | cached (after opening) | first reply | live | opened → live | round trips | "
                  "cached before first reply | TCP connections | TLS handshakes |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for variant in values["variants"]:
            for row in variant["rows"]:
                n = len(row["runs"])
                bad = f" ({row['failed']} failed)" if row["failed"] else ""
                lines.append(f"| {variant['label']} | {row['rtt_ms']} ms | {fmt(row['open_ms'], 1, ' ms')} | "
                             f"+{fmt(row['open_to_cached_ms'], 1, ' ms')} | {fmt(row['first_reply_ms'], 1, ' ms')} | "
                             f"{fmt(row['live_ms'], 1, ' ms')} | {fmt(row['page_to_live_ms'], 1, ' ms')} | "
                             f"{fmt(row['round_trips'], 2)} | {row['cached_before_reply']}/{n}{bad} | "
                             f"{fmt(row['connections'], 0)} | {fmt(row['tls_handshakes'], 0)} |")
        lines.append("")
        for variant in values["variants"]:
            states = sorted({st for row in variant["rows"] for st in row["cached_states"]})
            lines.append(f"- {variant['label']}: **{fmt(variant['fit_round_trips'], 2)} round trips** from opening "
                         f"the page to live values (+ {fmt(variant['fit_base_ms'], 0)} ms on the spot); the cache "
                         f"held: {', '.join(states)}")
            if variant.get("write"):
                writes = ", ".join(f"{row['rtt_ms']} ms: {fmt(row['write_ms'], 1, ' ms')}" for row in variant["rows"])
                lines.append(f"- the write (`{variant['write']}`, set through its editor once the page is live): "
                             f"**{fmt(variant['write_fit_round_trips'], 2)} round trips** (+ "
                             f"{fmt(variant['write_fit_base_ms'], 0)} ms on the spot; medians {writes}); the TCP "
                             "connections and TLS handshakes of these runs against the first case's tell whether it "
                             "opened one")
        lines.append("")
    return "\n".join(lines)


def write_plot(results, out):
    """Data files and a gnuplot figure (3 × 2 panels)."""
    proxy, rtt, pairing, startup, values = (results.get(k) if "error" not in results.get(k, {}) else None
                                            for k in ("proxy", "rtt", "pairing", "startup", "values"))
    if proxy:
        with open(os.path.join(out, "proxy.dat"), "w") as f:
            f.write("# scenario direct_rps hub_rps nginx_rps direct_p50 hub_p50 nginx_p50 (hub columns NaN when invalid)\n")
            for key, _, _, _ in SCENARIOS:
                row = [key]
                for field in ("rps", "p50_us"):
                    for target in ("direct", "hub", "nginx"):
                        r = proxy["summary"][f"{key}/{target}"]
                        row.append("NaN" if (r["bad_fraction"] or 0) > 0 else f"{r[field]}")
                f.write(" ".join(row) + "\n")
    if rtt:
        with open(os.path.join(out, "rtt.dat"), "w") as f:
            f.write("# rtt_ms median_ms, one block per command\n")
            for variant in rtt["variants"]:
                f.write(f"# {variant['command']}\n")
                for row in variant["rows"]:
                    f.write(f"{row['rtt_ms']} {row['median_ms']}\n")
                f.write("\n\n")
    if values:
        with open(os.path.join(out, "values.dat"), "w") as f:
            f.write("# rtt_ms cached_ms live_ms first_reply_ms, one block per case\n")
            for variant in values["variants"]:
                f.write(f"# {variant['label']}\n")
                for row in variant["rows"]:
                    f.write(f"{row['rtt_ms']} {row['cached_ms'] or 'NaN'} {row['live_ms'] or 'NaN'} "
                            f"{row['first_reply_ms'] or 'NaN'}\n")
                f.write("\n\n")
    with open(os.path.join(out, "times.dat"), "w") as f:
        f.write("# label ms\n")
        if pairing:
            for name, r in pairing["summary"].items():
                short = {"openiot hubs (process floor)": "hubs", "openiot identity (key generation)": "keygen",
                         "gnutls-cli SRP registration (by-hand recipe)": "gnutls-cli pair",
                         "openiot pair, identity exists (SRP + registration)": "pair (key exists)",
                         "openiot pair, fresh device (key generation + SRP + registration)": "pair (fresh)"}.get(name, name)
                f.write(f"\"{short}\" {r['median_ms']}\n")
        if startup and "summary" in startup:
            for key, r in startup["summary"].items():
                f.write(f"\"start-up {key}\" {r['first_frame_ms']}\n")
    if not shutil.which("gnuplot"):
        log("gnuplot not found: no results.png")
        return
    script = os.path.join(ROOT, "bench", "results.gnuplot")
    have_times = bool(pairing or (startup and startup.get("summary")))
    titles = [v["command"].replace("'", "").replace("`", "") for v in (rtt["variants"] if rtt else [])] + ["", ""]
    value_titles = [v["label"] for v in (values["variants"] if values else [])] + ["", ""]
    settings = (f"outdir='{out}'; have_proxy={1 if proxy else 0}; have_rtt={1 if rtt else 0}; "
                f"have_values={1 if values else 0}; values_title0='{value_titles[0]}'; "
                f"values_title1='{value_titles[1]}'; "
                f"have_times={1 if have_times else 0}; rtt_blocks={len(rtt['variants']) if rtt else 0}; "
                f"rtt_title0='{titles[0]}'; rtt_title1='{titles[1]}'")
    result = subprocess.run(["gnuplot", "-e", settings, script], capture_output=True, text=True)
    if result.returncode != 0:
        log(f"gnuplot failed: {result.stderr}")


def main(argv):
    if argv[:1] == ["_open-code"]:
        open_code_command(argv[1:])
        return 0

    parser = argparse.ArgumentParser(description="Open-IoT benchmarks (issue 9)")
    parser.add_argument("--build", default=os.path.join(ROOT, "_build-bench"))
    parser.add_argument("--out", default=os.path.join(ROOT, "_build", "bench"))
    parser.add_argument("--parts", default="proxy,pairing,rtt,startup,values,ab,leak")
    parser.add_argument("--repeat", type=int, default=5, help="proxy runs per scenario and server")
    parser.add_argument("--duration", type=float, default=3.0, help="seconds per proxy run")
    parser.add_argument("--pair-runs", type=int, default=20)
    parser.add_argument("--rtt-runs", type=int, default=7)
    parser.add_argument("--startup-runs", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="few short runs, to check that it all works")
    parser.add_argument("--keep", action="store_true", help="keep the working directory")
    parser.add_argument("--skip-app", action="store_true", help="the app did not build: do not measure start-up")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat, args.duration, args.pair_runs, args.rtt_runs, args.startup_runs = 1, 1.0, 3, 2, 2

    build = Build(args.build)
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="openiot-bench.")
    ctx = {"build": build, "args": args, "work": work, "out": os.path.abspath(args.out),
           "cleanup": [], "versions": versions()}
    results = {"machine": machine(), "versions": ctx["versions"]}
    parts = {"proxy": part_proxy, "pairing": part_pairing, "rtt": part_rtt, "startup": part_startup,
             "values": part_app_values, "leak": part_leak, "ab": part_ab}
    try:
        for name in args.parts.split(","):
            log(f"part {name}")
            try:
                results[name] = parts[name](ctx)
            except Exception as e:  # one broken part must not cost the others' results
                log(f"part {name} failed: {e!r}")
                results[name] = {"error": f"{type(e).__name__}: {e}"}
            finally:
                while ctx["cleanup"]:
                    ctx["cleanup"].pop()()
    finally:
        while ctx["cleanup"]:
            ctx["cleanup"].pop()()
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    text = report(results, args)
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write(text + "\n")
    write_plot(results, args.out)
    print(text)
    log(f"wrote {os.path.join(args.out, 'results.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
