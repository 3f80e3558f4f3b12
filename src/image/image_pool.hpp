#pragma once

// A bounded pool of threads for image work. Back-pressure instead of unbounded
// memory: when every worker is busy and `max_queue` jobs already wait,
// TrySubmit refuses at once and the caller answers 503 with Retry-After.
//
// Thread safety: all methods are safe to call from any thread.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace gallery::image {

class ImagePool {
 public:
  // workers >= 1; max_queue >= 0 jobs may wait beyond the running ones.
  ImagePool(int workers, int max_queue);
  ~ImagePool();  // Shutdown()
  ImagePool(const ImagePool&) = delete;
  ImagePool& operator=(const ImagePool&) = delete;

  // Queues `job`. Returns false, without running it, when the queue is full or
  // the pool is shut down. A job must not throw.
  bool TrySubmit(std::function<void()> job);

  // Jobs waiting (not running).
  int queue_depth() const;
  // Jobs running now.
  int busy_workers() const;
  int workers() const { return static_cast<int>(threads_.size()); }

  // Stops accepting, finishes every queued and running job, joins the threads.
  // Returns once all of that is done, also when called again or concurrently.
  // REQUIRES: not called from inside a job (a worker cannot join itself).
  void Shutdown();

 private:
  void WorkerLoop();

  const int max_queue_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;  // GUARDED_BY(mu_)
  bool stopping_ = false;                    // GUARDED_BY(mu_)
  std::atomic<int> busy_{0};
  std::vector<std::thread> threads_;  // fixed after construction
  std::once_flag joined_;
};

}  // namespace gallery::image
