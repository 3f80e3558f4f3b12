#include "storage/s3/moto_world_testing.hpp"

#include <nlohmann/json.hpp>

namespace gallery::storage::s3::testing {
namespace {

// Exactly these requests run before IAM is enforced.
constexpr int kSetupRequests = 7;

constexpr std::string_view kSetupScript = R"py(
import json, sys
import boto3
endpoint, bucket, store_policy = sys.argv[1:4]
session = dict(endpoint_url=endpoint, region_name="us-east-1",
               aws_access_key_id="AKIASETUPSETUPSETUP0", aws_secret_access_key="setup" * 8)
s3 = boto3.client("s3", **session)
iam = boto3.client("iam", **session)
s3.create_bucket(Bucket=bucket)                                          # 1
out = {}
for user, policy in (("store", store_policy),
                     ("admin", json.dumps({"Version": "2012-10-17", "Statement": [
                         {"Effect": "Allow", "Action": "*", "Resource": "*"}]}))):
    iam.create_user(UserName=user)                                       # 2, 5
    key = iam.create_access_key(UserName=user)["AccessKey"]              # 3, 6
    iam.put_user_policy(UserName=user, PolicyName=user, PolicyDocument=policy)  # 4, 7
    out[user] = {"id": key["AccessKeyId"], "secret": key["SecretAccessKey"]}
print(json.dumps(out))
)py";

Result<std::unique_ptr<MotoWorld>> StartWorld() {
  auto world = std::make_unique<MotoWorld>();
  world->bucket = "gallery-test";
  world->allowed_prefix = "gallery/";
  MotoServerOptions options;
  options.initial_no_auth_action_count = kSetupRequests;
  Result<std::unique_ptr<MotoServer>> server = MotoServer::Start(options);
  if (!server.ok()) return server.status();
  world->server = std::move(server).value();
  Result<ProcessResult> setup =
      RunPython(kSetupScript, {world->server->endpoint(), world->bucket,
                               StorePolicyJson(world->bucket, world->allowed_prefix)});
  if (!setup.ok()) return setup.status();
  if (setup->exit_code != 0) {
    return Status::Unavailable("moto setup through boto3 failed: " + setup->err);
  }
  const nlohmann::json keys = nlohmann::json::parse(setup->out, nullptr, false);
  if (!keys.is_object()) return Status::Unavailable("moto setup printed " + setup->out);
  world->store_credentials = {keys["store"]["id"], keys["store"]["secret"], "", {}};
  world->admin_credentials = {keys["admin"]["id"], keys["admin"]["secret"], "", {}};
  return world;
}

}  // namespace

std::string StorePolicyJson(std::string_view bucket, std::string_view prefix) {
  const auto statements = [](const std::string& bucket_arn, const std::string& prefix) {
    nlohmann::json list = {
        {"Effect", "Allow"}, {"Action", "s3:ListBucket"}, {"Resource", bucket_arn}};
    if (!prefix.empty()) {
      list["Condition"] = {{"StringLike", {{"s3:prefix", {prefix + "*"}}}}};
    }
    return nlohmann::json::array(
        {list,
         {{"Effect", "Allow"},
          {"Action",
           {"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"}},
          {"Resource", bucket_arn + "/" + prefix + "*"}}});
  };
  const nlohmann::json all = statements("arn:aws:s3:::" + std::string(bucket), std::string(prefix));
  return nlohmann::json{{"Version", "2012-10-17"}, {"Statement", all}}.dump();
}

Result<MotoWorld*> SharedMotoWorldWithIam() {
  static Result<std::unique_ptr<MotoWorld>> world = StartWorld();
  if (!world.ok()) return world.status();
  return world->get();
}

Result<MotoServer*> SharedMotoWithoutIam() {
  static Result<std::unique_ptr<MotoServer>> server = MotoServer::Start({});
  if (!server.ok()) return server.status();
  return server->get();
}

Result<ProcessResult> RunPython(std::string_view script, const std::vector<std::string>& args,
                                std::chrono::milliseconds timeout) {
  const std::optional<std::filesystem::path> python = FindOnPath("python3");
  if (!python) return Status::Unavailable("python3 is not on PATH");
  std::vector<std::string> argv = {python->string(), "-c", std::string(script)};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcessOptions options;
  options.argv = std::move(argv);
  options.env = {{"AWS_CONFIG_FILE", "/dev/null"},
                 {"AWS_SHARED_CREDENTIALS_FILE", "/dev/null"},
                 {"AWS_EC2_METADATA_DISABLED", "true"}};
  options.unset_env = {
      "AWS_PROFILE",           "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",   "AWS_ENDPOINT_URL",
      "AWS_ENDPOINT_URL_S3",   "AWS_ROLE_ARN",        "AWS_WEB_IDENTITY_TOKEN_FILE"};
  return RunProcess(std::move(options), timeout);
}

}  // namespace gallery::storage::s3::testing
