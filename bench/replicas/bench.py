"""bench/replicas: two `facenet serve` replicas over one PostgreSQL gallery (a throw-away server started here):
faces enrolled one after another through replica A, and for each the time from A's 200 to replica B knowing
it, measured two ways:

- answer: B's first answer that names them, for the embedding of another photo of that person (computed
  before the run with B's /api/v1/embed) sent to /api/v1/recognize/embeddings back to back from the moment of
  A's 200: the NOTIFY's trip, B's reload and one search, with no model in the way;
- photo: then one /api/v1/recognize of that other photo on B, its own duration (detection and embedding on a
  core the two replicas share): what a client that sends photos adds to the answer time.

The gallery holds --people LFW people (first photo each) before the run, plus --synthetic random faces written
straight into the database (to see how B's reload grows with the gallery). No reference runs beside it: the
issue's goal (under 100 ms on loopback) is absolute, and the two replicas share this machine's cores.

usage: bench.py [--enrolls 100] [--people 50] [--synthetic 0] [--threads 1]
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LFW = os.path.join(ROOT, "..", "shared", "lfw", "lfw")
PG = "/usr/lib/postgresql/15/bin"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(command, **kwargs):
    """Runs a PostgreSQL program (as the postgres user when we are root: the server refuses root)."""
    if os.getuid() == 0:
        command = ["runuser", "-u", "postgres", "--"] + command
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


class Server:
    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="facenet-bench-pg-")
        if os.getuid() == 0:
            subprocess.run(["chown", "postgres:postgres", self.folder], check=True)
        self.port = free_port()
        as_postgres([f"{PG}/initdb", "-D", self.folder + "/data", "-U", "facenet", "--auth=trust", "-E", "UTF8"], cwd=self.folder)
        as_postgres([f"{PG}/pg_ctl", "-D", self.folder + "/data", "-l", self.folder + "/log", "-w", "start",
                     "-o", f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder}"], cwd=self.folder)
        as_postgres([f"{PG}/createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "facenet", "gallery"], cwd=self.folder)
        self.url = f"postgres://facenet@127.0.0.1:{self.port}/gallery?sslmode=disable"

    def psql(self, sql, stdin=None):
        return as_postgres([f"{PG}/psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "facenet", "-d", "gallery",
                            "-At", "-v", "ON_ERROR_STOP=1", "-c", sql], cwd=self.folder, input=stdin).stdout.strip()

    def stop(self):
        as_postgres([f"{PG}/pg_ctl", "-D", self.folder + "/data", "-m", "immediate", "stop"], cwd=self.folder)
        subprocess.run(["rm", "-rf", self.folder])


def start_replica(facenet, url, threads, env):
    process = subprocess.Popen([facenet, "serve", "--gallery", url, "--port", "0", "--threads", str(threads), "--max-wait-ms", "2"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    for line in process.stdout:
        if "listening on http" in line:
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
            return process, "http://127.0.0.1:" + line.strip().rsplit(":", 1)[1]
    sys.exit("facenet serve did not start")


def insert_synthetic(server, count, dimension):
    """`count` random unit faces of count/10 synthetic identities, through COPY (bytea in hex)."""
    if count == 0:
        return
    identities = max(1, count // 10)
    server.psql(f"INSERT INTO identities (name, created) SELECT 'synthetic-' || g, 'bench' FROM generate_series(1, {identities}) g")
    ids = [int(x) for x in server.psql("SELECT id FROM identities WHERE name LIKE 'synthetic-%' ORDER BY id").split()]
    rng = np.random.default_rng(0)
    lines = []
    for k in range(count):
        v = rng.standard_normal(dimension).astype("<f4")
        v /= np.linalg.norm(v)
        lines.append(f"{ids[k % identities]}\t\\\\x{v.tobytes().hex()}\tsynthetic\tsyn{k}\t0\t0\t1\t1\t[]\t1\t1\tbench")
    server.psql("COPY faces (identity_id, embedding, source_path, source_sha256, box_x1, box_y1, box_x2, box_y2, landmarks, "
                "detection_score, sharpness, created) FROM STDIN", stdin="\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--enrolls", type=int, default=100)
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--synthetic", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--facenet", default=os.path.join(ROOT, ".build", "release", "facenet"))
    args = parser.parse_args()

    people = [p for p in sorted(os.listdir(LFW)) if len(os.listdir(os.path.join(LFW, p))) >= 2]
    base, probes = people[:args.people], people[args.people:args.people + args.enrolls]
    photo = lambda person, k: os.path.join(LFW, person, sorted(os.listdir(os.path.join(LFW, person)))[k])  # noqa: E731
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    server = Server()
    replicas = []
    try:
        root = tempfile.mkdtemp(prefix="facenet-bench-people-")
        for person in base:
            os.makedirs(os.path.join(root, person))
            os.symlink(photo(person, 0), os.path.join(root, person, "1.jpg"))
        subprocess.run([args.facenet, "enroll", root, "--gallery", server.url, "--largest"], check=True, env=env, capture_output=True)
        model = json.loads(server.psql("SELECT value FROM gallery_info WHERE key = 'model'"))
        insert_synthetic(server, args.synthetic, model["embeddingSize"])
        made = subprocess.run([args.facenet, "serve", "keys", "add", "--role", "write", "--gallery", server.url],
                              check=True, env=env, capture_output=True, text=True)
        key = {"x-api-key": made.stdout.strip().splitlines()[-1]}
        a_process, a = start_replica(args.facenet, server.url, args.threads, env)
        b_process, b = start_replica(args.facenet, server.url, args.threads, env)
        replicas = [a_process, b_process]
        faces = int(server.psql("SELECT COUNT(*) FROM faces"))
        print(f"gallery: {len(base)} LFW people + {args.synthetic} synthetic faces = {faces} faces; "
              f"{args.enrolls} enrolls through A, B watched; {os.cpu_count()} cores, {args.threads} thread(s) per replica", flush=True)
        session_a, session_b = requests.Session(), requests.Session()

        def largest(faces):
            return max(faces, key=lambda f: (f["box"][2] - f["box"][0]) * (f["box"][3] - f["box"][1]))

        probe_vectors = {}
        for person in probes:
            with open(photo(person, 1), "rb") as f:
                found = session_b.post(f"{b}/api/v1/embed", headers=key, files={"file": ("p.jpg", f.read(), "image/jpeg")}, timeout=60).json()["faces"]
            if found:
                probe_vectors[person] = largest(found)["embedding"]
        answer_ms, photo_ms, below, never, failures = [], [], 0, 0, 0
        for n, person in enumerate(probes):
            if person not in probe_vectors:
                continue
            with open(photo(person, 0), "rb") as f:
                enroll_bytes = f.read()
            with open(photo(person, 1), "rb") as f:
                probe_bytes = f.read()
            body = {"embeddings": [probe_vectors[person]]}
            reply = session_a.post(f"{a}/api/v1/subjects/{person}/faces?largest=true", headers=key,
                                   files={"file": ("p.jpg", enroll_bytes, "image/jpeg")}, timeout=60)
            acknowledged = time.perf_counter()
            if reply.status_code != 200:
                failures += 1
                print(f"  {person}: enroll answered {reply.status_code} {reply.text[:200]}")
                continue
            named = None
            while named is None and time.perf_counter() - acknowledged < 10:
                result = session_b.post(f"{b}/api/v1/recognize/embeddings", headers=key, json=body, timeout=60).json()["results"][0]
                if result["name"] == person:
                    named = (time.perf_counter() - acknowledged) * 1000
                elif result["nearest"] == person:
                    break  # B has the face, but this probe is over the open-set threshold
            if named is None:
                below, never = below + (result["nearest"] == person), never + (result["nearest"] != person)
                continue
            answer_ms.append(named)
            started = time.perf_counter()
            r = session_b.post(f"{b}/api/v1/recognize", headers=key, files={"file": ("p.jpg", probe_bytes, "image/jpeg")}, timeout=60)
            if any(face.get("name") == person for face in r.json().get("faces", [])):
                photo_ms.append((time.perf_counter() - started) * 1000)
            if (n + 1) % 20 == 0:
                print(f"  {n + 1} enrolls: answer median {statistics.median(answer_ms):.1f} ms", flush=True)
        if not answer_ms:
            sys.exit(f"B named nobody ({below} probes below the open-set threshold, {never} never named, {failures} enrolls failed)")
        print(f"B's first answer naming the person (embedding) after A's 200: median {statistics.median(answer_ms):.1f} ms, "
              f"max {max(answer_ms):.1f} ms over {len(answer_ms)} enrolls ({below} probes below the open-set threshold, "
              f"{never} never named, {len(probes) - len(probe_vectors)} probes without a face; {failures} enrolls failed)")
        if photo_ms:
            print(f"one photo recognize on B (naming them): median {statistics.median(photo_ms):.1f} ms, max {max(photo_ms):.1f} ms "
                  f"over {len(photo_ms)}")
    finally:
        for process in replicas:
            process.terminate()
            process.wait()
        server.stop()


if __name__ == "__main__":
    main()
