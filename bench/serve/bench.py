"""bench/serve: recognize requests/s and p50/p99 latency of `facenet serve` at 1, 8 and 32 concurrent clients
posting LFW photos, against the Python reference service (reference_service.py: Flask + facenet-pytorch MTCNN +
InceptionResnetV1 + NumPy search, same threads) and against `facenet serve --max-batch 1` (no batching), all
started here in one invocation, on loopback, each level bounded to --seconds. Prints a table, the ratios and
the count of answers by status (every request sent should be answered 200).

The gallery: the first photo of the first --people LFW people with two photos or more, enrolled by
`facenet enroll` (ours) and embedded at start by the reference itself. Probes: their second photos and one
photo each of as many other LFW people (strangers), sent round-robin from memory.

usage: bench.py [--seconds 15] [--clients 1,8,32] [--people 100] [--threads N] [--max-batch 16] [--max-wait-ms 5]
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LFW = os.path.join(ROOT, "..", "shared", "lfw", "lfw")
HOME = os.environ.get("FACENET_HOME", os.path.expanduser("~/.cache/facenet"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def choose_photos(people_count):
    people = sorted(os.listdir(LFW))
    enrolled, genuine, strangers = [], [], []
    for person in people:
        photos = sorted(os.listdir(os.path.join(LFW, person)))
        if len(enrolled) < people_count and len(photos) >= 2:
            enrolled.append((person, photos[0]))
            genuine.append(os.path.join(LFW, person, photos[1]))
        elif len(strangers) < people_count and len(enrolled) >= people_count:
            strangers.append(os.path.join(LFW, person, photos[0]))
    return enrolled, genuine, strangers


def start(command, marker, env, timeout=600):
    """Starts a service and waits for its line holding `marker`; the process and that line."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    deadline = time.time() + timeout
    while time.time() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        if marker in line:
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()  # drain
            return process, line.strip()
    process.kill()
    sys.exit(f"{command[0]} did not start")


def load(url, headers, probes, clients, seconds):
    """Closed-loop clients posting the probes round-robin for `seconds`; latencies of 200s and status counts."""
    latencies, statuses, lock = [], {}, threading.Lock()
    stop = time.perf_counter() + seconds

    def client(k):
        session = requests.Session()
        i = k
        while time.perf_counter() < stop:
            body = probes[i % len(probes)]
            i += clients
            began = time.perf_counter()
            try:
                status = session.post(url, headers=headers, files={"file": ("probe.jpg", body, "image/jpeg")}, timeout=120).status_code
            except requests.RequestException as error:
                status = type(error).__name__
            took = time.perf_counter() - began
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if status == 200:
                    latencies.append(took)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else float("nan")  # noqa: E731
    return {"rps": len(latencies) / elapsed, "p50": pick(0.5), "p99": pick(0.99), "statuses": statuses}


def run_levels(name, url, headers, probes, levels, seconds):
    for _ in range(3):  # warm-up: first passes create the runtimes' kernels
        requests.post(url, headers=headers, files={"file": ("probe.jpg", probes[0], "image/jpeg")}, timeout=300)
    results = {}
    for clients in levels:
        results[clients] = load(url, headers, probes, clients, seconds)
        r = results[clients]
        print(f"  {name:28s} {clients:3d} clients: {r['rps']:7.2f} req/s  p50 {r['p50']:7.1f} ms  p99 {r['p99']:7.1f} ms  "
              f"answers {dict(sorted(r['statuses'].items(), key=str))}", flush=True)
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--people", type=int, default=100)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--max-batch", type=int, default=16)
    parser.add_argument("--max-wait-ms", type=float, default=5)
    parser.add_argument("--facenet", default=os.path.join(ROOT, ".build", "release", "facenet"))
    args = parser.parse_args()
    levels = [int(c) for c in args.clients.split(",")]
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    enrolled, genuine, strangers = choose_photos(args.people)
    probes = []
    for a, b in zip(genuine, strangers + genuine):
        probes += [open(a, "rb").read(), open(b, "rb").read()]
    probes = probes[: 2 * args.people]

    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(tmp, "enroll")
        for person, photo in enrolled:
            os.makedirs(os.path.join(folder, person))
            os.symlink(os.path.join(LFW, person, photo), os.path.join(folder, person, photo))
        gallery = os.path.join(tmp, "g.db")
        done = subprocess.run([args.facenet, "enroll", folder, "--gallery", gallery, "--largest", "--threads", str(args.threads)],
                              capture_output=True, text=True, env=env)
        if done.returncode not in (0, 3):
            sys.exit("facenet enroll failed:\n" + done.stdout + done.stderr)
        made = subprocess.run([args.facenet, "serve", "keys", "add", "--role", "read", "--gallery", gallery],
                              capture_output=True, text=True, env=env, check=True)
        headers = {"x-api-key": made.stdout.strip().splitlines()[-1]}
        print(f"bench/serve: {len(enrolled)} LFW people enrolled, {len(probes)} probe photos "
              f"(half strangers), {args.threads} threads, {args.seconds:g} s per level", flush=True)

        results = {}
        for name, extra in [(f"facenet serve (max-batch {args.max_batch})", ["--max-batch", str(args.max_batch)]),
                            ("facenet serve --max-batch 1", ["--max-batch", "1"])]:
            port = free_port()
            process, _ = start([args.facenet, "serve", "--gallery", gallery, "--port", str(port), "--threads", str(args.threads),
                                "--max-wait-ms", str(args.max_wait_ms)] + extra, "listening on", env)
            results[name] = run_levels(name, f"http://127.0.0.1:{port}/api/v1/recognize", headers, probes, levels, args.seconds)
            process.terminate()
            process.wait(timeout=60)

        port = free_port()
        python = os.path.join(HOME, "venv-serve", "bin", "python")
        process, _ = start([python, os.path.join(ROOT, "bench", "serve", "reference_service.py"), "--port", str(port),
                            "--threads", str(args.threads), "--enroll", folder], "listening on", env)
        for _ in range(100):
            try:
                if requests.get(f"http://127.0.0.1:{port}/health", timeout=5).ok:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        reference = "Flask + facenet-pytorch"
        results[reference] = run_levels(reference, f"http://127.0.0.1:{port}/api/v1/recognize", {}, probes, levels, args.seconds)
        process.terminate()
        process.wait(timeout=60)

    ours, unbatched = list(results)[0], list(results)[1]
    print("ratios (requests/s):")
    for clients in levels:
        r = results[reference][clients]["rps"]
        print(f"  {clients:3d} clients: facenet serve / Python reference {results[ours][clients]['rps'] / r:5.2f}x, "
              f"batching gain (max-batch {args.max_batch} / 1) {results[ours][clients]['rps'] / results[unbatched][clients]['rps']:5.2f}x")
    sent = {name: sum(sum(r["statuses"].values()) for r in levels_.values()) for name, levels_ in results.items()}
    ok = {name: sum(r["statuses"].get(200, 0) for r in levels_.values()) for name, levels_ in results.items()}
    for name in results:
        print(f"  {name}: {ok[name]} of {sent[name]} requests answered 200")


if __name__ == "__main__":
    main()
