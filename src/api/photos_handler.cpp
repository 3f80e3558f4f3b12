#include "api/photos_handler.hpp"

#include <boost/beast/core/string.hpp>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <optional>

#include "api/authenticated.hpp"
#include "api/photo_json.hpp"
#include "api/request_input.hpp"
#include "common/log.hpp"
#include "common/mapped_file.hpp"
#include "http/multipart.hpp"
#include "http/offload.hpp"
#include "http/problem.hpp"
#include "http/range.hpp"
#include "http/responses.hpp"

namespace gallery::api {
namespace {

namespace asio = boost::asio;
using http::HttpStatus;
using http::Request;
using http::Response;
namespace field = boost::beast::http;

constexpr uint64_t kOriginalChunkBytes = 4ull << 20;

// Prefixes a part's error with which file it was, keeping the code.
Status ForPart(const Status& s, size_t index, const std::string& filename) {
  std::string detail =
      s.public_detail().empty() ? std::string(http::ProblemFor(s.code()).title) : s.public_detail();
  std::string which = "File " + std::to_string(index + 1);
  if (!filename.empty()) which += " (" + filename + ")";
  return Status(s.code(), s.message(), which + ": " + detail);
}

// Streams an original's bytes in chunks read on the blocking pool.
class OriginalSource final : public http::BodySource {
 public:
  OriginalSource(ApiContext& ctx, db::PhotoRecord photo, http::ByteSpan span)
      : ctx_(ctx), photo_(std::move(photo)), next_(span.offset), end_(span.offset + span.length) {}

  // Reads the first chunk ahead, before the status line goes out: a
  // storage failure then becomes a problem response (503) instead of a 200
  // whose body breaks off. Nothing to read for a HEAD request.
  asio::awaitable<Status> Prime(const Request& req) {
    if (req.method == http::Verb::head) co_return Status::Ok();
    Result<std::string> first = co_await Next();
    if (!first.ok()) co_return first.status();
    primed_ = std::move(first).value();
    co_return Status::Ok();
  }

  asio::awaitable<Result<std::string>> Next() override {
    if (primed_) {
      std::string chunk = std::move(*primed_);
      primed_.reset();
      co_return chunk;
    }
    if (next_ >= end_) co_return std::string();
    storage::ByteRange range{next_, std::min(kOriginalChunkBytes, end_ - next_)};
    Result<storage::BlobData> data = co_await http::Offload(
        ctx_.blocking, [this, range] { return ctx_.photos.ReadOriginal(photo_, range); });
    if (!data.ok()) co_return data.status();
    if (data->bytes.empty()) co_return Status::IoError("original shorter than its record");
    next_ += data->bytes.size();
    co_return std::move(data->bytes);
  }

