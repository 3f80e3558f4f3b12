"""scripts/deploy-aws.sh and deploy/eks/render.sh without any AWS: shellcheck,
--help, and the argument errors that must stop it before it touches an account.
The deployment itself is exercised against a local AWS in test_moto_deploy.py."""

import os
import shutil
import subprocess
import tempfile
import unittest

from cfn import REPO_ROOT

DEPLOY = os.path.join(REPO_ROOT, "scripts", "deploy-aws.sh")
RENDER = os.path.join(REPO_ROOT, "deploy", "eks", "render.sh")


def offline_env(tmp):
    """An environment with no AWS configuration at all."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_CONFIG_FILE=os.path.join(tmp, "config"),
               AWS_SHARED_CREDENTIALS_FILE=os.path.join(tmp, "credentials"),
               AWS_EC2_METADATA_DISABLED="true")
    return env


class DeployScript(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="deploy-script-")
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)

    def run_script(self, *args, env=None):
        return subprocess.run([DEPLOY, *args], capture_output=True, text=True, timeout=60,
                              env=env or offline_env(self.tmp), cwd=self.tmp)

    def test_shellcheck(self):
        shellcheck = shutil.which("shellcheck")
        if shellcheck is None:
            self.fail("shellcheck is not installed (Debian package shellcheck)")
        result = subprocess.run([shellcheck, DEPLOY, RENDER], capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_executable(self):
        self.assertTrue(os.access(DEPLOY, os.X_OK))
        self.assertTrue(os.access(RENDER, os.X_OK))

    def test_help(self):
        result = self.run_script("--help")
        self.assertEqual(result.returncode, 0, result.stderr)
        for option in ("--region", "--endpoint-url", "--skip-image", "--image-tag", "--no-change-set",
                       "--only", "--admin-email", "--certificate-arn", "CONTAINER_ENGINE"):
            self.assertIn(option, result.stdout)

    def test_unknown_option(self):
        result = self.run_script("--frobnicate")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("unknown option '--frobnicate'", result.stderr)

    def test_skip_image_needs_a_tag(self):
        result = self.run_script("--skip-image")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("--skip-image needs --image-tag", result.stderr)

    def test_malformed_parameter(self):
        result = self.run_script("--ecs-parameter", "MinTasks")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("KEY=VALUE", result.stderr)

    def test_no_region(self):
        if shutil.which("aws") is None:
            self.fail("the AWS CLI is not installed (pip install -r tests/deploy/requirements.txt)")
        result = self.run_script()
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("no AWS region", result.stderr)


class RenderScript(unittest.TestCase):
    def test_refuses_missing_values(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("GALLERY_")}
        result = subprocess.run([RENDER], capture_output=True, text=True, timeout=30, env=env)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("GALLERY_IMAGE", result.stderr)

    def test_refuses_password_in_database_url(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("GALLERY_")}
        env.update(GALLERY_IMAGE="i", GALLERY_IRSA_ROLE_ARN="r", GALLERY_S3_BUCKET="b", GALLERY_S3_REGION="x",
                   GALLERY_CERTIFICATE_ARN="c", GALLERY_DATABASE_URL="postgres://u:secret@h:5432/d")
        result = subprocess.run([RENDER], capture_output=True, text=True, timeout=30, env=env)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("must not contain the password", result.stderr)


if __name__ == "__main__":
    unittest.main()
