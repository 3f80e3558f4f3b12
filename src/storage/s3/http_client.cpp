#include "storage/s3/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <string>
#include <vector>

namespace gallery::storage::s3 {
namespace {

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string Trim(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return std::string(text.substr(begin, end - begin));
}

struct Exchange {
  HttpBody* body = nullptr;
  Status body_error;
  HttpResponse response;
};

size_t OnRead(char* buffer, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  Result<size_t> n = exchange->body->Read(buffer, size * count);
  if (!n.ok()) {
    exchange->body_error = n.status();
    return CURL_READFUNC_ABORT;
  }
  return *n;
}

int OnSeek(void* user, curl_off_t offset, int origin) {
  auto* exchange = static_cast<Exchange*>(user);
  // curl only rewinds to the start (to resend after a redirect or an
  // authentication round); anything else is not supported.
  if (origin != SEEK_SET || offset != 0) return CURL_SEEKFUNC_CANTSEEK;
  Status status = exchange->body->Rewind();
  if (!status.ok()) {
    exchange->body_error = status;
    return CURL_SEEKFUNC_FAIL;
  }
  return CURL_SEEKFUNC_OK;
}

size_t OnWrite(char* data, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  exchange->response.body.append(data, size * count);
  return size * count;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    // A new response starts (e.g. after "100 Continue"): forget the last.
    exchange->response.headers.clear();
    return line.size();
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return line.size();
  std::string name = Trim(line.substr(0, colon));
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  exchange->response.headers.emplace_back(std::move(name), Trim(line.substr(colon + 1)));
  return line.size();
}

bool IsRetryable(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(const CurlHttpClientOptions& options) : options_(options) {
    InitCurlOnce();
  }

  ~CurlHttpClient() override {
    for (CURL* handle : idle_) curl_easy_cleanup(handle);
  }

  HttpOutcome Send(const HttpRequest& request, const HttpTimeouts& timeouts) override {
    CURL* handle = Acquire();
    HttpOutcome outcome = Perform(handle, request, timeouts);
    Release(handle);
    return outcome;
  }

 private:
  CURL* Acquire() {
    {
      std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        CURL* handle = idle_.back();
        idle_.pop_back();
        return handle;
      }
    }
    return curl_easy_init();
  }

  void Release(CURL* handle) {
    // Reset forgets the options but keeps the open connections.
    curl_easy_reset(handle);
    std::lock_guard lock(mu_);
    if (idle_.size() < options_.max_idle_handles) {
      idle_.push_back(handle);
      return;
    }
    curl_easy_cleanup(handle);
  }

  HttpOutcome Perform(CURL* handle, const HttpRequest& request, const HttpTimeouts& timeouts) {
    HttpOutcome outcome;
    if (handle == nullptr) {
      outcome.error = Status::Internal("curl_easy_init failed");
      return outcome;
    }
    Exchange exchange;
    exchange.body = request.body;

    curl_slist* headers = nullptr;
    for (const auto& [name, value] : request.headers) {
      // "Name;" is curl's way to send a header with an empty value.
      const std::string line = value.empty() ? name + ";" : name + ": " + value;
      headers = curl_slist_append(headers, line.c_str());
    }
    // No "Expect: 100-continue" round trip before large bodies.
    headers = curl_slist_append(headers, "Expect:");

    curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
    // S3 object keys are taken literally: "a/../b" is not "b".
    curl_easy_setopt(handle, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(handle, CURLOPT_TCP_KEEPALIVE, 1L);
    // 0 would mean "no timeout" to curl: never pass it.
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                     std::max<long>(1, static_cast<long>(timeouts.connect.count())));
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS,
                     std::max<long>(1, static_cast<long>(timeouts.total.count())));
    curl_easy_setopt(handle, CURLOPT_BUFFERSIZE, 256L * 1024);
    curl_easy_setopt(handle, CURLOPT_UPLOAD_BUFFERSIZE, 256L * 1024);
    if (!options_.use_environment_proxy) curl_easy_setopt(handle, CURLOPT_NOPROXY, "*");
    if (!options_.ca_file.empty())
      curl_easy_setopt(handle, CURLOPT_CAINFO, options_.ca_file.c_str());
    char error_detail[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_detail);
    curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(handle, CURLOPT_HEADERDATA, &exchange);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, OnWrite);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &exchange);

    if (request.method == "HEAD") {
      curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
    } else if (request.body != nullptr) {
      curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(handle, CURLOPT_INFILESIZE_LARGE,
                       static_cast<curl_off_t>(request.body->size()));
      curl_easy_setopt(handle, CURLOPT_READFUNCTION, OnRead);
      curl_easy_setopt(handle, CURLOPT_READDATA, &exchange);
      curl_easy_setopt(handle, CURLOPT_SEEKFUNCTION, OnSeek);
      curl_easy_setopt(handle, CURLOPT_SEEKDATA, &exchange);
      if (request.method != "PUT") {
        curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
      }
    } else if (request.method != "GET") {
      curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }

    Status rewind = request.body != nullptr ? request.body->Rewind() : Status::Ok();
    CURLcode code = CURLE_OK;
    if (rewind.ok()) code = curl_easy_perform(handle);
    curl_slist_free_all(headers);

    if (!rewind.ok()) {
      outcome.error = rewind;
    } else if (!exchange.body_error.ok()) {
      outcome.error = exchange.body_error.WithContext("reading the body of " + request.method +
                                                      " " + request.url);
    } else if (code != CURLE_OK) {
      std::string what = request.method + " " + request.url + ": " + curl_easy_strerror(code);
      if (error_detail[0] != '\0') what.append(" (").append(error_detail).append(")");
      outcome.error =
          code == CURLE_OPERATION_TIMEDOUT
              ? Status(ErrorCode::kTimeout,
                       what + " (connect timeout " + std::to_string(timeouts.connect.count()) +
                           " ms, total " + std::to_string(timeouts.total.count()) + " ms)")
              : Status::Unavailable(what);
      outcome.retryable = IsRetryable(code);
    } else {
      curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &exchange.response.status);
      outcome.response = std::move(exchange.response);
    }
    return outcome;
  }

  const CurlHttpClientOptions options_;
  std::mutex mu_;
  std::vector<CURL*> idle_;  // GUARDED_BY(mu_)
};

}  // namespace

std::optional<std::string_view> HttpResponse::Header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return std::string_view(value);
  }
  return std::nullopt;
}

std::unique_ptr<HttpClient> NewCurlHttpClient(const CurlHttpClientOptions& options) {
  return std::make_unique<CurlHttpClient>(options);
}

}  // namespace gallery::storage::s3
