#include "storage/s3/credentials_profile.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "storage/s3/aws_config_file.hpp"

namespace gallery::storage::s3 {
namespace {

std::string ReadIfPresent(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::filesystem::path ExpandHome(const std::string& path, const EnvLookup& env) {
  if (path == "~" || path.starts_with("~/")) {
    return std::filesystem::path(env("HOME").value_or("")) /
           path.substr(std::min<size_t>(2, path.size()));
  }
  return path;
}

}  // namespace

Result<Credentials> ProfileCredentialsProvider::GetCredentials() {
  const auto explicit_profile =
      env_("AWS_PROFILE") ? env_("AWS_PROFILE") : env_("AWS_DEFAULT_PROFILE");
  const std::string profile = explicit_profile.value_or("default");
  const std::filesystem::path credentials_path =
      ExpandHome(env_("AWS_SHARED_CREDENTIALS_FILE").value_or("~/.aws/credentials"), env_);
  const std::filesystem::path config_path =
      ExpandHome(env_("AWS_CONFIG_FILE").value_or("~/.aws/config"), env_);
  const std::string where = "shared files (profile \"" + profile + "\" in " +
                            credentials_path.string() + ", " + config_path.string() + ")";

  const AwsProfiles from_credentials =
      ParseAwsSharedFile(ReadIfPresent(credentials_path), AwsFileKind::kCredentials);
  const AwsProfiles from_config =
      ParseAwsSharedFile(ReadIfPresent(config_path), AwsFileKind::kConfig);
  const auto in_credentials = from_credentials.find(profile);
  const auto in_config = from_config.find(profile);
  if (in_credentials == from_credentials.end() && in_config == from_config.end()) {
    if (explicit_profile) return Status::InvalidArgument(where + ": the profile does not exist");
    return Status::NotFound(where + ": no such profile");
  }

  // The credentials file's section wins when it has a key id.
  const std::map<std::string, std::string>* settings = nullptr;
  if (in_credentials != from_credentials.end() &&
      in_credentials->second.contains("aws_access_key_id")) {
    settings = &in_credentials->second;
  } else if (in_config != from_config.end() && in_config->second.contains("aws_access_key_id")) {
    settings = &in_config->second;
  }
  if (settings == nullptr) {
    for (const auto* section :
         {in_credentials != from_credentials.end() ? &in_credentials->second : nullptr,
          in_config != from_config.end() ? &in_config->second : nullptr}) {
      if (section == nullptr) continue;
      for (const char* unsupported : {"role_arn", "credential_process", "sso_session",
                                      "sso_start_url", "web_identity_token_file"}) {
        if (section->contains(unsupported)) {
          return Status::InvalidArgument(where + ": uses " + unsupported +
                                         ", which is not supported here; use static keys, or the "
                                         "AWS_ROLE_ARN/AWS_WEB_IDENTITY_TOKEN_FILE variables, or a "
                                         "container or instance role");
        }
      }
    }
    return Status::NotFound(where + ": no aws_access_key_id");
  }
  const auto secret = settings->find("aws_secret_access_key");
  if (secret == settings->end() || secret->second.empty()) {
    return Status::InvalidArgument(where + ": aws_access_key_id without aws_secret_access_key");
  }
  Credentials credentials;
  credentials.access_key_id = settings->at("aws_access_key_id");
  credentials.secret_access_key = secret->second;
  if (const auto token = settings->find("aws_session_token"); token != settings->end()) {
    credentials.session_token = token->second;
  }
  return credentials;
}

}  // namespace gallery::storage::s3
