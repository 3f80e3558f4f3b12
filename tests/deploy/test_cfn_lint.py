"""cfn-lint on every CloudFormation template in deploy/aws: no errors and no
warnings (informational findings are not part of the gate)."""

import glob
import os
import shutil
import subprocess
import unittest

from cfn import AWS_DIR


class CfnLint(unittest.TestCase):
    def test_templates_lint_clean(self):
        cfn_lint = shutil.which("cfn-lint")
        if cfn_lint is None:
            self.fail("cfn-lint is not installed (pip install -r tests/deploy/requirements.txt)")
        templates = sorted(glob.glob(os.path.join(AWS_DIR, "*.yaml")))
        self.assertTrue(templates, "no templates found in deploy/aws")
        result = subprocess.run([cfn_lint, "--format", "parseable", "--", *templates],
                                capture_output=True, text=True, timeout=240)
        self.assertEqual(result.returncode, 0,
                         f"cfn-lint found problems:\n{result.stdout}{result.stderr}")
        self.assertEqual(result.stdout.strip(), "")


if __name__ == "__main__":
    unittest.main()
