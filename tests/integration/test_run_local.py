"""`make run` on a fresh machine: scripts/run-local.sh starts the gallery with a
first admin whose password is kept in data/admin-password, never printed."""

import json
import os
import pathlib
import shutil
import subprocess
import tempfile
import time
import unittest

import requests

from gallery_server import binary_path

SCRIPT = pathlib.Path(__file__).resolve().parents[2] / "scripts" / "run-local.sh"


class RunLocalTest(unittest.TestCase):
    def test_first_run_makes_an_admin_who_can_sign_in(self):
        workdir = pathlib.Path(tempfile.mkdtemp(prefix="gallery-run-"))
        self.addCleanup(shutil.rmtree, workdir, True)
        data = workdir / "data"
        env = {k: v for k, v in os.environ.items() if not k.startswith("GALLERY_")}
        env.update(GALLERY_DATA_DIR=str(data), GALLERY_LISTEN="127.0.0.1:0",
                   GALLERY_METRICS_INTERVAL="0")
        out_path = workdir / "out.log"
        with open(out_path, "wb") as out:
            proc = subprocess.Popen([str(SCRIPT), str(pathlib.Path(binary_path()).parent)],
                                    stdout=out, stderr=subprocess.STDOUT, env=env,
                                    stdin=subprocess.DEVNULL)
        self.addCleanup(proc.wait, 30)
        self.addCleanup(proc.terminate)
        port = None
        deadline = time.monotonic() + 30
        while port is None and time.monotonic() < deadline:
            for line in out_path.read_text(errors="replace").splitlines():
                if line.startswith("{"):
                    entry = json.loads(line)
                    if entry.get("msg") == "listening":
                        port = entry["port"]
            time.sleep(0.05)
        self.assertIsNotNone(port, out_path.read_text(errors="replace"))

        secret = data / "admin-password"
        self.assertEqual(secret.stat().st_mode & 0o777, 0o600)
        password = secret.read_text().strip()
        self.assertGreaterEqual(len(password), 20)
        output = out_path.read_text(errors="replace")
        self.assertIn("admin@localhost", output)
        self.assertIn(str(secret), output)
        self.assertNotIn(password, output, "the password is never printed or logged")
        resp = requests.post(f"http://127.0.0.1:{port}/api/v1/auth/login",
                             json={"email": "admin@localhost", "password": password}, timeout=30)
        self.assertEqual(resp.status_code, 200, resp.text)
        self.assertEqual(resp.json()["user"]["role"], "admin")


if __name__ == "__main__":
    unittest.main()
