"""The cloud shape on loopback for tests: PostgreSQL, a local S3 with IAM
enforced, nginx as the load balancer, and gallery instances using them.

- Postgres: a throwaway cluster (initdb) in a temporary directory, run as
  the `postgres` user when we are root, on a free 127.0.0.1 port, password
  authentication over TCP (the servers get the password apart, in
  GALLERY_DATABASE_PASSWORD). It can be stopped and started again on the
  same port with its data.
- Moto: moto_server on a free 127.0.0.1 port with IAM enforced: its first
  SETUP_REQUESTS requests create the bucket, a "gallery" user whose policy
  allows only the bucket's "gallery/" prefix (the key the servers sign
  with) and an "admin" user allowed everything (the key the tests check
  with). Every later request must be signed by a known key and allowed by
  its policy.
- Nginx: round-robin over some gallery instances, as the load balancer.
- gallery instances: tests/integration/gallery_server.py's GalleryServer,
  with the environment of the cloud shape (gallery_env). Each starts with
  the same first admin (GALLERY_ADMIN_*; whichever instance comes first
  creates it in the shared database) and makes its own API token; since
  tokens live in the database, any instance's token works through every
  instance and through nginx.

Every process is started on 127.0.0.1 and stopped by the test (addCleanup);
moto and nginx also die with the test process (PR_SET_PDEATHSIG), and the
database is stopped by a watchdog when the test process dies. A missing
program fails the test with what to install; nothing is ever skipped.
"""

import ctypes
import hashlib
import json
import os
import pathlib
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "integration"))

import boto3  # noqa: E402
from botocore.config import Config as BotoConfig  # noqa: E402
import requests  # noqa: E402

from gallery_server import GalleryServer, testdata  # noqa: E402,F401  (re-exported)

INSTALL_HINT = "run scripts/install-deps.sh test"
BUCKET = "gallery-cloud"
PREFIX = "gallery/"
REGION = "us-east-1"
DB_USER = "gallery"
DB_NAME = "gallery"
# Requests moto serves before it enforces IAM: exactly the set-up calls.
SETUP_REQUESTS = 7


