#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>

#include "app/app.hpp"

namespace gallery::app {

int RunHealthcheck(const Config& config) {
  namespace asio = boost::asio;
  namespace beast = boost::beast;
  namespace http = beast::http;
  std::string host = config.listen_host;
  if (host == "0.0.0.0" || host.empty()) host = "127.0.0.1";
  if (host == "::") host = "::1";
  try {
    asio::io_context io;
    asio::ip::tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(3));
    stream.connect(resolver.resolve(host, std::to_string(config.listen_port)));
    http::request<http::empty_body> req(http::verb::get, "/healthz", 11);
    req.set(http::field::host, host);
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    return res.result() == http::status::ok ? 0 : 1;
  } catch (const std::exception&) {
    return 1;
  }
}

}  // namespace gallery::app
