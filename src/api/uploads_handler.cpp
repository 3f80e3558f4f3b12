#include "api/uploads_handler.hpp"

#include <boost/beast/core/string.hpp>
#include <map>
#include <optional>

#include "api/authenticate.hpp"
#include "api/authenticated.hpp"
#include "api/tus_headers.hpp"
#include "common/log.hpp"
#include "common/time.hpp"
#include "http/offload.hpp"
#include "http/problem.hpp"
#include "http/responses.hpp"

namespace gallery::api {
namespace {

namespace asio = boost::asio;
namespace field = boost::beast::http;
using http::HttpStatus;
using http::Request;
using http::Response;

constexpr std::string_view kExtensions = "creation,termination,checksum,expiration";
constexpr std::string_view kChecksumAlgorithms = "sha1,sha256";
constexpr std::string_view kUploadsPath = "/api/v1/uploads";

// The headers every tus answer carries, errors included.
Response Tus(Response r) {
  r.msg.set("Tus-Resumable", std::string(kTusVersion));
  r.msg.set(field::field::cache_control, "no-store");
  return r;
}

Response Problem(const Status& s, const Request& req) {
  Response r = Tus(http::ProblemResponse(s, req));
  if (s.code() == ErrorCode::kPreconditionFailed)
    r.msg.set("Tus-Version", std::string(kTusVersion));
  return r;
}

// Every request but OPTIONS names the protocol version it speaks.
Status CheckTusResumable(const Request& req) {
  const std::string version = req.Header("Tus-Resumable");
  if (version == kTusVersion) return Status::Ok();
  return Status(ErrorCode::kPreconditionFailed, "Tus-Resumable: " + version,
                version.empty() ? "Send Tus-Resumable: 1.0.0 (this server speaks tus 1.0.0)"
                                : "Tus-Resumable " + version + " is not supported; use 1.0.0");
}

// The headers that describe an upload's state.
void SetUploadHeaders(Response& r, const service::UploadStatus& upload) {
  r.msg.set("Upload-Offset", std::to_string(upload.offset));
  r.msg.set("Upload-Expires", FormatHttpDate(upload.expires_at));
  if (upload.photo_id) r.msg.set("X-Photo-Id", *upload.photo_id);
}

storage::UploadBytes BodyBytes(const Request& req) {
  if (req.body_file) return storage::UploadBytes::InFile(req.body_file->path(), req.body_size);
  return storage::UploadBytes::InMemory(req.body);
}

// Errors of a HEAD that a tus client can only act on by starting over
// (tus-js-client creates a new upload after any HEAD failure but 423): when
// the cause may pass (a backend down, the image pool full while the photo
// is made), say "locked, retry" instead.
Status ForHead(const Status& s) {
  switch (s.code()) {
    case ErrorCode::kOverloaded:
    case ErrorCode::kUnavailable:
    case ErrorCode::kTimeout:
    case ErrorCode::kIoError:
    case ErrorCode::kInternal:
      return Status(ErrorCode::kLocked, s.message(),
                    "The upload is complete and its photo is not made yet; retry shortly");
    default:
      return s;
  }
}

class UploadHandlers {
 public:
  explicit UploadHandlers(ApiContext& ctx) : ctx_(ctx) {}

  asio::awaitable<Response> Options(Request&) {
    Response r = Tus(http::EmptyResponse(HttpStatus::no_content));
    r.msg.set("Tus-Version", std::string(kTusVersion));
    r.msg.set("Tus-Extension", std::string(kExtensions));
    r.msg.set("Tus-Max-Size", std::to_string(ctx_.uploads.options().max_upload_bytes));
    r.msg.set("Tus-Checksum-Algorithm", std::string(kChecksumAlgorithms));
    co_return r;
  }