def isolate_from_aws_configuration():
    """Drops the developer's or CI's AWS settings from this process (and so
    from every process it starts): every test names its keys itself."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            del os.environ[name]
    os.environ["AWS_CONFIG_FILE"] = "/dev/null"
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"


isolate_from_aws_configuration()


def require_program(name, path=None):
    """The program's path; raises, saying what to install, when missing."""
    found = path if path and os.access(path, os.X_OK) else shutil.which(name)
    if not found:
        where = path or f"{name} on PATH"
        raise RuntimeError(f"{where} is missing: {INSTALL_HINT} (moto_server and boto3 come "
                           "with python3's moto[server] package)")
    return found


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def accepts(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def wait_until(predicate, timeout, interval=0.05, what="condition"):
    """Polls `predicate` until it returns a true value (returned) or
    `timeout` seconds pass (AssertionError naming `what`)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def _die_with_parent():
    """preexec_fn: the child gets SIGKILL when the test process dies."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def distinct_jpeg(base, tag):
    """`base` (a JPEG) with `tag` appended after its end-of-image marker:
    the same picture, different bytes (so dedup does not merge uploads)."""
    if not base.rstrip(b"\0").endswith(b"\xff\xd9"):
        raise ValueError("not a JPEG ending with EOI")
    return base + b"gallery-test-copy:" + str(tag).encode()


def _tail(path, n=40):
    try:
        lines = pathlib.Path(path).read_text(errors="replace").splitlines()
    except FileNotFoundError:
        return ""
    return "\n".join(lines[-n:])


# -- PostgreSQL ------------------------------------------------------------


class Postgres:
    """A throwaway PostgreSQL cluster on 127.0.0.1 (see the module doc)."""

    def __init__(self):
        self.bin_dir = self._find_bin_dir()
        self.psql = require_program("psql", os.path.join(self.bin_dir, "psql"))
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="gallery-cloud-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.password = "pw-" + os.urandom(8).hex()
        self.port = None
        self._watchdog = None
        self._as_server_user = []
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError(f"there is no `postgres` user: {INSTALL_HINT}") from None
            os.chown(self.dir, user.pw_uid, user.pw_gid)
            self._as_server_user = [require_program("runuser", "/usr/sbin/runuser"), "-u",
                                    "postgres", "--"]
        os.chmod(self.dir, 0o700)

    @staticmethod
    def _find_bin_dir():
        root = pathlib.Path("/usr/lib/postgresql")
        versions = sorted((p for p in root.glob("*/bin") if (p / "initdb").exists()),
                          key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
        if not versions:
            raise RuntimeError(f"PostgreSQL server binaries (/usr/lib/postgresql/<version>/bin/"
                               f"initdb) are missing: {INSTALL_HINT}")
        return str(versions[-1])

    def _run_as_server(self, args, timeout=120):
        result = subprocess.run(self._as_server_user + args, cwd=self.dir,
                                capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed ({result.returncode}):\n"
                               f"{result.stdout}{result.stderr}\nserver log:\n{_tail(self.log)}")

    def start(self):
        """initdb, start on a free port, create the database."""
        pwfile = self.dir / "pwfile"
        pwfile.write_text(self.password + "\n")
        if self._as_server_user:
            shutil.chown(pwfile, "postgres")
        self._run_as_server([f"{self.bin_dir}/initdb", "-D", str(self.data), "-U", DB_USER,
                             "--auth-local=trust", "--auth-host=scram-sha-256",
                             f"--pwfile={pwfile}", "-E", "UTF8", "--locale=C", "--no-sync",
                             "--no-instructions"])
        pwfile.unlink()
        # The watchdog stops the cluster and removes its files when the test
        # process dies in any way (its stdin is a pipe only we hold).
        script = (f"cat >/dev/null; {' '.join(self._as_server_user)} "
                  f"'{self.bin_dir}/pg_ctl' -D '{self.data}' -m immediate -w stop "
                  f">/dev/null 2>&1; rm -rf '{self.dir}'")
        self._watchdog = subprocess.Popen(["/bin/sh", "-c", script], stdin=subprocess.PIPE,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                          start_new_session=True)
        for attempt in range(3):  # another process may take the port
            self.port = free_port()
            try:
                self.start_again()
                break
            except RuntimeError:
                if attempt == 2:
                    raise
        self.query(f"CREATE DATABASE {DB_NAME}", database="postgres")
        return self

    def start_again(self):
        """Starts the (stopped) cluster on its port, with its data."""
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                   "-c max_connections=200 -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off")
        self._run_as_server([f"{self.bin_dir}/pg_ctl", "-D", str(self.data), "-l",
                             str(self.log), "-w", "-t", "60", "-o", options, "start"])

    def stop(self, mode="fast"):
        """pg_ctl stop -m `mode`: the database is down until start_again."""
        self._run_as_server([f"{self.bin_dir}/pg_ctl", "-D", str(self.data), "-m", mode, "-w",
                             "-t", "60", "stop"])

    def server_pids(self):
        """The postmaster and its children (backends, background workers)."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True,
                                  text=True).stdout.split()
        return [postmaster] + [int(pid) for pid in children]

    def pause(self):
        """SIGSTOP to every server process: connections are accepted by the
        kernel, queries never answered. Returns what resume needs."""
        pids = self.server_pids()
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        return pids

    @staticmethod
    def resume(pids):
        for pid in pids:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass

    def close(self):
        """Stops the cluster for good and removes its files."""
        if self._watchdog is not None:
            self._watchdog.stdin.close()
            self._watchdog.wait(timeout=120)
            self._watchdog = None
        shutil.rmtree(self.dir, ignore_errors=True)

    @property
    def url(self):
        """GALLERY_DATABASE_URL: no password (it goes in GALLERY_DATABASE_PASSWORD)."""
        return f"postgres://{DB_USER}@127.0.0.1:{self.port}/{DB_NAME}"

    def query(self, sql, database=DB_NAME, stdin=None, timeout=300):
        """Runs `sql` with psql over TCP; returns the rows as lists of strings."""
        env = dict(os.environ, PGPASSWORD=self.password, PGCONNECT_TIMEOUT="10")
        args = [self.psql, "-h", "127.0.0.1", "-p", str(self.port), "-U", DB_USER, "-d",
                database, "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql]
        result = subprocess.run(args, input=stdin, capture_output=True, env=env,
                                timeout=timeout, text=isinstance(stdin, str) or stdin is None)
        if result.returncode != 0:
            raise RuntimeError(f"psql `{sql[:200]}` failed: {result.stderr}")
        out = result.stdout if isinstance(result.stdout, str) else result.stdout.decode()
        return [line.split("\t") for line in out.splitlines() if line]

    def log_tail(self, n=40):
        return _tail(self.log, n)


# -- S3 (moto) ---------------------------------------------------------------

# Loaded by moto_server's Python at start (PYTHONPATH): moto 5 checks
# signatures against werkzeug's decoded form of the query string, which
# breaks every correctly signed ListObjectsV2 with prefix=a/ (boto3's too);
# this makes its check (only it) see the query string as sent.
_SITECUSTOMIZE = '''
from urllib.parse import urlparse, urlunparse
import moto.core.authorization as _auth

_original = _auth.ActionAuthenticatorMixin._authenticate_and_authorize_action

def _with_raw_query(self, *args, **kwargs):
    try:
        from flask import request
        raw_query = request.environ["QUERY_STRING"]
    except Exception:
        return _original(self, *args, **kwargs)
    saved = self.uri
    self.uri = urlunparse(urlparse(saved)._replace(query=raw_query))
    try:
        return _original(self, *args, **kwargs)
    finally:
        self.uri = saved

_auth.ActionAuthenticatorMixin._authenticate_and_authorize_action = _with_raw_query
'''


def store_policy(bucket, prefix):
    """What the gallery needs on S3 under `prefix` of `bucket`, nothing more."""
    arn = f"arn:aws:s3:::{bucket}"
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": arn,
         "Condition": {"StringLike": {"s3:prefix": [prefix + "*"]}}},
        {"Effect": "Allow",
         "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject",
                    "s3:AbortMultipartUpload"],
         "Resource": f"{arn}/{prefix}*"},
    ]})


class Moto:
    """moto_server with IAM enforced (see the module doc).

    gallery_key / admin_key: (access key id, secret) of the two users.
    """

    def __init__(self):
        self.program = require_program("moto_server")
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="gallery-cloud-moto-"))
        (self.dir / "sitecustomize.py").write_text(_SITECUSTOMIZE)
        self.port = None
        self.process = None
        self.gallery_key = None
        self.admin_key = None
        self._log = None

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, enforce_iam=True):
        """Starts moto on a free port (or on its port again after kill),
        creates the bucket and, with IAM enforced, the two users."""
        for attempt in range(3):  # another process may take the port
            if self.port is None or attempt > 0:
                self.port = free_port()
            if self._spawn(enforce_iam):
                break
        else:
            raise RuntimeError(f"moto_server did not start:\n{self.log_tail()}")
        setup = boto3.session.Session(aws_access_key_id="AKIASETUPSETUPSETUP0",
                                      aws_secret_access_key="setup" * 8, region_name=REGION)
        config = BotoConfig(retries={"max_attempts": 1}, s3={"addressing_style": "path"})
        s3 = setup.client("s3", endpoint_url=self.endpoint, config=config)
        s3.create_bucket(Bucket=BUCKET)  # 1
        if enforce_iam:
            iam = setup.client("iam", endpoint_url=self.endpoint, config=config)
            keys = {}
            for user, policy in (("gallery", store_policy(BUCKET, PREFIX)),
                                 ("admin", json.dumps({"Version": "2012-10-17", "Statement": [
                                     {"Effect": "Allow", "Action": "*", "Resource": "*"}]}))):
                iam.create_user(UserName=user)  # 2, 5
                key = iam.create_access_key(UserName=user)["AccessKey"]  # 3, 6
                iam.put_user_policy(UserName=user, PolicyName=user,
                                    PolicyDocument=policy)  # 4, 7
                keys[user] = (key["AccessKeyId"], key["SecretAccessKey"])
            self.gallery_key, self.admin_key = keys["gallery"], keys["admin"]
        return self

    def _spawn(self, enforce_iam):
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            filter(None, [str(self.dir), os.environ.get("PYTHONPATH")])))
        env.pop("INITIAL_NO_AUTH_ACTION_COUNT", None)
        if enforce_iam:
            env["INITIAL_NO_AUTH_ACTION_COUNT"] = str(SETUP_REQUESTS)
        self._log = open(self.dir / "moto.log", "ab")
        self.process = subprocess.Popen(
            [self.program, "-H", "127.0.0.1", "-p", str(self.port)], stdout=self._log,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
            preexec_fn=_die_with_parent)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.process.poll() is None:
            if accepts(self.port):
                return True
            time.sleep(0.05)
        self.kill()
        return False

    def pause(self):
        """SIGSTOP: moto hangs (connections are accepted, never answered)."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self):
        """SIGCONT after pause (nothing when moto is not running)."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)

    def kill(self):
        """SIGKILL: moto is down (connections refused); its data is lost."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGCONT)
                self.process.kill()
            self.process.wait(timeout=30)
            self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def close(self):
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)

    def client(self, key=None, timeout=10):
        """A boto3 S3 client signing with `key` (default: the admin's)."""
        key_id, secret = key or self.admin_key
        return boto3.client(
            "s3", endpoint_url=self.endpoint, region_name=REGION, aws_access_key_id=key_id,
            aws_secret_access_key=secret,
            config=BotoConfig(s3={"addressing_style": "path"}, retries={"max_attempts": 2},
                              connect_timeout=timeout, read_timeout=timeout))

    def keys_under(self, prefix):
        """Every key of the bucket under `prefix` (admin's view)."""
        s3, keys = self.client(), []
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix):
            keys.extend(o["Key"] for o in page.get("Contents", []))
        return keys

    def log_tail(self, n=40):
        return _tail(self.dir / "moto.log", n)


