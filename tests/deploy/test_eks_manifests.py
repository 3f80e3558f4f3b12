"""Offline validation of the EKS manifests in deploy/eks.

No Kubernetes schema validator is packaged for Debian 12 (kubeconform and
kubeval are not; kubectl validates against a live API server), so this test
carries structural schemas for the parts of each kind that the manifests use
(JSON Schema, unknown fields rejected, so a misspelt field fails), and then
checks the cross references between the objects and the properties the
deployment relies on (probes, non-root, read-only root, draining, IRSA).
The manifests are rendered with deploy/eks/render.sh, as a user would.
"""

import glob
import json
import os
import re
import subprocess
import unittest

import jsonschema
import yaml

from cfn import ECS, REPO_ROOT, load_template, resolve

EKS_DIR = os.path.join(REPO_ROOT, "deploy", "eks")
RENDER = os.path.join(EKS_DIR, "render.sh")
VALUES = {
    "GALLERY_IMAGE": "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-picture-gallery-repository:0123456789ab",
    "GALLERY_IRSA_ROLE_ARN": "arn:aws:iam::123456789012:role/picture-gallery-eks",
    "GALLERY_S3_BUCKET": "picture-gallery-infrastructure-picturebucket-abcdef123456",
    "GALLERY_S3_REGION": "us-east-1",
    "GALLERY_S3_PREFIX": "pictures/",
    "GALLERY_DATABASE_URL": "postgres://gallery@gallery.abcdefghij.us-east-1.rds.amazonaws.com:5432/gallery",
    "GALLERY_CERTIFICATE_ARN": "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789",
}
NAMESPACE = "picture-gallery"
DATABASE_SECRET = "picture-gallery-database"