  asio::awaitable<Response> Create(Request& req) {
    if (Status s = CheckTusResumable(req); !s.ok()) co_return Problem(s, req);
    Result<std::string> caller = co_await CallerUserId(ctx_, req);
    if (!caller.ok()) co_return Problem(caller.status(), req);
    if (!req.Header("Upload-Defer-Length").empty()) {
      co_return Problem(Status(ErrorCode::kInvalidArgument, "deferred length",
                               "Upload-Defer-Length is not supported: send Upload-Length"),
                        req);
    }
    if (req.body_size > 0) {
      co_return Problem(Status(ErrorCode::kInvalidArgument, "creation with upload",
                               "Create the upload without a body, then PATCH the bytes"),
                        req);
    }
    Result<uint64_t> length = ParseTusInteger("Upload-Length", req.Header("Upload-Length"));
    if (!length.ok()) co_return Problem(length.status(), req);
    Result<std::map<std::string, std::string>> metadata =
        ParseUploadMetadata(req.Header("Upload-Metadata"));
    if (!metadata.ok()) co_return Problem(metadata.status(), req);
    // tus-js-client and Uppy send "filename" (Uppy also "name").
    std::string filename;
    if (auto it = metadata->find("filename"); it != metadata->end()) {
      filename = it->second;
    } else if (auto name = metadata->find("name"); name != metadata->end()) {
      filename = name->second;
    }
    const service::NewUpload upload{*caller, *length, filename};
    Result<service::UploadStatus> created = co_await http::Offload(
        ctx_.blocking, [this, &upload] { return ctx_.uploads.Create(upload); });
    if (!created.ok()) co_return Problem(created.status(), req);
    Response r = Tus(http::EmptyResponse(HttpStatus::created));
    r.msg.set(field::field::location, std::string(kUploadsPath) + "/" + created->id);
    r.msg.set("Upload-Expires", FormatHttpDate(created->expires_at));
    co_return r;
  }

  asio::awaitable<Response> Head(Request& req) {
    if (Status s = CheckTusResumable(req); !s.ok()) co_return Problem(s, req);
    Result<std::string> caller = co_await CallerUserId(ctx_, req);
    if (!caller.ok()) co_return Problem(caller.status(), req);
    const std::string id = req.PathParam("id");
    const std::string& owner = *caller;
    Result<service::UploadStatus> upload = co_await http::Offload(
        ctx_.blocking, [this, &owner, &id] { return ctx_.uploads.Get(owner, id); });
    if (!upload.ok()) co_return Problem(ForHead(upload.status()), req);
    Response r = Tus(http::EmptyResponse(HttpStatus::ok));
    SetUploadHeaders(r, *upload);
    r.msg.set("Upload-Length", std::to_string(upload->length));
    if (!upload->filename.empty()) {
      r.msg.set("Upload-Metadata", FormatUploadMetadata(upload->filename));
    }
    co_return r;
  }

  asio::awaitable<Response> Patch(Request& req) {
    if (Status s = CheckTusResumable(req); !s.ok()) co_return Problem(s, req);
    Result<std::string> caller = co_await CallerUserId(ctx_, req);
    if (!caller.ok()) co_return Problem(caller.status(), req);
    const std::string content_type = req.Header("Content-Type");
    if (!boost::beast::iequals(content_type, "application/offset+octet-stream")) {
      co_return Problem(Status(ErrorCode::kUnsupportedMediaType, "PATCH of " + content_type,
                               "Send the bytes as Content-Type: application/offset+octet-stream"),
                        req);
    }
    Result<uint64_t> offset = ParseTusInteger("Upload-Offset", req.Header("Upload-Offset"));
    if (!offset.ok()) co_return Problem(offset.status(), req);
    service::UploadChunk chunk;
    chunk.offset = *offset;
    chunk.bytes = BodyBytes(req);
    chunk.complete = req.body_complete;
    if (std::string checksum = req.Header("Upload-Checksum"); !checksum.empty()) {
      Result<service::ChunkChecksum> parsed = ParseUploadChecksum(checksum);
      if (!parsed.ok()) co_return Problem(parsed.status(), req);
      chunk.checksum = std::move(parsed).value();
    }
    const std::string id = req.PathParam("id");
    const std::string& owner = *caller;
    Result<service::UploadStatus> upload = co_await http::Offload(
        ctx_.blocking,
        [this, &owner, &id, &chunk] { return ctx_.uploads.Append(owner, id, chunk); });
    if (!upload.ok()) {
      if (!req.body_complete) {
        LogInfo("broken-off chunk not kept",
                {{"request_id", req.request_id}, {"error", upload.status().message()}});
      }
      co_return Problem(upload.status(), req);
    }
    Response r = Tus(http::EmptyResponse(HttpStatus::no_content));
    SetUploadHeaders(r, *upload);
    if (upload->photo_id) r.msg.set("X-Photo-Duplicate", upload->duplicate ? "true" : "false");
    co_return r;
  }

