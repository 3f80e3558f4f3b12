#include "api/index_page.hpp"

#include "common/markup_escape.hpp"
#include "http/offload.hpp"
#include "http/problem.hpp"
#include "http/responses.hpp"

namespace gallery::api {
namespace {

namespace asio = boost::asio;

constexpr std::string_view kHead = R"html(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Picture Gallery</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0 auto; max-width: 1200px; padding: 1rem; }
  form { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; margin-bottom: 1rem; }
  #status { min-height: 1.2em; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 6px; }
  .grid a { display: block; aspect-ratio: 1; background: #8883; }
  .grid img { width: 100%; height: 100%; object-fit: cover; display: block; }
  progress { width: 12rem; }
</style>
</head>
<body>
<h1>Picture Gallery</h1>
<form id="upload">
  <label>Pictures <input type="file" name="file" accept="image/*" multiple required></label>
  <button type="submit">Upload</button>
  <progress id="progress" max="1" value="0" hidden></progress>
  <span id="status" role="status"></span>
</form>
)html";

constexpr std::string_view kTail = R"html(
<script>
const form = document.getElementById('upload');
const bar = document.getElementById('progress');
const status = document.getElementById('status');
form.addEventListener('submit', (event) => {
  event.preventDefault();
  const body = new FormData();
  for (const f of form.elements.file.files) body.append('file', f, f.name);
  const xhr = new XMLHttpRequest();
  xhr.open('POST', '/api/v1/photos');
  bar.hidden = false;
  xhr.upload.onprogress = (e) => { if (e.lengthComputable) bar.value = e.loaded / e.total; };
  xhr.onload = () => {
    if (xhr.status < 300) { location.reload(); return; }
    let detail = xhr.statusText;
    try { detail = JSON.parse(xhr.responseText).detail; } catch (_) {}
    status.textContent = 'Upload failed: ' + detail;
    bar.hidden = true;
  };
  xhr.onerror = () => { status.textContent = 'Upload failed: network error'; bar.hidden = true; };
  xhr.send(body);
});
</script>
</body>
</html>
)html";

}  // namespace

void RegisterIndexPage(http::Router& router, ApiContext& ctx) {
  router.Add(http::Verb::get, "/", [&ctx](http::Request& req) -> asio::awaitable<http::Response> {
    Result<db::PhotoPage> page =
        co_await http::Offload(ctx.blocking, [&ctx] { return ctx.photos.List(std::nullopt, 200); });
    if (!page.ok()) co_return http::ProblemResponse(page.status(), req);
    std::string html(kHead);
    if (page->photos.empty()) {
      html += "<p>No pictures yet: upload some above.</p>\n";
    }
    html += "<div class=\"grid\">\n";
    for (const db::PhotoRecord& p : page->photos) {
      std::string base = "/api/v1/photos/" + EscapeMarkup(p.id);
      html += "<a href=\"" + base + "/preview\"><img loading=\"lazy\" src=\"" + base +
              "/thumb\" alt=\"" + EscapeMarkup(p.filename) + "\" width=\"" +
              std::to_string(p.width) + "\" height=\"" + std::to_string(p.height) + "\"></a>\n";
    }
    html += "</div>\n";
    html += kTail;
    http::Response r =
        http::TextResponse(http::HttpStatus::ok, std::move(html), "text/html; charset=utf-8");
    r.msg.set(boost::beast::http::field::cache_control, "no-store");
    r.msg.set("Content-Security-Policy",
              "default-src 'self'; img-src 'self' data:; style-src 'unsafe-inline'; "
              "script-src 'unsafe-inline'");
    co_return r;
  });
}

}  // namespace gallery::api