# ----------------------------------------------------------------- schemas
DNS_LABEL = {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "maxLength": 63}
DNS_SUBDOMAIN = {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", "maxLength": 253}
PORT_NAME = {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "maxLength": 15}
QUANTITY = {"type": "string", "pattern": r"^[0-9]+(\.[0-9]+)?(m|k|M|G|Ki|Mi|Gi|Ti)?$"}
LABELS = {"type": "object", "additionalProperties": {"type": "string", "maxLength": 63,
                                                      "pattern": r"^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$"},
          "propertyNames": {"pattern": r"^([a-z0-9.-]+/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$"}}
ANNOTATIONS = {"type": "object", "additionalProperties": {"type": "string"}}
PORT = {"oneOf": [{"type": "integer", "minimum": 1, "maximum": 65535}, PORT_NAME]}


def obj(properties, required=()):
    return {"type": "object", "properties": properties, "required": list(required), "additionalProperties": False}


def metadata(namespaced=True):
    properties = {"name": DNS_SUBDOMAIN, "labels": LABELS, "annotations": ANNOTATIONS}
    if namespaced:
        properties["namespace"] = DNS_LABEL
    return obj(properties, ["name", "namespace"] if namespaced else ["name"])


def top(kind, api_version, spec_schema=None, namespaced=True, extra=None):
    properties = {"apiVersion": {"const": api_version}, "kind": {"const": kind},
                  "metadata": metadata(namespaced)}
    required = ["apiVersion", "kind", "metadata"]
    if spec_schema is not None:
        properties["spec"] = spec_schema
        required.append("spec")
    properties.update(extra or {})
    return obj(properties, required)


SELECTOR = obj({"matchLabels": LABELS}, ["matchLabels"])
HTTP_GET = obj({"path": {"type": "string", "pattern": "^/"}, "port": PORT, "scheme": {"enum": ["HTTP", "HTTPS"]}},
               ["path", "port"])
PROBE = obj({"httpGet": HTTP_GET, "initialDelaySeconds": {"type": "integer", "minimum": 0},
             "periodSeconds": {"type": "integer", "minimum": 1}, "timeoutSeconds": {"type": "integer", "minimum": 1},
             "failureThreshold": {"type": "integer", "minimum": 1},
             "successThreshold": {"type": "integer", "minimum": 1}}, ["httpGet"])
RESOURCE_LIST = {"type": "object", "propertyNames": {"enum": ["cpu", "memory", "ephemeral-storage"]},
                 "additionalProperties": QUANTITY}
CONTAINER = obj({
    "name": DNS_LABEL,
    "image": {"type": "string", "minLength": 1},
    "imagePullPolicy": {"enum": ["Always", "IfNotPresent", "Never"]},
    "ports": {"type": "array", "items": obj({"name": PORT_NAME, "containerPort": {"type": "integer", "minimum": 1,
                                                                                "maximum": 65535},
                                             "protocol": {"enum": ["TCP", "UDP", "SCTP"]}}, ["containerPort"])},
    "envFrom": {"type": "array", "items": obj({"configMapRef": obj({"name": DNS_SUBDOMAIN}, ["name"]),
                                               "secretRef": obj({"name": DNS_SUBDOMAIN}, ["name"])})},
    "env": {"type": "array", "items": obj({
        "name": {"type": "string", "pattern": r"^[A-Za-z_][A-Za-z0-9_]*$"},
        "value": {"type": "string"},
        "valueFrom": obj({"secretKeyRef": obj({"name": DNS_SUBDOMAIN, "key": {"type": "string"}}, ["name", "key"]),
                          "configMapKeyRef": obj({"name": DNS_SUBDOMAIN, "key": {"type": "string"}},
                                                 ["name", "key"])})}, ["name"])},
    "resources": obj({"requests": RESOURCE_LIST, "limits": RESOURCE_LIST}),
    "securityContext": obj({"allowPrivilegeEscalation": {"type": "boolean"},
                            "readOnlyRootFilesystem": {"type": "boolean"}, "runAsNonRoot": {"type": "boolean"},
                            "runAsUser": {"type": "integer"}, "runAsGroup": {"type": "integer"},
                            "capabilities": obj({"drop": {"type": "array", "items": {"type": "string"}},
                                                 "add": {"type": "array", "items": {"type": "string"}}})}),
    "startupProbe": PROBE, "livenessProbe": PROBE, "readinessProbe": PROBE,
    "lifecycle": obj({"preStop": obj({"sleep": obj({"seconds": {"type": "integer", "minimum": 1}}, ["seconds"])})}),
    "volumeMounts": {"type": "array", "items": obj({"name": DNS_LABEL, "mountPath": {"type": "string", "pattern": "^/"},
                                                    "readOnly": {"type": "boolean"}}, ["name", "mountPath"])},
}, ["name", "image"])
POD_SPEC = obj({
    "serviceAccountName": DNS_SUBDOMAIN,
    "automountServiceAccountToken": {"type": "boolean"},
    "terminationGracePeriodSeconds": {"type": "integer", "minimum": 0},
    "securityContext": obj({"runAsNonRoot": {"type": "boolean"}, "runAsUser": {"type": "integer"},
                            "runAsGroup": {"type": "integer"}, "fsGroup": {"type": "integer"},
                            "fsGroupChangePolicy": {"enum": ["OnRootMismatch", "Always"]},
                            "seccompProfile": obj({"type": {"enum": ["RuntimeDefault", "Localhost"]}}, ["type"])}),
    "topologySpreadConstraints": {"type": "array", "items": obj({
        "maxSkew": {"type": "integer", "minimum": 1}, "topologyKey": {"type": "string"},
        "whenUnsatisfiable": {"enum": ["DoNotSchedule", "ScheduleAnyway"]}, "labelSelector": SELECTOR},
        ["maxSkew", "topologyKey", "whenUnsatisfiable"])},
    "containers": {"type": "array", "minItems": 1, "items": CONTAINER},
    "volumes": {"type": "array", "items": obj({"name": DNS_LABEL,
                                               "emptyDir": obj({"sizeLimit": QUANTITY,
                                                                "medium": {"enum": ["", "Memory"]}})}, ["name"])},
}, ["containers"])
INT_OR_PERCENT = {"oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "pattern": r"^[0-9]+%$"}]}
HPA_POLICY = obj({"type": {"enum": ["Pods", "Percent"]}, "value": {"type": "integer", "minimum": 1},
                  "periodSeconds": {"type": "integer", "minimum": 1, "maximum": 1800}}, ["type", "value", "periodSeconds"])
HPA_RULES = obj({"stabilizationWindowSeconds": {"type": "integer", "minimum": 0, "maximum": 3600},
                 "selectPolicy": {"enum": ["Max", "Min", "Disabled"]},
                 "policies": {"type": "array", "items": HPA_POLICY}})

SCHEMAS = {
    "Namespace": top("Namespace", "v1", namespaced=False),
    "ServiceAccount": top("ServiceAccount", "v1", extra={"automountServiceAccountToken": {"type": "boolean"}}),
    "ConfigMap": top("ConfigMap", "v1", extra={"data": {"type": "object", "additionalProperties": {"type": "string"}}}),
    "Deployment": top("Deployment", "apps/v1", obj({
        "replicas": {"type": "integer", "minimum": 0},
        "revisionHistoryLimit": {"type": "integer", "minimum": 0},
        "selector": SELECTOR,
        "strategy": obj({"type": {"enum": ["RollingUpdate", "Recreate"]},
                         "rollingUpdate": obj({"maxUnavailable": INT_OR_PERCENT, "maxSurge": INT_OR_PERCENT})}),
        "template": obj({"metadata": obj({"labels": LABELS, "annotations": ANNOTATIONS}, ["labels"]),
                         "spec": POD_SPEC}, ["metadata", "spec"]),
    }, ["selector", "template"])),
    "Service": top("Service", "v1", obj({
        "type": {"enum": ["ClusterIP", "NodePort", "LoadBalancer"]},
        "selector": LABELS,
        "ports": {"type": "array", "minItems": 1, "items": obj({
            "name": PORT_NAME, "port": {"type": "integer", "minimum": 1, "maximum": 65535},
            "targetPort": PORT, "protocol": {"enum": ["TCP", "UDP", "SCTP"]}}, ["port"])},
    }, ["selector", "ports"])),
    "Ingress": top("Ingress", "networking.k8s.io/v1", obj({
        "ingressClassName": DNS_SUBDOMAIN,
        "rules": {"type": "array", "minItems": 1, "items": obj({
            "host": {"type": "string"},
            "http": obj({"paths": {"type": "array", "minItems": 1, "items": obj({
                "path": {"type": "string", "pattern": "^/"},
                "pathType": {"enum": ["Prefix", "Exact", "ImplementationSpecific"]},
                "backend": obj({"service": obj({"name": DNS_LABEL, "port": obj({"name": PORT_NAME, "number": {
                    "type": "integer"}})}, ["name", "port"])}, ["service"]),
            }, ["path", "pathType", "backend"])}}, ["paths"])})},
    }, ["rules"])),
    "HorizontalPodAutoscaler": top("HorizontalPodAutoscaler", "autoscaling/v2", obj({
        "scaleTargetRef": obj({"apiVersion": {"type": "string"}, "kind": {"type": "string"}, "name": DNS_SUBDOMAIN},
                              ["kind", "name"]),
        "minReplicas": {"type": "integer", "minimum": 1},
        "maxReplicas": {"type": "integer", "minimum": 1},
        "metrics": {"type": "array", "items": obj({
            "type": {"enum": ["Resource"]},
            "resource": obj({"name": {"enum": ["cpu", "memory"]},
                             "target": obj({"type": {"enum": ["Utilization"]},
                                            "averageUtilization": {"type": "integer", "minimum": 1}},
                                           ["type", "averageUtilization"])}, ["name", "target"]),
        }, ["type", "resource"])},
        "behavior": obj({"scaleUp": HPA_RULES, "scaleDown": HPA_RULES}),
    }, ["scaleTargetRef", "maxReplicas"])),
    "PodDisruptionBudget": top("PodDisruptionBudget", "policy/v1", obj({
        "minAvailable": INT_OR_PERCENT, "maxUnavailable": INT_OR_PERCENT, "selector": SELECTOR,
        "unhealthyPodEvictionPolicy": {"enum": ["IfHealthyBudget", "AlwaysAllow"]},
    }, ["selector"])),
}


def render(*args, **overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GALLERY_")}
    env.update(VALUES, **overrides)
    result = subprocess.run([RENDER, *args], capture_output=True, text=True, env=env, timeout=60)
    if result.returncode != 0:
        raise AssertionError(f"render.sh failed: {result.stderr}")
    return result.stdout


def labels_match(selector, labels):
    return all(labels.get(k) == v for k, v in selector.items())


def seconds(duration):
    match = re.fullmatch(r"(\d+)(s|m)", duration)
    return int(match.group(1)) * (60 if match.group(2) == "m" else 1)


class EksManifests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.documents = [d for d in yaml.safe_load_all(render()) if d is not None]
        cls.by_kind = {}
        for document in cls.documents:
            cls.by_kind.setdefault(document["kind"], []).append(document)

    def one(self, kind):
        objects = self.by_kind.get(kind, [])
        self.assertEqual(len(objects), 1, f"exactly one {kind}")
        return objects[0]

    @property
    def pod(self):
        return self.one("Deployment")["spec"]["template"]

    @property
    def container(self):
        container, = self.pod["spec"]["containers"]
        return container

    # ------------------------------------------------------------ structure
    def test_raw_files_parse_and_kustomization_lists_them_all(self):
        files = sorted(os.path.basename(p) for p in glob.glob(os.path.join(EKS_DIR, "*.yaml")))
        for name in files:
            with open(os.path.join(EKS_DIR, name), encoding="utf-8") as f:
                self.assertTrue(list(yaml.safe_load_all(f)), name)
        with open(os.path.join(EKS_DIR, "kustomization.yaml"), encoding="utf-8") as f:
            kustomization = yaml.safe_load(f)
        self.assertEqual(kustomization["apiVersion"], "kustomize.config.k8s.io/v1beta1")
        self.assertEqual(sorted(kustomization["resources"]), [n for n in files if n != "kustomization.yaml"])
        with open(RENDER, encoding="utf-8") as f:
            script = f.read()
        listed = re.search(r"MANIFESTS=\(([^)]*)\)", script).group(1).split()
        self.assertEqual(listed, kustomization["resources"], "render.sh renders the kustomization's order")

    def test_kinds_and_api_versions(self):
        self.assertEqual(sorted(self.by_kind), sorted(SCHEMAS))
        self.assertEqual(self.documents[0]["kind"], "Namespace", "the namespace is created first")

    def test_schemas(self):
        for document in self.documents:
            with self.subTest(kind=document["kind"]):
                jsonschema.validate(document, SCHEMAS[document["kind"]])

    def test_schemas_reject_mistakes(self):
        deployment = json.loads(json.dumps(self.one("Deployment")))
        deployment["spec"]["template"]["spec"]["containers"][0]["readinessProbes"] = {}
        with self.assertRaises(jsonschema.ValidationError):
            jsonschema.validate(deployment, SCHEMAS["Deployment"])

    def test_everything_in_the_namespace(self):
        self.assertEqual(self.one("Namespace")["metadata"]["name"], NAMESPACE)
        for document in self.documents:
            if document["kind"] != "Namespace":
                self.assertEqual(document["metadata"]["namespace"], NAMESPACE, document["kind"])

    def test_no_placeholder_left(self):
        for document in self.documents:
            self.assertNotIn("${", json.dumps(document))

    # ------------------------------------------------------------ cross references
    def test_deployment_selector_matches_its_pods(self):
        deployment = self.one("Deployment")
        self.assertTrue(labels_match(deployment["spec"]["selector"]["matchLabels"], self.pod["metadata"]["labels"]))

    def test_service_selects_the_pods_and_names_the_container_port(self):
        service = self.one("Service")
        self.assertTrue(labels_match(service["spec"]["selector"], self.pod["metadata"]["labels"]))
        port_names = {p["name"] for p in self.container["ports"]}
        for port in service["spec"]["ports"]:
            self.assertIn(port["targetPort"], port_names)

    def test_ingress_routes_to_the_service(self):
        service = self.one("Service")
        ingress = self.one("Ingress")
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                self.assertEqual(backend["name"], service["metadata"]["name"])
                self.assertIn(backend["port"]["name"], {p["name"] for p in service["spec"]["ports"]})

    def test_hpa_and_pdb_target_the_deployment(self):
        deployment = self.one("Deployment")
        hpa = self.one("HorizontalPodAutoscaler")["spec"]
        self.assertEqual(hpa["scaleTargetRef"], {"apiVersion": "apps/v1", "kind": "Deployment",
                                                 "name": deployment["metadata"]["name"]})
        self.assertGreaterEqual(hpa["minReplicas"], 2)
        self.assertGreater(hpa["maxReplicas"], hpa["minReplicas"])
        self.assertIn("cpu", [m["resource"]["name"] for m in hpa["metrics"]])
        self.assertNotIn("replicas", deployment["spec"], "the autoscaler owns the replica count")
        pdb = self.one("PodDisruptionBudget")["spec"]
        self.assertTrue(labels_match(pdb["selector"]["matchLabels"], self.pod["metadata"]["labels"]))
        self.assertLess(pdb["minAvailable"], hpa["minReplicas"], "voluntary evictions stay possible")

    def test_service_account_configmap_and_secret_references(self):
        spec = self.pod["spec"]
        self.assertEqual(spec["serviceAccountName"], self.one("ServiceAccount")["metadata"]["name"])
        config_maps = [e["configMapRef"]["name"] for e in self.container["envFrom"]]
        self.assertEqual(config_maps, [self.one("ConfigMap")["metadata"]["name"]])
        password, = [e for e in self.container["env"] if e["name"] == "GALLERY_DATABASE_PASSWORD"]
        self.assertEqual(password["valueFrom"]["secretKeyRef"], {"name": DATABASE_SECRET, "key": "password"})
        volumes = {v["name"] for v in spec["volumes"]}
        for mount in self.container["volumeMounts"]:
            self.assertIn(mount["name"], volumes)

    # ------------------------------------------------------------ behaviour
    def test_probes(self):
        port_names = {p["name"] for p in self.container["ports"]}
        self.assertEqual(self.container["livenessProbe"]["httpGet"]["path"], "/healthz")
        self.assertEqual(self.container["startupProbe"]["httpGet"]["path"], "/healthz")
        self.assertEqual(self.container["readinessProbe"]["httpGet"]["path"], "/readyz")
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            self.assertIn(self.container[probe]["httpGet"]["port"], port_names)

    def test_non_root_read_only_restricted(self):
        pod_security = self.pod["spec"]["securityContext"]
        self.assertIs(pod_security["runAsNonRoot"], True)
        self.assertGreater(pod_security["runAsUser"], 0)
        self.assertEqual(pod_security["seccompProfile"]["type"], "RuntimeDefault")
        security = self.container["securityContext"]
        self.assertIs(security["readOnlyRootFilesystem"], True)
        self.assertIs(security["allowPrivilegeEscalation"], False)
        self.assertEqual(security["capabilities"]["drop"], ["ALL"])
        self.assertNotIn("add", security["capabilities"])
        mounts = {m["mountPath"] for m in self.container["volumeMounts"]}
        self.assertEqual(mounts, {"/var/lib/gallery", "/tmp"})
        for volume in self.pod["spec"]["volumes"]:
            self.assertEqual(set(volume), {"name", "emptyDir"}, "only ephemeral volumes")
        self.assertEqual(self.one("Namespace")["metadata"]["labels"]["pod-security.kubernetes.io/enforce"],
                         "restricted")

    def test_resources(self):
        resources = self.container["resources"]
        self.assertEqual(set(resources["requests"]), {"cpu", "memory", "ephemeral-storage"})
        self.assertIn("memory", resources["limits"])

    def test_graceful_termination_covers_draining(self):
        spec = self.pod["spec"]
        pause = self.container["lifecycle"]["preStop"]["sleep"]["seconds"]
        grace = seconds(self.one("ConfigMap")["data"]["GALLERY_SHUTDOWN_GRACE"])
        annotations = self.one("Ingress")["metadata"]["annotations"]
        attributes = dict(item.split("=") for item in
                          annotations["alb.ingress.kubernetes.io/target-group-attributes"].split(","))
        deregistration = int(attributes["deregistration_delay.timeout_seconds"])
        self.assertGreaterEqual(deregistration, 120)
        self.assertGreaterEqual(spec["terminationGracePeriodSeconds"], pause + grace)
        self.assertGreaterEqual(spec["terminationGracePeriodSeconds"], deregistration)
        strategy = self.one("Deployment")["spec"]["strategy"]["rollingUpdate"]
        self.assertEqual(strategy["maxUnavailable"], 0)

    def test_ingress_for_the_aws_load_balancer_controller(self):
        ingress = self.one("Ingress")
        annotations = ingress["metadata"]["annotations"]
        self.assertEqual(ingress["spec"]["ingressClassName"], "alb")
        self.assertEqual(annotations["alb.ingress.kubernetes.io/scheme"], "internet-facing")
        self.assertEqual(annotations["alb.ingress.kubernetes.io/target-type"], "ip")
        self.assertEqual(annotations["alb.ingress.kubernetes.io/healthcheck-path"], "/healthz")
        self.assertEqual(annotations["alb.ingress.kubernetes.io/certificate-arn"], VALUES["GALLERY_CERTIFICATE_ARN"])
        self.assertEqual(json.loads(annotations["alb.ingress.kubernetes.io/listen-ports"]),
                         [{"HTTP": 80}, {"HTTPS": 443}])
        self.assertEqual(annotations["alb.ingress.kubernetes.io/ssl-redirect"], "443")
        lb = dict(item.split("=") for item in
                  annotations["alb.ingress.kubernetes.io/load-balancer-attributes"].split(","))
        self.assertGreaterEqual(int(lb["idle_timeout.timeout_seconds"]), 120)

    def test_service_account_for_irsa(self):
        service_account = self.one("ServiceAccount")
        annotations = service_account["metadata"]["annotations"]
        self.assertRegex(annotations["eks.amazonaws.com/role-arn"], r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")
        self.assertEqual(annotations["eks.amazonaws.com/role-arn"], VALUES["GALLERY_IRSA_ROLE_ARN"])

    def test_configuration_matches_the_ecs_task(self):
        data = self.one("ConfigMap")["data"]
        self.assertEqual(data["GALLERY_STORAGE"], "s3")
        self.assertEqual(data["GALLERY_DATA_DIR"], "/var/lib/gallery")
        self.assertEqual(data["GALLERY_S3_BUCKET"], VALUES["GALLERY_S3_BUCKET"])
        self.assertEqual(data["GALLERY_DATABASE_URL"], VALUES["GALLERY_DATABASE_URL"])
        self.assertEqual(data["GALLERY_TRUSTED_PROXY_HOPS"], "1")  # the ALB
        self.assertFalse([k for k in data if "PASSWORD" in k])
        ecs = resolve(load_template(ECS), {"ECRRepositoryUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/r",
                                           "ImageTag": "t"})
        container, = ecs["Resources"]["TaskDefinition"]["Properties"]["ContainerDefinitions"]
        ecs_names = {e["Name"] for e in container["Environment"]} | {s["Name"] for s in container["Secrets"]}
        eks_names = set(data) | {e["name"] for e in self.container["env"]}
        self.assertEqual(ecs_names, eks_names, "the same configuration on ECS and EKS")
        port = int(data["GALLERY_LISTEN"].rsplit(":", 1)[1])
        self.assertIn(port, [p["containerPort"] for p in self.container["ports"]])

    def test_iam_policy_only_the_bucket(self):
        policy = json.loads(render("--policy"))
        actions = set()
        for statement in policy["Statement"]:
            self.assertEqual(statement["Effect"], "Allow")
            resource = statement["Resource"]
            self.assertIsInstance(resource, str)
            self.assertNotEqual(resource, "*")
            self.assertTrue(resource.startswith(f"arn:aws:s3:::{VALUES['GALLERY_S3_BUCKET']}"), resource)
            actions |= set(statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]])
        self.assertEqual(actions, {"s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:ListBucket",
                                   "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"})

    def test_render_refuses_a_password_in_the_url(self):
        with self.assertRaises(AssertionError):
            render(GALLERY_DATABASE_URL="postgres://gallery:secret@db:5432/gallery")


if __name__ == "__main__":
    unittest.main()
