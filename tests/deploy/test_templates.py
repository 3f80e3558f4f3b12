"""Security and wiring properties of deploy/aws/*.yaml, checked on the parsed
templates (with the default parameters and with the optional features on).
cfn-lint's own checks run in test_cfn_lint.py."""

import json
import re
import unittest

from cfn import (ECS, INFRASTRUCTURE, as_list, find_all, import_name, load_template,
                 resolve, resources_of_type, substitute_placeholders)

ALLOWED_TASK_ACTIONS = {
    "s3:PutObject", "s3:GetObject", "s3:DeleteObject", "s3:ListBucket",
    "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts",
}
KMS_ACTIONS = {"kms:Decrypt", "kms:GenerateDataKey"}
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
CERT_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
ECS_REQUIRED = {
    "ECRRepositoryUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-picture-gallery-repository",
    "ImageTag": "0123456789ab",
}


def ref(name):
    return {"Ref": name}


def getatt(resource, attribute):
    return {"Fn::GetAtt": [resource, attribute]}


class InfrastructureTemplate(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.raw = load_template(INFRASTRUCTURE)
        cls.t = resolve(cls.raw)
        cls.r = cls.t["Resources"]
        cls.kms = resolve(cls.raw, {"BucketEncryption": "SSE-KMS"})
        cls.ha = resolve(cls.raw, {"NatGateways": "per-az"})
        cls.lean = resolve(cls.raw, {"CreateInterfaceEndpoints": "false"})

    # ------------------------------------------------------------ network
    def test_two_availability_zones_public_and_private(self):
        subnets = resources_of_type(self.t, "AWS::EC2::Subnet")
        self.assertEqual(set(subnets), {"PublicSubnet1", "PublicSubnet2", "PrivateSubnet1", "PrivateSubnet2"})
        for name, subnet in subnets.items():
            index = int(name[-1]) - 1
            self.assertEqual(subnet["Properties"]["AvailabilityZone"],
                             {"Fn::Select": [index, {"Fn::GetAZs": ""}]}, name)
            self.assertIs(subnet["Properties"]["MapPublicIpOnLaunch"], False, name)

    def test_public_subnets_route_to_internet_gateway_private_to_nat(self):
        routes = resources_of_type(self.t, "AWS::EC2::Route")
        self.assertEqual(routes["PublicDefaultRoute"]["Properties"]["GatewayId"], ref("InternetGateway"))
        self.assertEqual(routes["PrivateDefaultRoute1"]["Properties"]["NatGatewayId"], ref("NatGateway1"))
        self.assertEqual(routes["PrivateDefaultRoute2"]["Properties"]["NatGatewayId"], ref("NatGateway1"))
        ha_routes = resources_of_type(self.ha, "AWS::EC2::Route")
        self.assertEqual(ha_routes["PrivateDefaultRoute2"]["Properties"]["NatGatewayId"], ref("NatGateway2"))
        self.assertEqual(len(resources_of_type(self.t, "AWS::EC2::NatGateway")), 1)
        self.assertEqual(len(resources_of_type(self.ha, "AWS::EC2::NatGateway")), 2)
        associations = {(a["Properties"]["SubnetId"]["Ref"], a["Properties"]["RouteTableId"]["Ref"])
                        for a in resources_of_type(self.t, "AWS::EC2::SubnetRouteTableAssociation").values()}
        self.assertEqual(associations, {("PublicSubnet1", "PublicRouteTable"), ("PublicSubnet2", "PublicRouteTable"),
                                        ("PrivateSubnet1", "PrivateRouteTable1"),
                                        ("PrivateSubnet2", "PrivateRouteTable2")})

    def test_vpc_endpoints(self):
        endpoints = resources_of_type(self.t, "AWS::EC2::VPCEndpoint")
        services = {}
        for endpoint in endpoints.values():
            p = endpoint["Properties"]
            service = p["ServiceName"]["Fn::Sub"].split("${AWS::Region}.")[1]
            services[service] = p
        self.assertEqual(services["s3"]["VpcEndpointType"], "Gateway")
        self.assertEqual(services["s3"]["RouteTableIds"], [ref("PrivateRouteTable1"), ref("PrivateRouteTable2")])
        for service in ("ecr.api", "ecr.dkr", "logs", "sts", "secretsmanager"):
            p = services[service]
            self.assertEqual(p["VpcEndpointType"], "Interface", service)
            self.assertIs(p["PrivateDnsEnabled"], True, service)
            self.assertEqual(p["SubnetIds"], [ref("PrivateSubnet1"), ref("PrivateSubnet2")], service)
        lean = {e["Properties"]["VpcEndpointType"]
                for e in resources_of_type(self.lean, "AWS::EC2::VPCEndpoint").values()}
        self.assertEqual(lean, {"Gateway"})

    # ------------------------------------------------------------ bucket
    def test_bucket_blocks_all_public_access(self):
        block = self.r["PictureBucket"]["Properties"]["PublicAccessBlockConfiguration"]
        self.assertEqual(block, {"BlockPublicAcls": True, "BlockPublicPolicy": True,
                                 "IgnorePublicAcls": True, "RestrictPublicBuckets": True})
        self.assertEqual(self.r["PictureBucket"]["Properties"]["OwnershipControls"],
                         {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
        self.assertNotIn("AccessControl", self.r["PictureBucket"]["Properties"])

    def test_bucket_policy_denies_requests_without_tls(self):
        policy = self.r["PictureBucketPolicy"]["Properties"]
        self.assertEqual(policy["Bucket"], ref("PictureBucket"))
        denies = [s for s in policy["PolicyDocument"]["Statement"]
                  if s["Effect"] == "Deny"
                  and s.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") in ("false", False)]
        self.assertEqual(len(denies), 1, "one Deny on aws:SecureTransport = false")
        deny = denies[0]
        self.assertEqual(deny["Principal"], "*")
        self.assertEqual(as_list(deny["Action"]), ["s3:*"])
        self.assertEqual(deny["Resource"], [getatt("PictureBucket", "Arn"), {"Fn::Sub": "${PictureBucket.Arn}/*"}])
        for statement in policy["PolicyDocument"]["Statement"]:
            self.assertEqual(statement["Effect"], "Deny", "the bucket policy grants nothing")

    def test_bucket_encrypted_by_default(self):
        rule, = self.r["PictureBucket"]["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        self.assertEqual(rule["ServerSideEncryptionByDefault"], {"SSEAlgorithm": "AES256"})
        rule, = self.kms["Resources"]["PictureBucket"]["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        self.assertEqual(rule["ServerSideEncryptionByDefault"],
                         {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": getatt("BucketKey", "Arn")})
        self.assertIs(rule["BucketKeyEnabled"], True)
        self.assertIs(self.kms["Resources"]["BucketKey"]["Properties"]["EnableKeyRotation"], True)
        self.assertIn("BucketKmsKeyArn", self.kms["Outputs"])
        self.assertNotIn("BucketKey", self.r)

    def test_bucket_versioning_and_lifecycle(self):
        p = self.r["PictureBucket"]["Properties"]
        self.assertEqual(p["VersioningConfiguration"], {"Status": "Enabled"})
        rules = p["LifecycleConfiguration"]["Rules"]
        abort = [r for r in rules if "AbortIncompleteMultipartUpload" in r]
        self.assertEqual(len(abort), 1)
        self.assertEqual(abort[0]["Status"], "Enabled")
        self.assertNotIn("Prefix", abort[0], "applies to the whole bucket")
        self.assertTrue(any("NoncurrentVersionExpiration" in r for r in rules))
        self.assertEqual(self.r["PictureBucket"]["DeletionPolicy"], "Retain")

    # ------------------------------------------------------------ registry
    def test_ecr_repository(self):
        repo = self.r["Repository"]["Properties"]
        self.assertEqual(self.raw["Parameters"]["RepositoryName"]["Default"], "my-picture-gallery-repository")
        self.assertEqual(repo["RepositoryName"], ref("RepositoryName"))
        self.assertEqual(repo["ImageScanningConfiguration"], {"ScanOnPush": True})
        self.assertEqual(repo["ImageTagMutability"], "IMMUTABLE")
        text = substitute_placeholders(repo["LifecyclePolicy"]["LifecyclePolicyText"]["Fn::Sub"])
        policy = json.loads(text.replace('"countNumber": sample', '"countNumber": 30'))
        statuses = [rule["selection"]["tagStatus"] for rule in policy["rules"]]
        self.assertEqual(statuses, ["untagged", "any"])
        self.assertEqual([rule["rulePriority"] for rule in policy["rules"]], [1, 2])

    # ------------------------------------------------------------ database
    def test_database_private_and_encrypted(self):
        db = self.r["Database"]
        p = db["Properties"]
        self.assertIs(p["PubliclyAccessible"], False)
        self.assertIs(p["StorageEncrypted"], True)
        self.assertEqual(p["Engine"], "postgres")
        self.assertEqual(p["VPCSecurityGroups"], [getatt("DatabaseSecurityGroup", "GroupId")])
        self.assertEqual(self.r["DatabaseSubnetGroup"]["Properties"]["SubnetIds"],
                         [ref("PrivateSubnet1"), ref("PrivateSubnet2")])
        self.assertEqual(db["DeletionPolicy"], "Snapshot")
        self.assertEqual(db["UpdateReplacePolicy"], "Snapshot")
        self.assertGreaterEqual(int(self.raw["Parameters"]["DatabaseBackupRetentionDays"]["Default"]), 7)

    def test_database_password_generated_in_secrets_manager(self):
        password = self.r["Database"]["Properties"]["MasterUserPassword"]
        self.assertEqual(password, {"Fn::Sub": "{{resolve:secretsmanager:${DatabaseSecret}:SecretString:password}}"})
        generate = self.r["DatabaseSecret"]["Properties"]["GenerateSecretString"]
        self.assertEqual(generate["GenerateStringKey"], "password")
        self.assertGreaterEqual(generate["PasswordLength"], 32)
        for forbidden in "/@\" ":
            self.assertIn(forbidden, generate["ExcludeCharacters"], "RDS refuses these in passwords")
        for name, spec in self.raw["Parameters"].items():
            self.assertNotIn("password", name.lower(), "no password parameters")
        self.assertEqual(self.r["DatabaseSecretAttachment"]["Properties"]["TargetId"], ref("Database"))

    # ------------------------------------------------------------ security groups
    def _ingress_rules(self, group):
        """Inline and separate ingress rules of a security group."""
        rules = list(self.r[group]["Properties"].get("SecurityGroupIngress", []))
        for resource in resources_of_type(self.t, "AWS::EC2::SecurityGroupIngress").values():
            if resource["Properties"]["GroupId"] == getatt(group, "GroupId"):
                rules.append(resource["Properties"])
        return rules

    def test_load_balancer_open_on_80_and_443_only(self):
        rules = self._ingress_rules("LoadBalancerSecurityGroup")
        self.assertEqual(sorted((r["FromPort"], r["ToPort"], r["CidrIp"]) for r in rules),
                         [(80, 80, "0.0.0.0/0"), (443, 443, "0.0.0.0/0")])
        egress, = self.r["LoadBalancerSecurityGroup"]["Properties"]["SecurityGroupEgress"]
        self.assertEqual(egress["DestinationSecurityGroupId"], getatt("TaskSecurityGroup", "GroupId"))
        self.assertEqual(egress["FromPort"], ref("ContainerPort"))

    def test_tasks_reachable_only_from_load_balancer(self):
        rules = self._ingress_rules("TaskSecurityGroup")
        self.assertEqual(len(rules), 1)
        rule, = rules
        self.assertEqual(rule["SourceSecurityGroupId"], getatt("LoadBalancerSecurityGroup", "GroupId"))
        self.assertEqual((rule["FromPort"], rule["ToPort"]), (ref("ContainerPort"), ref("ContainerPort")))
        self.assertNotIn("CidrIp", rule)
        self.assertNotIn("CidrIpv6", rule)

    def test_database_reachable_only_from_tasks(self):
        rules = self._ingress_rules("DatabaseSecurityGroup")
        self.assertEqual(len(rules), 1)
        rule, = rules
        self.assertEqual(rule["SourceSecurityGroupId"], getatt("TaskSecurityGroup", "GroupId"))
        self.assertEqual((rule["IpProtocol"], rule["FromPort"], rule["ToPort"]), ("tcp", 5432, 5432))
        self.assertNotIn("CidrIp", rule)
        egress, = self.r["DatabaseSecurityGroup"]["Properties"]["SecurityGroupEgress"]
        self.assertEqual(egress["CidrIp"], "127.0.0.1/32", "default allow-all egress replaced")

    def test_no_security_group_open_to_the_world_except_load_balancer(self):
        for name, group in resources_of_type(self.t, "AWS::EC2::SecurityGroup").items():
            if name == "LoadBalancerSecurityGroup":
                continue
            for rule in self._ingress_rules(name):
                self.assertNotIn(rule.get("CidrIp"), ("0.0.0.0/0",), name)
                self.assertNotIn(rule.get("CidrIpv6"), ("::/0",), name)

    # ------------------------------------------------------------ outputs
    def test_exports_named_after_the_stack(self):
        for name, output in self.t["Outputs"].items():
            if "Export" in output:
                self.assertEqual(output["Export"]["Name"], {"Fn::Sub": "${AWS::StackName}-" + name})


class EcsTemplate(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.raw = load_template(ECS)
        cls.t = resolve(cls.raw, ECS_REQUIRED)
        cls.r = cls.t["Resources"]
        cls.full = resolve(cls.raw, dict(ECS_REQUIRED, BucketKmsKeyArn=KEY_ARN, CertificateArn=CERT_ARN,
                                         AdminEmail="admin@example.org", AlarmEmail="ops@example.org",
                                         MaxUploadBytes="1073741824"))
        cls.infrastructure = load_template(INFRASTRUCTURE)

    def container(self, template=None):
        template = template or self.t
        container, = template["Resources"]["TaskDefinition"]["Properties"]["ContainerDefinitions"]
        return container

    def test_required_parameter_ecr_repository_uri(self):
        parameter = self.raw["Parameters"]["ECRRepositoryUri"]
        self.assertNotIn("Default", parameter)
        self.assertRegex(ECS_REQUIRED["ECRRepositoryUri"], parameter["AllowedPattern"])
        self.assertEqual(self.container()["Image"], {"Fn::Sub": "${ECRRepositoryUri}:${ImageTag}"})

    def test_every_import_is_exported_by_the_infrastructure_stack(self):
        exported = {name for name, output in self.infrastructure["Outputs"].items() if "Export" in output}
        imports = {import_name({"Fn::ImportValue": v}) for v in find_all(self.raw, "Fn::ImportValue")}
        self.assertTrue(imports)
        self.assertEqual(imports - exported, set())

    def test_cluster_container_insights(self):
        self.assertIn({"Name": "containerInsights", "Value": "enabled"},
                      self.r["Cluster"]["Properties"]["ClusterSettings"])

    # ------------------------------------------------------------ service
    def test_service_in_private_subnets_without_public_ip(self):
        p = self.r["Service"]["Properties"]
        network = p["NetworkConfiguration"]["AwsvpcConfiguration"]
        self.assertEqual(network["AssignPublicIp"], "DISABLED")
        self.assertEqual([import_name(s) for s in network["Subnets"]], ["PrivateSubnet1Id", "PrivateSubnet2Id"])
        self.assertEqual([import_name(s) for s in network["SecurityGroups"]], ["TaskSecurityGroupId"])
        self.assertEqual(p["LaunchType"], "FARGATE")

    def test_deployment_circuit_breaker_with_rollback_and_full_capacity(self):
        p = self.r["Service"]["Properties"]
        config = p["DeploymentConfiguration"]
        self.assertEqual(config["DeploymentCircuitBreaker"], {"Enable": True, "Rollback": True})
        self.assertEqual(config["MinimumHealthyPercent"], 100)
        self.assertGreaterEqual(config["MaximumPercent"], 200)
        self.assertEqual(config["Alarms"]["AlarmNames"], [ref("Error5xxAlarm")])
        self.assertIs(config["Alarms"]["Rollback"], True)
        self.assertGreater(p["HealthCheckGracePeriodSeconds"], 0)
        self.assertNotIn("DesiredCount", p, "autoscaling owns the count")

    def test_service_attached_to_target_group_after_listeners(self):
        p = self.r["Service"]["Properties"]
        lb, = p["LoadBalancers"]
        self.assertEqual(lb["TargetGroupArn"], ref("TargetGroup"))
        self.assertEqual(lb["ContainerName"], self.container()["Name"])
        self.assertEqual(self.r["Service"]["DependsOn"], "ListenersReady")
        metadata = self.full["Resources"]["ListenersReady"]["Metadata"]
        self.assertEqual(metadata, {"HttpListener": ref("HttpListener"), "HttpsListener": ref("HttpsListener")})

    # ------------------------------------------------------------ load balancer
    def test_target_group_health_check_and_draining(self):
        p = self.r["TargetGroup"]["Properties"]
        self.assertEqual(p["HealthCheckPath"], "/healthz")
        self.assertEqual(p["TargetType"], "ip")
        attributes = {a["Key"]: a["Value"] for a in p["TargetGroupAttributes"]}
        self.assertEqual(attributes["deregistration_delay.timeout_seconds"], ref("DeregistrationDelaySeconds"))
        self.assertGreaterEqual(self.raw["Parameters"]["DeregistrationDelaySeconds"]["Default"], 120)

    def test_load_balancer_idle_timeout_for_uploads(self):
        p = self.r["LoadBalancer"]["Properties"]
        self.assertEqual(p["Scheme"], "internet-facing")
        self.assertEqual([import_name(s) for s in p["Subnets"]], ["PublicSubnet1Id", "PublicSubnet2Id"])
        attributes = {a["Key"]: a["Value"] for a in p["LoadBalancerAttributes"]}
        self.assertEqual(attributes["idle_timeout.timeout_seconds"], ref("IdleTimeoutSeconds"))
        self.assertGreaterEqual(self.raw["Parameters"]["IdleTimeoutSeconds"]["Default"], 120)
        self.assertEqual(attributes["routing.http.drop_invalid_header_fields.enabled"], "true")

    def test_http_only_without_certificate(self):
        self.assertNotIn("HttpsListener", self.r)
        action, = self.r["HttpListener"]["Properties"]["DefaultActions"]
        self.assertEqual(action, {"Type": "forward", "TargetGroupArn": ref("TargetGroup")})

    def test_https_with_certificate_and_redirect(self):
        r = self.full["Resources"]
        https = r["HttpsListener"]["Properties"]
        self.assertEqual((https["Port"], https["Protocol"]), (443, "HTTPS"))
        self.assertEqual(https["Certificates"], [{"CertificateArn": ref("CertificateArn")}])
        self.assertTrue(https["SslPolicy"].startswith("ELBSecurityPolicy-TLS13-"))
        action, = r["HttpListener"]["Properties"]["DefaultActions"]
        self.assertEqual(action["Type"], "redirect")
        self.assertEqual(action["RedirectConfig"]["Protocol"], "HTTPS")
        self.assertEqual(action["RedirectConfig"]["StatusCode"], "HTTP_301")

    def test_alb_dns_name_output(self):
        self.assertEqual(self.t["Outputs"]["ALBDNSName"]["Value"], getatt("LoadBalancer", "DNSName"))

    # ------------------------------------------------------------ task
    def test_task_definition_fargate(self):
        p = self.r["TaskDefinition"]["Properties"]
        self.assertEqual(p["NetworkMode"], "awsvpc")
        self.assertEqual(p["RequiresCompatibilities"], ["FARGATE"])
        self.assertEqual((p["Cpu"], p["Memory"]), (ref("ContainerCpu"), ref("ContainerMemory")))
        self.assertEqual(p["ExecutionRoleArn"], getatt("ExecutionRole", "Arn"))
        self.assertEqual(p["TaskRoleArn"], getatt("TaskRole", "Arn"))

    def test_container_hardening(self):
        c = self.container()
        self.assertIs(c["ReadonlyRootFilesystem"], True)
        user = c["User"].split(":")[0]
        self.assertNotIn(user, ("0", "root"))
        mounts = {m["ContainerPath"]: m["SourceVolume"] for m in c["MountPoints"]}
        self.assertEqual(set(mounts), {"/var/lib/gallery", "/tmp"})
        volumes = {v["Name"]: v for v in self.r["TaskDefinition"]["Properties"]["Volumes"]}
        for volume in mounts.values():
            self.assertEqual(volumes[volume], {"Name": volume}, "task-local (ephemeral) bind mount")
        self.assertIs(c["LinuxParameters"]["InitProcessEnabled"], True)

    def test_container_health_check(self):
        check = self.container()["HealthCheck"]
        # "gallery healthcheck" asks GET /healthz on GALLERY_LISTEN.
        self.assertEqual(check["Command"], ["CMD", "gallery", "healthcheck"])
        self.assertGreater(check["StartPeriod"], 0)

    def test_shutdown_grace_within_stop_timeout(self):
        c = self.container()
        environment = {e["Name"]: e["Value"] for e in c["Environment"]}
        grace = int(environment["GALLERY_SHUTDOWN_GRACE"].rstrip("s"))
        self.assertLess(grace, c["StopTimeout"])
        self.assertLessEqual(c["StopTimeout"], 120, "Fargate's maximum")

    def test_configuration_environment(self):
        environment = {e["Name"]: e["Value"] for e in self.container()["Environment"]}
        self.assertEqual(environment["GALLERY_STORAGE"], "s3")
        self.assertEqual(environment["GALLERY_TRUSTED_PROXY_HOPS"], "1")
        self.assertEqual(environment["GALLERY_DATA_DIR"], "/var/lib/gallery")
        self.assertEqual(import_name(environment["GALLERY_S3_BUCKET"]), "BucketName")
        self.assertEqual(environment["GALLERY_S3_PREFIX"], ref("S3Prefix"))
        self.assertEqual(environment["GALLERY_S3_REGION"], ref("AWS::Region"))
        self.assertTrue(environment["GALLERY_LISTEN"]["Fn::Sub"][0].startswith("0.0.0.0:"))
        url = environment["GALLERY_DATABASE_URL"]["Fn::Sub"][0]
        self.assertEqual(url, "postgres://${User}@${Host}:${Port}/${Database}", "no password in the URL")
        for name in environment:
            self.assertNotIn("PASSWORD", name, "passwords only as secrets")

    def test_database_password_as_secret(self):
        secrets = {s["Name"]: s["ValueFrom"] for s in self.container()["Secrets"]}
        self.assertEqual(set(secrets), {"GALLERY_DATABASE_PASSWORD"})
        template, mapping = secrets["GALLERY_DATABASE_PASSWORD"]["Fn::Sub"]
        self.assertEqual(template, "${SecretArn}:password::")
        self.assertEqual(import_name(mapping["SecretArn"]), "DatabaseSecretArn")
        full = {s["Name"]: s["ValueFrom"] for s in self.container(self.full)["Secrets"]}
        self.assertEqual(full["GALLERY_ADMIN_PASSWORD"], ref("AdminPasswordSecret"))

    def test_logs_with_retention(self):
        log_group = self.r["LogGroup"]["Properties"]
        self.assertEqual(log_group["RetentionInDays"], ref("LogRetentionDays"))
        self.assertIn(self.raw["Parameters"]["LogRetentionDays"]["Default"],
                      self.raw["Parameters"]["LogRetentionDays"]["AllowedValues"])
        logging = self.container()["LogConfiguration"]
        self.assertEqual(logging["LogDriver"], "awslogs")
        self.assertEqual(logging["Options"]["awslogs-group"], ref("LogGroup"))

    # ------------------------------------------------------------ IAM
    def _statements(self, template, role):
        statements = []
        properties = template["Resources"][role]["Properties"]
        self.assertNotIn("ManagedPolicyArns", properties, f"{role}: only inline, reviewed policies")
        for policy in properties["Policies"]:
            statements.extend(policy["PolicyDocument"]["Statement"])
        return statements

    def _assert_task_role_limited(self, template):
        statements = self._statements(template, "TaskRole")
        self.assertTrue(statements)
        for statement in statements:
            self.assertEqual(statement["Effect"], "Allow")
            self.assertNotIn("NotAction", statement)
            self.assertNotIn("NotResource", statement)
            actions = set(as_list(statement["Action"]))
            for action in actions:
                self.assertNotIn("*", action, "no wildcard actions")
            self.assertLessEqual(actions, ALLOWED_TASK_ACTIONS | KMS_ACTIONS)
            for resource in as_list(statement["Resource"]):
                self.assertNotEqual(resource, "*", "no '*' resources")
                if actions & KMS_ACTIONS:
                    self.assertEqual(resource, ref("BucketKmsKeyArn"))
                elif actions == {"s3:ListBucket"}:
                    self.assertEqual(import_name(resource), "BucketArn")
                else:
                    template_string, mapping = resource["Fn::Sub"]
                    self.assertEqual(template_string, "${BucketArn}/${S3Prefix}*")
                    self.assertEqual(import_name(mapping["BucketArn"]), "BucketArn")
        return statements

    def test_task_role_only_the_bucket(self):
        statements = self._assert_task_role_limited(self.t)
        granted = set()
        for statement in statements:
            granted |= set(as_list(statement["Action"]))
        self.assertEqual(granted, ALLOWED_TASK_ACTIONS, "no kms without SSE-KMS")
        listing, = [s for s in statements if as_list(s["Action"]) == ["s3:ListBucket"]]
        self.assertEqual(listing["Condition"], {"StringLike": {"s3:prefix": {"Fn::Sub": "${S3Prefix}*"}}})

    def test_task_role_kms_only_with_sse_kms(self):
        statements = self._assert_task_role_limited(self.full)
        kms, = [s for s in statements if set(as_list(s["Action"])) & KMS_ACTIONS]
        self.assertEqual(set(kms["Action"]), KMS_ACTIONS)
        self.assertEqual(kms["Condition"]["StringEquals"]["kms:ViaService"], {"Fn::Sub": "s3.${AWS::Region}.amazonaws.com"})

    def test_task_role_without_prefix_still_only_the_bucket(self):
        template = resolve(self.raw, dict(ECS_REQUIRED, S3Prefix=""))
        statements = self._assert_task_role_limited(template)
        listing, = [s for s in statements if as_list(s["Action"]) == ["s3:ListBucket"]]
        self.assertNotIn("Condition", listing)

    def test_roles_assumable_only_by_ecs_tasks_of_this_account(self):
        for role in ("TaskRole", "ExecutionRole"):
            statement, = self.r[role]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
            self.assertEqual(statement["Principal"], {"Service": "ecs-tasks.amazonaws.com"})
            self.assertEqual(statement["Condition"]["StringEquals"]["aws:SourceAccount"], ref("AWS::AccountId"))

    def test_execution_role_least_privilege(self):
        statements = self._statements(self.full, "ExecutionRole")
        for statement in statements:
            actions = set(as_list(statement["Action"]))
            resources = as_list(statement["Resource"])
            if "*" in resources:
                self.assertEqual(actions, {"ecr:GetAuthorizationToken"}, "only the token call has no resource")
            if actions == {"secretsmanager:GetSecretValue"}:
                self.assertEqual(import_name(resources[0]), "DatabaseSecretArn")
                self.assertEqual(resources[1:], [ref("AdminPasswordSecret")])
        all_actions = set().union(*(set(as_list(s["Action"])) for s in statements))
        self.assertEqual(all_actions, {"ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability",
                                       "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
                                       "logs:CreateLogStream", "logs:PutLogEvents",
                                       "secretsmanager:GetSecretValue"})

    # ------------------------------------------------------------ scaling and alarms
    def test_autoscaling_on_cpu_and_requests(self):
        target = self.r["ScalableTarget"]["Properties"]
        self.assertEqual((target["MinCapacity"], target["MaxCapacity"]), (ref("MinTasks"), ref("MaxTasks")))
        metrics = {p["Properties"]["TargetTrackingScalingPolicyConfiguration"]["PredefinedMetricSpecification"]["PredefinedMetricType"]
                   for p in resources_of_type(self.t, "AWS::ApplicationAutoScaling::ScalingPolicy").values()}
        self.assertEqual(metrics, {"ECSServiceAverageCPUUtilization", "ALBRequestCountPerTarget"})

    def test_alarms(self):
        alarms = resources_of_type(self.t, "AWS::CloudWatch::Alarm")
        expression = alarms["Error5xxAlarm"]["Properties"]["Metrics"][0]["Expression"]
        self.assertIn("target5xx", expression)
        self.assertIn("lb5xx", expression)
        self.assertEqual(alarms["UnhealthyTargetsAlarm"]["Properties"]["MetricName"], "UnHealthyHostCount")
        for name, alarm in alarms.items():
            self.assertEqual(alarm["Properties"]["AlarmActions"], [ref("AlarmTopic")], name)

    def test_dashboard_is_valid_json_with_gallery_metrics(self):
        body_template, _ = self.r["Dashboard"]["Properties"]["DashboardBody"]["Fn::Sub"]
        body = json.loads(substitute_placeholders(body_template))
        text = json.dumps(body)
        for needle in ("PictureGallery", "RequestCount", "RequestLatency", "UploadCount", "AWS/ApplicationELB",
                       "AWS/ECS", "AWS/RDS"):
            self.assertIn(needle, text)
        placeholders = set(re.findall(r"\$\{([^}]+)\}", body_template))
        resources = set(self.raw["Resources"])
        for placeholder in placeholders:
            name = placeholder.split(".")[0]
            self.assertTrue(name.startswith("AWS::") or name in resources
                            or name in ("ServiceName", "DatabaseInstanceId", "TargetGroupFullName"), placeholder)


if __name__ == "__main__":
    unittest.main()
