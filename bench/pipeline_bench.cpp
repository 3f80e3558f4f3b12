// Benchmark 1, our side: derivative throughput of the upload pipeline in
// process. Reads the given images into memory once, then runs ProcessUpload
// with one spec (longest edge 512, JPEG q80, auto-oriented, metadata
// stripped) on `--threads` threads, each taking the next image of
// `--rounds` passes over the list. Prints one line:
//   images=N seconds=S cpu_seconds=C images_per_sec=R images_per_cpu_sec=K
// CPU time (all threads, user + system) is the steadier figure on a machine
// shared with other work; wall time is what a user waits for.
// Decoding, resizing, EXIF extraction and encoding are timed; reading the
// files is not (the server gets the bytes from the upload spool).

#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "image/pipeline.hpp"

namespace {

using gallery::image::DerivativeSpec;
using gallery::image::OutputFormat;

struct Options {
  int threads = 2;
  int rounds = 5;
  std::vector<std::string> files;
};

[[noreturn]] void Usage(const char* message) {
  std::fprintf(stderr,
               "pipeline_bench: %s\nusage: pipeline_bench [--threads N] [--rounds N] image...\n",
               message);
  std::exit(2);
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--threads" || arg == "--rounds") && i + 1 < argc) {
      const int value = std::atoi(argv[++i]);
      if (value < 1) Usage("--threads and --rounds take a positive number");
      (arg == "--threads" ? o.threads : o.rounds) = value;
    } else if (arg.starts_with("--")) {
      Usage("unknown option");
    } else {
      o.files.push_back(arg);
    }
  }
  if (o.files.empty()) Usage("no images given");
  return o;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "pipeline_bench: cannot read %s\n", path.c_str());
    std::exit(1);
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Runs `total` jobs over `images` on `threads` threads; false on any failure.
bool Run(const std::vector<std::string>& images, int total, int threads) {
  const std::vector<DerivativeSpec> specs = {{"thumb", 512, OutputFormat::kJpeg, 80}};
  std::atomic<int> next{0};
  std::atomic<bool> ok{true};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int i = next++; i < total; i = next++) {
        const std::string& bytes = images[i % images.size()];
        auto result = gallery::image::ProcessUpload(bytes, specs, gallery::image::Limits{});
        if (!result.ok()) {
          std::fprintf(stderr, "pipeline_bench: %s\n", result.status().ToString().c_str());
          ok = false;
        }
      }
    });
  }
  for (std::thread& w : workers) w.join();
  return ok;
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = ParseArgs(argc, argv);
  if (gallery::Status s = gallery::image::InitImageLibrary(argv[0]); !s.ok()) {
    std::fprintf(stderr, "pipeline_bench: %s\n", s.ToString().c_str());
    return 1;
  }
  std::vector<std::string> images;
  for (const std::string& f : options.files) images.push_back(ReadFile(f));

  // One untimed pass: page in code, warm allocators.
  if (!Run(images, static_cast<int>(images.size()), options.threads)) return 1;

  const int total = static_cast<int>(images.size()) * options.rounds;
  const double cpu_start = CpuSeconds();
  const auto start = std::chrono::steady_clock::now();
  if (!Run(images, total, options.threads)) return 1;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu_seconds = CpuSeconds() - cpu_start;
  std::printf(
      "images=%d seconds=%.3f cpu_seconds=%.3f images_per_sec=%.2f images_per_cpu_sec=%.2f\n",
      total, seconds, cpu_seconds, total / seconds, total / cpu_seconds);
  return 0;
}
