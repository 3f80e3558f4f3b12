#pragma once

// Runs blocking work on a thread pool from a coroutine on a network thread,
// and resumes the coroutine on its own executor with the result. The network
// threads never block on disk, database or network calls.

#include <exception>
#include <type_traits>
#include <utility>

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace gallery::http {

// `fn` runs on `pool` and must not throw (return a Status/Result instead).
// REQUIRES: the result type is move-constructible.
template <typename Fn, typename R = std::invoke_result_t<Fn&>>
boost::asio::awaitable<R> Offload(boost::asio::thread_pool& pool, Fn fn) {
  namespace asio = boost::asio;
  auto ex = co_await asio::this_coro::executor;
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(R)>(
      [&pool, ex](auto handler, Fn work) {
        // The guard keeps the io_context running while the job is away.
        auto guard = asio::make_work_guard(ex);
        asio::post(pool, [handler = std::move(handler), work = std::move(work), ex,
                          guard = std::move(guard)]() mutable {
          R result = work();
          asio::post(ex, [handler = std::move(handler), result = std::move(result)]() mutable {
            std::move(handler)(std::move(result));
          });
        });
      },
      asio::use_awaitable, std::move(fn));
}

}  // namespace gallery::http
