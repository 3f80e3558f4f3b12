#include "image/image_pool.hpp"

#include <algorithm>

namespace gallery::image {

ImagePool::ImagePool(int workers, int max_queue) : max_queue_(std::max(0, max_queue)) {
  const int n = std::max(1, workers);
  threads_.reserve(n);
  for (int i = 0; i < n; ++i) threads_.emplace_back([this] { WorkerLoop(); });
}

ImagePool::~ImagePool() { Shutdown(); }

bool ImagePool::TrySubmit(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return false;
    // Room for one job per worker plus max_queue_ waiting. busy_ only rises
    // under mu_ (a worker takes a job), so this count never over-admits;
    // it may briefly under-admit while a finished job's worker has not yet
    // decremented busy_.
    const int waiting = static_cast<int>(queue_.size());
    if (busy_.load() + waiting >= workers() + max_queue_) return false;
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
  return true;
}

int ImagePool::queue_depth() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(queue_.size());
}

int ImagePool::busy_workers() const { return busy_.load(); }

void ImagePool::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  // Concurrent callers wait here until the first has joined every thread.
  std::call_once(joined_, [this] {
    for (std::thread& t : threads_) t.join();
  });
}

void ImagePool::WorkerLoop() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      job = std::move(queue_.front());
      queue_.pop_front();
      ++busy_;  // under mu_: TrySubmit sees waiting + busy consistently
    }
    job();
    --busy_;
  }
}

}  // namespace gallery::image