  asio::awaitable<Response> Terminate(Request& req) {
    if (Status s = CheckTusResumable(req); !s.ok()) co_return Problem(s, req);
    Result<std::string> caller = co_await CallerUserId(ctx_, req);
    if (!caller.ok()) co_return Problem(caller.status(), req);
    const std::string id = req.PathParam("id");
    const std::string& owner = *caller;
    Status s = co_await http::Offload(
        ctx_.blocking, [this, &owner, &id] { return ctx_.uploads.Terminate(owner, id); });
    if (!s.ok()) co_return Problem(s, req);
    co_return Tus(http::EmptyResponse(HttpStatus::no_content));
  }

  // tus core: a POST with X-HTTP-Method-Override is that method (for
  // clients behind proxies that drop PATCH or DELETE).
  asio::awaitable<Response> Override(Request& req) {
    const std::string method = req.Header("X-HTTP-Method-Override");
    if (boost::beast::iequals(method, "PATCH")) co_return co_await Patch(req);
    if (boost::beast::iequals(method, "DELETE")) co_return co_await Terminate(req);
    if (boost::beast::iequals(method, "HEAD")) co_return co_await Head(req);
    co_return Problem(Status(ErrorCode::kInvalidArgument, "POST to an upload",
                             "POST to an upload needs X-HTTP-Method-Override: PATCH, DELETE or "
                             "HEAD"),
                      req);
  }

 private:
  ApiContext& ctx_;
};

}  // namespace

asio::awaitable<Result<std::string>> CallerUserId(ApiContext& ctx, const Request& req) {
  Result<Principal> who = co_await Authenticate(ctx, req);
  if (!who.ok()) co_return who.status();
  co_return who->user_id;
}

void RegisterUploadRoutes(http::Router& router, ApiContext& ctx) {
  auto handlers = std::make_shared<UploadHandlers>(ctx);
  const std::string collection(kUploadsPath);
  const std::string item = collection + "/{id}";
  auto bind = [handlers](asio::awaitable<Response> (UploadHandlers::*method)(Request&)) {
    return [handlers, method](Request& req) { return ((*handlers).*method)(req); };
  };
  // PATCH bodies are chunks of up to a whole upload; a chunk that breaks
  // off is kept (tus: the server stores as much as it received).
  http::RouteOptions chunk_options;
  chunk_options.max_body_bytes = ctx.uploads.options().max_upload_bytes;
  chunk_options.accept_broken_body = true;
  chunk_options = SignedInBeforeBody(ctx, chunk_options);
  router.Add(http::Verb::options, collection, bind(&UploadHandlers::Options));
  router.Add(http::Verb::options, item, bind(&UploadHandlers::Options));
  // Creation has a small body (none, or the creation-with-upload chunk):
  // strangers are refused before it is read all the same.
  router.Add(http::Verb::post, collection, bind(&UploadHandlers::Create),
             SignedInBeforeBody(ctx, http::RouteOptions{}));
  router.Add(http::Verb::head, item, bind(&UploadHandlers::Head));
  router.Add(http::Verb::patch, item, bind(&UploadHandlers::Patch), chunk_options);
  router.Add(http::Verb::delete_, item, bind(&UploadHandlers::Terminate));
  router.Add(http::Verb::post, item, bind(&UploadHandlers::Override), chunk_options);
}

}  // namespace gallery::api
