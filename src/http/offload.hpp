#pragma once

// Runs blocking work on a thread pool from a coroutine on a network thread,
// and resumes the coroutine on its own executor with the result. The network
// threads never block on disk, database or network calls.

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <type_traits>
#include <utility>

namespace gallery::http {

// co_await Offload(pool, job): runs `job()` on `pool`; `job` must not throw
// (return a Status/Result instead) and its result must be move-constructible.
//
// Since the caller awaits at once, `job` may capture the caller's locals by
// reference. It must not be a lambda temporary that owns resources (a
// by-value std::string capture, say): GCC 12 destroys such a temporary twice
// when it appears in a co_await expression. The static_assert enforces this;
// capture by reference or pass a named job.
template <typename F, typename Fn = std::decay_t<F>, typename R = std::invoke_result_t<Fn&>>
auto Offload(boost::asio::thread_pool& pool, F&& job) {
  static_assert(std::is_lvalue_reference_v<F> || std::is_trivially_destructible_v<Fn>,
                "Offload: capture by reference, or pass a named job (GCC 12 co_await bug)");
  namespace asio = boost::asio;
  return asio::async_initiate<const asio::use_awaitable_t<>&, void(R)>(
      [&pool](auto handler, Fn work) {
        auto ex = asio::get_associated_executor(handler);
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
      asio::use_awaitable, Fn(std::forward<F>(job)));
}

}  // namespace gallery::http