 private:
  ApiContext& ctx_;
  const db::PhotoRecord photo_;
  uint64_t next_;
  const uint64_t end_;
  std::optional<std::string> primed_;
};

// The quoted file name for Content-Disposition, with an RFC 6266 filename*
// for names that are not plain ASCII.
std::string ContentDisposition(const std::string& filename) {
  std::string ascii;
  for (unsigned char c : filename) {
    ascii.push_back(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? static_cast<char>(c) : '_');
  }
  std::string encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : filename) {
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_') {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded.push_back('%');
      encoded.push_back(kHex[c >> 4]);
      encoded.push_back(kHex[c & 15]);
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace

Result<image::OutputFormat> ChooseDerivativeFormat(const Request& request) {
  if (auto format = request.QueryParam("format")) {
    if (*format == "jpeg" || *format == "jpg") return image::OutputFormat::kJpeg;
    if (*format == "webp") return image::OutputFormat::kWebp;
    if (*format == "avif") return image::OutputFormat::kAvif;
    return Status(ErrorCode::kInvalidArgument, "bad format", "format must be jpeg, webp or avif");
  }
  // Accept: the best of AVIF, WebP, JPEG that the client takes (q > 0).
  bool avif = false, webp = false;
  std::string_view accept;
  std::string header = request.Header("Accept");
  accept = header;
  while (!accept.empty()) {
    size_t comma = accept.find(',');
    std::string_view item = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    size_t semi = item.find(';');
    std::string_view type = item.substr(0, semi);
    while (!type.empty() && type.front() == ' ') type.remove_prefix(1);
    while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
    bool refused = false;
    if (semi != std::string_view::npos) {
      std::string_view params = item.substr(semi);
      size_t q = params.find("q=");
      if (q != std::string_view::npos) {
        std::string value(params.substr(q + 2));
        refused = std::strtod(value.c_str(), nullptr) <= 0.0;
      }
    }
    if (refused) continue;
    // Media types are case-insensitive (RFC 9110 8.3.1).
    if (boost::beast::iequals(type, "image/avif")) avif = true;
    if (boost::beast::iequals(type, "image/webp")) webp = true;
  }
  if (avif) return image::OutputFormat::kAvif;
  if (webp) return image::OutputFormat::kWebp;
  return image::OutputFormat::kJpeg;
}

void RegisterPhotoRoutes(http::Router& router, ApiContext& ctx) {
  http::RouteOptions upload_options;
  upload_options.max_body_bytes = ctx.options.max_upload_bytes;
  upload_options = SignedInBeforeBody(ctx, upload_options);

  router.Add(
      http::Verb::post, "/api/v1/photos",
      Authenticated(
          ctx,
          [&ctx](Request& req, const Principal& who) -> asio::awaitable<Response> {
            const service::Uploader uploader{who.user_id, who.quota_bytes};
            Result<std::string> boundary = http::MultipartBoundary(req.Header("Content-Type"));
            if (!boundary.ok()) co_return http::ProblemResponse(boundary.status(), req);

            std::unique_ptr<MappedFile> mapped;
            std::string_view body = req.body;
            if (req.body_file) {
              auto path = req.body_file->path();
              Result<std::unique_ptr<MappedFile>> m =
                  co_await http::Offload(ctx.blocking, [&path] { return MappedFile::Open(path); });
              if (!m.ok()) co_return http::ProblemResponse(m.status(), req);
              mapped = std::move(m).value();
              body = mapped->bytes();
            }
            Result<std::vector<http::MultipartPart>> parts = http::ParseMultipart(body, *boundary);
            if (!parts.ok()) co_return http::ProblemResponse(parts.status(), req);

            std::vector<service::UploadFile> files;
            for (const http::MultipartPart& part : *parts) {
              if (part.name != "file") continue;
              files.push_back({part.filename.value_or(""), part.data});
            }
            if (files.empty()) {
              co_return http::ProblemResponse(
                  ErrorCode::kInvalidArgument,
                  "Send the pictures as multipart/form-data parts named 'file'", req);
            }

            // Refuse the whole batch before storing any of it when a file is
            // plainly unacceptable (format, size, pixel limit, name) or the
            // batch cannot fit in the uploader's quota.
            Status precheck = co_await http::Offload(ctx.blocking, [&ctx, &files, &uploader] {
              uint64_t total = 0;
              for (size_t i = 0; i < files.size(); ++i) {
                Status s = ctx.photos.Precheck(files[i]);
                if (!s.ok()) return ForPart(s, i, files[i].filename);
                total += files[i].bytes.size();
              }
              return ctx.photos.CheckQuota(uploader, total);
            });
            if (!precheck.ok()) co_return http::ProblemResponse(precheck, req);

            nlohmann::json photos = nlohmann::json::array();
            bool any_new = false;
            for (size_t i = 0; i < files.size(); ++i) {
              const service::UploadFile& file = files[i];
              Result<service::UploadResult> result = co_await http::Offload(
                  ctx.blocking,
                  [&ctx, &file, &uploader] { return ctx.photos.Upload(uploader, file); });
              if (!result.ok()) {
                Status s = ForPart(result.status(), i, file.filename);
                LogInfo("upload refused", {{"request_id", req.request_id}, {"error", s.message()}});
                Response r = http::ProblemResponse(s, req);
                if (!photos.empty()) {
                  // The files before this one are stored: say which.
                  nlohmann::json problem = nlohmann::json::parse(r.msg.body());
                  problem["photos"] = photos;
                  r.msg.body() = problem.dump();
                }
                co_return r;
              }
              any_new = any_new || !result->duplicate;
              photos.push_back(OwnerPhotoJson(ctx, result->photo, result->duplicate));
            }
            co_return http::JsonResponse(any_new ? HttpStatus::created : HttpStatus::ok,
                                         {{"photos", std::move(photos)}});
          }),
      upload_options);

  router.Add(
      http::Verb::get, "/api/v1/photos",
      Authenticated(ctx, [&ctx](Request& req, const Principal& who) -> asio::awaitable<Response> {
        Result<int> limit = PageLimit(req);
        if (!limit.ok()) co_return http::ProblemResponse(limit.status(), req);
        std::optional<db::PhotoCursor> after;
        if (auto cursor = req.QueryParam("cursor"); cursor && !cursor->empty()) {
          after = DecodeCursor(*cursor);
          if (!after) {
            co_return http::ProblemResponse(ErrorCode::kInvalidArgument,
                                            "cursor is not one this server issued", req);
          }
        }
        const int n = *limit;
        Result<db::PhotoPage> page = co_await http::Offload(ctx.blocking, [&ctx, &who, &after, n] {
          return ctx.photos.List(who.user_id, after, n);
        });
        if (!page.ok()) co_return http::ProblemResponse(page.status(), req);
        nlohmann::json photos = nlohmann::json::array();
        for (const auto& p : page->photos) photos.push_back(PhotoJson(p));
        co_return http::JsonResponse(
            HttpStatus::ok,
            {{"photos", std::move(photos)},
             {"next_cursor", page->next ? nlohmann::json(EncodeCursor(*page->next)) : nullptr}});
      }));

  router.Add(
      http::Verb::get, "/api/v1/photos/{id}",
      Authenticated(ctx, [&ctx](Request& req, const Principal& who) -> asio::awaitable<Response> {
        std::string id = req.PathParam("id");
        Result<db::PhotoRecord> photo = co_await http::Offload(
            ctx.blocking, [&ctx, &who, &id] { return ctx.photos.Get(who.user_id, id); });
        if (!photo.ok()) co_return http::ProblemResponse(photo.status(), req);
        co_return http::JsonResponse(HttpStatus::ok, OwnerPhotoJson(ctx, *photo));
      }));

  // Deleting moves the photo to the trash (see trash_handler.hpp).
  router.Add(
      http::Verb::delete_, "/api/v1/photos/{id}",
      Authenticated(ctx, [&ctx](Request& req, const Principal& who) -> asio::awaitable<Response> {
        std::string id = req.PathParam("id");
        Status s = co_await http::Offload(
            ctx.blocking, [&ctx, &who, &id] { return ctx.photos.Trash(who.user_id, id); });
        if (!s.ok()) co_return http::ProblemResponse(s, req);
        co_return http::EmptyResponse(HttpStatus::no_content);
      }));

  router.Add(
      http::Verb::get, "/api/v1/photos/{id}/original",
      Authenticated(ctx, [&ctx](Request& req, const Principal& who) -> asio::awaitable<Response> {
        std::string id = req.PathParam("id");
        Result<db::PhotoRecord> photo = co_await http::Offload(
            ctx.blocking, [&ctx, &who, &id] { return ctx.photos.Get(who.user_id, id); });
        if (!photo.ok()) co_return http::ProblemResponse(photo.status(), req);
        co_return co_await OriginalResponse(ctx, req, *photo, photo->filename);
      }));

  for (service::DerivativeKind kind :
       {service::DerivativeKind::kThumb, service::DerivativeKind::kPreview}) {
    std::string pattern = "/api/v1/photos/{id}/" + std::string(service::DerivativeKindName(kind));
    router.Add(
        http::Verb::get, pattern,
        Authenticated(
            ctx, [&ctx, kind](Request& req, const Principal& who) -> asio::awaitable<Response> {
              Result<image::OutputFormat> format = ChooseDerivativeFormat(req);
              if (!format.ok()) co_return http::ProblemResponse(format.status(), req);
              std::string id = req.PathParam("id");
              image::OutputFormat f = *format;
              // Hot derivatives are answered on this thread, without a pool hop.
              std::shared_ptr<const service::CachedDerivative> data =
                  ctx.photos.PeekDerivative(who.user_id, id, kind, f);
              if (!data) {
                Result<service::DerivativeBlob> blob =
                    co_await http::Offload(ctx.blocking, [&ctx, &who, &id, kind, f] {
                      return ctx.photos.GetDerivative(who.user_id, id, kind, f);
                    });
                if (!blob.ok()) co_return http::ProblemResponse(blob.status(), req);
                data = std::move(blob->data);
              }
              co_return DerivativeResponse(req, std::move(data), /*shared=*/false);
            }));
  }
}

nlohmann::json OwnerPhotoJson(ApiContext& ctx, const db::PhotoRecord& photo, bool duplicate) {
  std::optional<db::Clock::time_point> purge_at;
  if (photo.trashed()) purge_at = ctx.photos.PurgeTime(photo);
  return PhotoJson(photo, duplicate, purge_at);
}

asio::awaitable<Response> OriginalResponse(ApiContext& ctx, const Request& req,
                                           const db::PhotoRecord& photo_record,
                                           const std::string& download_name) {
  const db::PhotoRecord* photo = &photo_record;
  {
    const std::string etag = "\"" + photo->sha256 + "\"";

    if (ctx.options.redirect_originals) {
      if (auto url = ctx.photos.PresignOriginal(*photo, ctx.options.presign_ttl)) {
        Response r = http::EmptyResponse(HttpStatus::found);
        r.msg.set(field::field::location, *url);
        r.msg.set(field::field::cache_control, "private, no-store");
        co_return r;
      }
    }
    if (http::IfNoneMatchHits(req, etag)) {
      Response r = http::EmptyResponse(HttpStatus::not_modified);
      r.msg.set(field::field::etag, etag);
      co_return r;
    }
    uint64_t size = photo->bytes;
    http::ByteSpan span{0, size};
    bool partial = false;
    std::string if_range = req.Header("If-Range");
    std::string range_header = req.Header("Range");
    if (!range_header.empty() && (if_range.empty() || if_range == etag)) {
      Result<std::optional<http::ByteSpan>> range = http::ParseRange(range_header, size);
      if (!range.ok()) {
        Response r = http::ProblemResponse(range.status(), req);
        r.msg.set(field::field::content_range, "bytes */" + std::to_string(size));
        co_return r;
      }
      if (*range) {
        span = **range;
        partial = true;
      }
    }
    auto source = std::make_shared<OriginalSource>(ctx, *photo, span);
    Status primed = co_await source->Prime(req);
    if (!primed.ok()) co_return http::ProblemResponse(primed, req);
    Response r;
    r.msg.result(partial ? HttpStatus::partial_content : HttpStatus::ok);
    r.msg.set(field::field::content_type, photo->content_type);
    r.msg.set(field::field::content_disposition, ContentDisposition(download_name));
    r.msg.set(field::field::accept_ranges, "bytes");
    r.msg.set(field::field::etag, etag);
    r.msg.set(field::field::cache_control, "private, max-age=31536000, immutable");
    r.msg.set("X-Content-Type-Options", "nosniff");
    if (partial) {
      r.msg.set(field::field::content_range, "bytes " + std::to_string(span.offset) + "-" +
                                                 std::to_string(span.offset + span.length - 1) +
                                                 "/" + std::to_string(size));
    }
    r.stream = std::move(source);
    r.stream_length = span.length;
    co_return r;
  }
}

Response DerivativeResponse(const Request& req,
                            std::shared_ptr<const service::CachedDerivative> data, bool shared) {
  const service::CachedDerivative& d = *data;
  Response r;
  if (http::IfNoneMatchHits(req, d.etag)) {
    r.msg.result(HttpStatus::not_modified);
  } else {
    r.msg.result(HttpStatus::ok);
    r.msg.set(field::field::content_type, d.content_type);
    // Shares the cached bytes (aliasing the entry) instead of copying.
    r.shared_body = std::shared_ptr<const std::string>(data, &data->bytes);
  }
  r.msg.set(field::field::etag, d.etag);
  // Only the browser may keep it: the answer depends on who asks. A share
  // visitor's copy must stop once the link is revoked, so it is revalidated.
  r.msg.set(field::field::cache_control,
            shared ? "private, no-cache" : "private, max-age=31536000, immutable");
  r.msg.set(field::field::vary, "Accept");
  r.msg.set("X-Content-Type-Options", "nosniff");
  return r;
}

}  // namespace gallery::api