# -- nginx -------------------------------------------------------------------


class Nginx:
    """nginx on a free 127.0.0.1 port, round-robin over `upstream_ports`."""

    def __init__(self, upstream_ports):
        self.program = require_program("nginx", "/usr/sbin/nginx")
        self.upstream_ports = list(upstream_ports)
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="gallery-cloud-nginx-"))
        # Workers run as another user when we are root: they need to reach
        # their temporary directories.
        os.chmod(self.dir, 0o755)
        self.port = None
        self.process = None

    def _config(self):
        servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=30s;"
                            for p in self.upstream_ports)
        d = self.dir
        return f"""
worker_processes 1;
daemon off;
master_process on;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 512; }}
http {{
  access_log {d}/access.log;
  client_body_temp_path {d}/client_body;
  proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi;
  scgi_temp_path {d}/scgi;
  client_max_body_size 64m;
  upstream gallery {{
{servers}
    keepalive 16;
  }}
  server {{
    listen 127.0.0.1:{self.port};
    location / {{
      proxy_pass http://gallery;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_connect_timeout 5s;
      proxy_read_timeout 120s;
      proxy_send_timeout 120s;
      # Like a load balancer: a refused connection goes to the next
      # instance; a request already sent to a dead one is not replayed
      # unless it is idempotent.
      proxy_next_upstream error timeout;
    }}
  }}
}}
"""

    def start(self):
        for _ in range(3):  # another process may take the port
            self.port = free_port()
            (self.dir / "nginx.conf").write_text(self._config())
            self._log = open(self.dir / "stderr.log", "ab")
            self.process = subprocess.Popen(
                [self.program, "-p", str(self.dir), "-c", str(self.dir / "nginx.conf")],
                stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent)
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and self.process.poll() is None:
                if accepts(self.port):
                    return self
                time.sleep(0.05)
            self.stop()
        raise RuntimeError(f"nginx did not start:\n{self.log_tail()}")

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def stop(self):
        if self.process is not None:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGQUIT)  # graceful
                try:
                    self.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=15)
            self.process = None
            self._log.close()

    def close(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def log_tail(self, n=40):
        return (_tail(self.dir / "stderr.log", n) + "\n" + _tail(self.dir / "error.log", n))


# -- gallery -----------------------------------------------------------------


def gallery_env(moto, postgres, key=None, **settings):
    """The environment of a gallery instance in the cloud shape: S3 on
    `moto` under PREFIX signed with `key` (default: the restricted gallery
    user's), metadata in `postgres`. `settings` add or override variables."""
    key_id, secret = key or moto.gallery_key
    env = {
        "GALLERY_STORAGE": "s3",
        "GALLERY_S3_BUCKET": BUCKET,
        "GALLERY_S3_PREFIX": PREFIX,
        "GALLERY_S3_REGION": REGION,
        "GALLERY_S3_ENDPOINT": moto.endpoint,
        "GALLERY_S3_FORCE_PATH_STYLE": "true",
        "AWS_ACCESS_KEY_ID": key_id,
        "AWS_SECRET_ACCESS_KEY": secret,
        "GALLERY_DATABASE_URL": postgres.url,
        "GALLERY_DATABASE_PASSWORD": postgres.password,
        "GALLERY_DATABASE_POOL_SIZE": "4",
        "GALLERY_THREADS": "2",
        "GALLERY_IMAGE_WORKERS": "1",
    }
    env.update({k: str(v) for k, v in settings.items()})
    return env


def start_gallery(test, env):
    """Starts a GalleryServer with `env`, stopped by `test`'s cleanup; its
    log tail is printed if starting fails."""
    server = GalleryServer(env=env)
    test.addCleanup(server.close)
    try:
        server.start()
    except Exception:
        server.print_log_tail()
        raise
    return server


def upload(base_url, name, data, *, auth, timeout=60):
    """POSTs one file to base_url with the headers `auth` (a GalleryServer's
    auth_headers(): its first admin's API token); returns the response."""
    return requests.post(f"{base_url}/api/v1/photos",
                         files=[("file", (name, data, "application/octet-stream"))],
                         headers=auth, timeout=timeout)


def assert_problem_503(test, resp, mentions=()):
    """`resp` is 503 application/problem+json with Retry-After, whose
    detail mentions each of `mentions`; returns the problem body."""
    test.assertEqual(resp.status_code, 503, resp.text[:500])
    test.assertIn("Retry-After", resp.headers)
    test.assertTrue(resp.headers.get("Content-Type", "").startswith("application/problem+json"),
                    resp.headers.get("Content-Type"))
    body = resp.json()
    test.assertEqual(body.get("status"), 503, body)
    for word in mentions:
        test.assertIn(word, body.get("detail", ""), body)
    return body
