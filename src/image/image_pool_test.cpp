#include "image/image_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <latch>

namespace gallery::image {
namespace {

using namespace std::chrono_literals;

// Holds jobs until released, so tests control how many are running.
class Gate {
 public:
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return open_; });
  }
  void Open() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

// Waits until `pred` holds or a generous deadline passes.
template <typename Pred>
bool Eventually(Pred pred) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

TEST(ImagePoolTest, RunsJobs) {
  ImagePool pool(2, 4);
  EXPECT_EQ(pool.workers(), 2);
  std::atomic<int> done{0};
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(pool.TrySubmit([&] { ++done; })) << i;
    // Submitting faster than jobs finish is fine up to the bound; wait a bit
    // so this test is about running, not about refusing.
    ASSERT_TRUE(Eventually([&] { return done.load() == i + 1; }));
  }
  EXPECT_EQ(done.load(), 6);
}

TEST(ImagePoolTest, RefusesWhenEveryWorkerIsBusyAndTheQueueIsFull) {
  ImagePool pool(2, 3);
  Gate gate;
  std::atomic<int> done{0};
  auto blocked_job = [&] {
    gate.Wait();
    ++done;
  };
  // 2 running + 3 waiting fit; the sixth does not.
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(pool.TrySubmit(blocked_job)) << i;
  ASSERT_TRUE(Eventually([&] { return pool.busy_workers() == 2; }));
  EXPECT_EQ(pool.queue_depth(), 3);
  bool ran_refused = false;
  EXPECT_FALSE(pool.TrySubmit([&] { ran_refused = true; }));
  EXPECT_FALSE(pool.TrySubmit([&] { ran_refused = true; }));
  EXPECT_EQ(pool.queue_depth(), 3);

  gate.Open();
  ASSERT_TRUE(Eventually([&] { return done.load() == 5; }));
  ASSERT_TRUE(Eventually([&] { return pool.busy_workers() == 0; }));
  EXPECT_EQ(pool.queue_depth(), 0);
  // Room again once the work is done.
  std::promise<void> ran;
  EXPECT_TRUE(pool.TrySubmit([&] { ran.set_value(); }));
  EXPECT_EQ(ran.get_future().wait_for(10s), std::future_status::ready);
  EXPECT_FALSE(ran_refused);
}

TEST(ImagePoolTest, ZeroQueueAcceptsOnlyWhatWorkersCanTakeNow) {
  ImagePool pool(1, 0);
  Gate gate;
  ASSERT_TRUE(pool.TrySubmit([&] { gate.Wait(); }));
  EXPECT_FALSE(pool.TrySubmit([] {}));  // taken or not yet, the one slot is used
  ASSERT_TRUE(Eventually([&] { return pool.busy_workers() == 1; }));
  EXPECT_FALSE(pool.TrySubmit([] {}));
  gate.Open();
  ASSERT_TRUE(Eventually([&] { return pool.busy_workers() == 0 && pool.queue_depth() == 0; }));
  EXPECT_TRUE(pool.TrySubmit([] {}));
}

TEST(ImagePoolTest, ShutdownDrainsQueuedAndRunningJobs) {
  std::atomic<int> done{0};
  auto pool = std::make_unique<ImagePool>(2, 10);
  Gate gate;
  for (int i = 0; i < 12; ++i) {
    ASSERT_TRUE(pool->TrySubmit([&] {
      gate.Wait();
      std::this_thread::sleep_for(1ms);
      ++done;
    }));
  }
  std::thread opener([&] {
    std::this_thread::sleep_for(50ms);
    gate.Open();
  });
  pool->Shutdown();  // returns only after all 12 ran
  EXPECT_EQ(done.load(), 12);
  EXPECT_FALSE(pool->TrySubmit([] {}));  // closed
  pool->Shutdown();                      // again: no-op
  pool.reset();                          // destructor after Shutdown: fine
  opener.join();
}

TEST(ImagePoolTest, ConcurrentShutdownAndSubmitters) {
  ImagePool pool(2, 64);
  std::atomic<int> accepted{0};
  std::atomic<int> done{0};
  std::latch start(4);
  std::vector<std::thread> submitters;
  for (int t = 0; t < 3; ++t) {
    submitters.emplace_back([&] {
      start.arrive_and_wait();
      for (int i = 0; i < 200; ++i) {
        if (pool.TrySubmit([&] { ++done; })) ++accepted;
      }
    });
  }
  start.arrive_and_wait();
  std::thread closer([&] { pool.Shutdown(); });
  pool.Shutdown();
  closer.join();
  for (auto& t : submitters) t.join();
  // Whatever was accepted ran; nothing ran that was refused.
  EXPECT_EQ(done.load(), accepted.load());
}

}  // namespace
}  // namespace gallery::image
