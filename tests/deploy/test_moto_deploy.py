"""Deploys both stacks with scripts/deploy-aws.sh against a local AWS (moto_server
on a free 127.0.0.1 port), reads the load balancer's DNS name, and checks what
the emulator made of the resources it models.

What differs from a deployment to AWS, and why:
- No image is built or pushed: there is no container engine or registry here.
  The script runs with --skip-image --image-tag TAG, and the test registers an
  image manifest under TAG with 'aws ecr put-image' in place of 'docker push'.
  The script's own check that the tag exists in ECR is exercised both ways.
- The full deployment uses --no-change-set (create-stack/update-stack with the
  same templates and parameters): moto executes the change sets of
  'aws cloudformation deploy' but leaves the stack's Outputs empty and
  registers no Exports, so the ECS stack could not import the infrastructure
  stack. The change-set path, the one the docs show, is exercised on its own
  for the infrastructure stack (create, then an unchanged re-run).
- moto accepts but does not model several resource types (Secrets Manager
  secrets, bucket policies, alarms, autoscaling) and several S3 bucket
  properties (public access block, lifecycle); test_templates.py asserts those
  on the templates themselves.
"""

import ast
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.request

from cfn import REPO_ROOT

DEPLOY = os.path.join(REPO_ROOT, "scripts", "deploy-aws.sh")
REGION = "us-east-1"
IMAGE_TAG = "0123456789ab"
# A minimal Docker image manifest; moto stores it and answers describe-images.
MANIFEST = json.dumps({
    "schemaVersion": 2,
    "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
    "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 2,
               "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},
    "layers": [],
})
SCRIPT_TIMEOUT = 150


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MotoDeploy(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.moto_server = shutil.which("moto_server")
        cls.aws_cli = shutil.which("aws")
        missing = [name for name, path in (("moto_server", cls.moto_server), ("aws", cls.aws_cli)) if not path]
        if missing:
            raise RuntimeError(f"{' and '.join(missing)} not installed: pip install -r tests/deploy/requirements.txt")

        cls.tmp = tempfile.mkdtemp(prefix="moto-deploy-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, ignore_errors=True)
        cls.port = free_port()
        cls.endpoint = f"http://127.0.0.1:{cls.port}"
        cls.log = open(os.path.join(cls.tmp, "moto.log"), "w")
        cls.addClassCleanup(cls.log.close)
        cls.server = subprocess.Popen([cls.moto_server, "-H", "127.0.0.1", "-p", str(cls.port)],
                                      stdout=cls.log, stderr=subprocess.STDOUT, start_new_session=True)
        cls.addClassCleanup(cls._stop_server)

        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{cls.endpoint}/moto-api/", timeout=2).read()
                break
            except OSError:
                if cls.server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"moto_server did not start on port {cls.port}; see {cls.log.name}")
                time.sleep(0.2)

        # Dummy credentials and nothing from the user's own AWS configuration.
        cls.env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        cls.env.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                       AWS_DEFAULT_REGION=REGION, AWS_REGION=REGION,
                       AWS_CONFIG_FILE=os.path.join(cls.tmp, "config"),
                       AWS_SHARED_CREDENTIALS_FILE=os.path.join(cls.tmp, "credentials"),
                       AWS_EC2_METADATA_DISABLED="true", CONTAINER_ENGINE="false")

    @classmethod
    def _stop_server(cls):
        if cls.server.poll() is None:
            os.killpg(cls.server.pid, signal.SIGTERM)
            try:
                cls.server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(cls.server.pid, signal.SIGKILL)
                cls.server.wait(timeout=10)

    # ------------------------------------------------------------ helpers
    def deploy(self, *args, expect_success=True):
        result = subprocess.run([DEPLOY, "--endpoint-url", self.endpoint, *args], capture_output=True,
                                text=True, env=self.env, cwd=self.tmp, timeout=SCRIPT_TIMEOUT)
        if expect_success:
            self.assertEqual(result.returncode, 0,
                             f"deploy-aws.sh {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def aws(self, *args):
        result = subprocess.run([self.aws_cli, "--endpoint-url", self.endpoint, "--region", REGION, "--output",
                                 "json", *args], capture_output=True, text=True, env=self.env, timeout=60)
        self.assertEqual(result.returncode, 0, f"aws {' '.join(args)} failed:\n{result.stderr}")
        return json.loads(result.stdout) if result.stdout.strip() else None

    def stack(self, name):
        stack, = self.aws("cloudformation", "describe-stacks", "--stack-name", name)["Stacks"]
        return stack

    def outputs(self, name):
        return {o["OutputKey"]: o["OutputValue"] for o in self.stack(name).get("Outputs") or []}

    def physical_id(self, stack, logical_id):
        summaries = self.aws("cloudformation", "list-stack-resources", "--stack-name", stack)["StackResourceSummaries"]
        ids = [r.get("PhysicalResourceId") for r in summaries if r.get("LogicalResourceId") == logical_id]
        self.assertEqual(len(ids), 1, f"{stack} has no resource {logical_id}")
        return ids[0]

    @staticmethod
    def policy_document(document):
        if isinstance(document, dict):
            return document
        try:
            return json.loads(document)
        except ValueError:
            return ast.literal_eval(document)  # moto answers the Python form

    # ------------------------------------------------------------ tests
    def test_deploy_both_stacks_and_read_the_load_balancer_dns_name(self):
        infra, ecs = "gallery-infra", "gallery-ecs"
        common = ["--no-change-set", "--infrastructure-stack", infra, "--ecs-stack", ecs]

        # Step 1 alone, as the docs' first command.
        self.deploy(*common, "--only", "infrastructure")
        self.assertEqual(self.stack(infra)["StackStatus"], "CREATE_COMPLETE")
        infra_outputs = self.outputs(infra)
        repository_uri = infra_outputs["RepositoryUri"]
        self.assertTrue(repository_uri.endswith(".amazonaws.com/my-picture-gallery-repository"))

        # Without the image in ECR the script stops before the ECS stack.
        result = self.deploy(*common, "--skip-image", "--image-tag", IMAGE_TAG, expect_success=False)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("is not in the repository", result.stderr)
        self.assertNotIn(ecs, [s["StackName"] for s in self.aws("cloudformation", "list-stacks")["StackSummaries"]])

        # Stand-in for 'docker push': register the tag in the repository.
        self.aws("ecr", "put-image", "--repository-name", "my-picture-gallery-repository",
                 "--image-tag", IMAGE_TAG, "--image-manifest", MANIFEST)

        result = self.deploy(*common, "--skip-image", "--image-tag", IMAGE_TAG,
                             "--admin-email", "admin@example.org", "--alarm-email", "ops@example.org")
        self.assertEqual(self.stack(infra)["StackStatus"], "CREATE_COMPLETE")
        self.assertEqual(self.stack(ecs)["StackStatus"], "CREATE_COMPLETE")

        dns_name = self.outputs(ecs)["ALBDNSName"]
        self.assertTrue(dns_name)
        self.assertIn(f"ALBDNSName={dns_name}", result.stdout.splitlines())
        balancers = self.aws("elbv2", "describe-load-balancers")["LoadBalancers"]
        self.assertIn(dns_name, [b["DNSName"] for b in balancers])

        parameters = {p["ParameterKey"]: p["ParameterValue"] for p in self.stack(ecs)["Parameters"]}
        self.assertEqual(parameters["ECRRepositoryUri"], repository_uri)
        self.assertEqual(parameters["ImageTag"], IMAGE_TAG)
        self.assertEqual(parameters["InfrastructureStackName"], infra)
        self.assertEqual(parameters["AdminEmail"], "admin@example.org")

        self._check_deployed_resources(infra, ecs, infra_outputs, repository_uri)

        # Every step is safe to re-run: nothing changed, nothing fails.
        result = self.deploy(*common, "--skip-image", "--image-tag", IMAGE_TAG)
        self.assertIn(f"ALBDNSName={dns_name}", result.stdout.splitlines())
        for name in (infra, ecs):
            self.assertTrue(self.stack(name)["StackStatus"].endswith("_COMPLETE"), name)
        # Parameters not given again keep their values, as with 'cloudformation deploy'.
        parameters = {p["ParameterKey"]: p["ParameterValue"] for p in self.stack(ecs)["Parameters"]}
        self.assertEqual(parameters["AdminEmail"], "admin@example.org")

    def _check_deployed_resources(self, infra, ecs, infra_outputs, repository_uri):
        bucket = infra_outputs["BucketName"]
        encryption = self.aws("s3api", "get-bucket-encryption", "--bucket", bucket)
        rule, = encryption["ServerSideEncryptionConfiguration"]["Rules"]
        self.assertEqual(rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"], "AES256")

        repository, = self.aws("ecr", "describe-repositories")["repositories"]
        self.assertEqual(repository["repositoryUri"], repository_uri)
        self.assertEqual(repository["imageTagMutability"], "IMMUTABLE")

        database, = self.aws("rds", "describe-db-instances")["DBInstances"]
        self.assertIs(database["PubliclyAccessible"], False)
        self.assertIs(database["StorageEncrypted"], True)
        self.assertEqual(database["Endpoint"]["Address"], infra_outputs["DatabaseEndpoint"])
        subnets = {s["SubnetIdentifier"] for s in database["DBSubnetGroup"]["Subnets"]}
        self.assertEqual(subnets, {infra_outputs["PrivateSubnet1Id"], infra_outputs["PrivateSubnet2Id"]})

        task_definition = self.aws("ecs", "describe-task-definition", "--task-definition",
                                   self.physical_id(ecs, "TaskDefinition"))["taskDefinition"]
        container, = task_definition["containerDefinitions"]
        self.assertEqual(container["image"], f"{repository_uri}:{IMAGE_TAG}")
        environment = {e["name"]: e["value"] for e in container["environment"] if e}
        self.assertEqual(environment["GALLERY_STORAGE"], "s3")
        self.assertEqual(environment["GALLERY_S3_BUCKET"], bucket)
        self.assertEqual(environment["GALLERY_S3_REGION"], REGION)
        self.assertEqual(environment["GALLERY_DATABASE_URL"],
                         f"postgres://gallery@{infra_outputs['DatabaseEndpoint']}:5432/gallery")
        self.assertEqual(environment["GALLERY_ADMIN_EMAIL"], "admin@example.org")
        secrets = {s["name"] for s in container["secrets"]}
        self.assertIn("GALLERY_DATABASE_PASSWORD", secrets)
        self.assertIn("GALLERY_ADMIN_PASSWORD", secrets)

        log_group = self.physical_id(ecs, "LogGroup")
        groups = self.aws("logs", "describe-log-groups", "--log-group-name-prefix", log_group)["logGroups"]
        self.assertEqual([(g["logGroupName"], g["retentionInDays"]) for g in groups], [(log_group, 30)])

        role = self.physical_id(ecs, "TaskRole")
        names = self.aws("iam", "list-role-policies", "--role-name", role)["PolicyNames"]
        self.assertEqual(names, ["picture-bucket"])
        document = self.policy_document(self.aws("iam", "get-role-policy", "--role-name", role,
                                                 "--policy-name", "picture-bucket")["PolicyDocument"])
        resources = set()
        for statement in filter(None, document["Statement"]):
            for resource in [statement["Resource"]] if isinstance(statement["Resource"], str) else statement["Resource"]:
                resources.add(resource)
        self.assertEqual(resources, {f"arn:aws:s3:::{bucket}/pictures/*", f"arn:aws:s3:::{bucket}"})

        cluster = self.physical_id(ecs, "Cluster")
        services = self.aws("ecs", "list-services", "--cluster", cluster)["serviceArns"]
        self.assertEqual(len(services), 1)

    def test_documented_change_set_path_for_the_infrastructure_stack(self):
        # 'aws cloudformation deploy', exactly as docs/deploy-aws.md step 1.
        # Another repository name: the other test's stack already has the default one.
        args = ["--only", "infrastructure", "--infrastructure-stack", "changeset-infra",
                "--infrastructure-parameter", "RepositoryName=changeset-repository",
                "--infrastructure-parameter", "BucketEncryption=SSE-KMS",
                "--infrastructure-parameter", "NatGateways=per-az"]
        self.deploy(*args)
        stack = self.stack("changeset-infra")
        self.assertEqual(stack["StackStatus"], "CREATE_COMPLETE")
        parameters = {p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]}
        self.assertEqual(parameters["BucketEncryption"], "SSE-KMS")
        repositories = [r["repositoryName"] for r in self.aws("ecr", "describe-repositories")["repositories"]]
        self.assertIn("changeset-repository", repositories)
        # Re-running with nothing changed succeeds and changes nothing.
        result = self.deploy(*args)
        self.assertIn("up to date", result.stdout + result.stderr)
        self.assertEqual(self.stack("changeset-infra")["StackStatus"], "CREATE_COMPLETE")


if __name__ == "__main__":
    unittest.main()
