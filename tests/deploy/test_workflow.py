"""The GitHub Actions workflow that builds, tests and deploys: it parses, tests
with 'make test', and deploys with the deploy script under OIDC credentials."""

import os
import re
import unittest

import yaml

from cfn import REPO_ROOT

WORKFLOW = os.path.join(REPO_ROOT, ".github", "workflows", "deploy.yml")


class DeployWorkflow(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(WORKFLOW, encoding="utf-8") as f:
            cls.text = f.read()
        cls.workflow = yaml.safe_load(cls.text)
        # PyYAML reads the key "on" as the boolean True (YAML 1.1).
        cls.triggers = cls.workflow.get("on", cls.workflow.get(True))
        cls.jobs = cls.workflow["jobs"]

    def steps(self, job):
        return self.jobs[job]["steps"]

    def test_triggers(self):
        self.assertEqual(self.triggers["push"]["branches"], ["main"])
        self.assertIn("pull_request", self.triggers)
        self.assertIn("workflow_dispatch", self.triggers)

    def test_default_permissions_read_only(self):
        self.assertEqual(self.workflow["permissions"], {"contents": "read"})

    def test_tests_run_make_test(self):
        runs = [s.get("run", "") for s in self.steps("test")]
        self.assertTrue(any(re.search(r"^make test$", r, re.M) for r in runs))
        self.assertTrue(any("tests/deploy/requirements.txt" in r for r in runs))

    def test_deploy_after_tests_with_oidc(self):
        deploy = self.jobs["deploy"]
        self.assertEqual(deploy["needs"], "test")
        self.assertEqual(deploy["permissions"], {"contents": "read", "id-token": "write"})
        self.assertIn("refs/heads/main", deploy["if"])
        credentials, = [s for s in deploy["steps"] if s.get("uses", "").startswith("aws-actions/configure-aws-credentials@")]
        self.assertIn("role-to-assume", credentials["with"])
        self.assertIn("aws-region", credentials["with"])
        for step in deploy["steps"]:
            text = str(step)
            self.assertNotIn("aws-access-key-id", text, "no long-lived keys")
            self.assertNotIn("secrets.AWS", text)
        runs = [s.get("run", "") for s in deploy["steps"]]
        self.assertTrue(any("scripts/deploy-aws.sh" in r for r in runs))
        order = [s.get("uses", s.get("name")) for s in deploy["steps"]]
        self.assertLess(order.index(credentials["uses"]),
                        next(i for i, s in enumerate(deploy["steps"]) if "scripts/deploy-aws.sh" in s.get("run", "")))

    def test_no_expression_interpolated_into_shell(self):
        for job in self.jobs.values():
            for step in job["steps"]:
                self.assertNotIn("${{", step.get("run", ""), "pass values through env, not into the script text")


if __name__ == "__main__":
    unittest.main()
