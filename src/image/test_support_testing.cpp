#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "image/pipeline.hpp"
#include "image/test_support.hpp"

namespace gallery::image::testing {
namespace {

class TestDataEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    ASSERT_TRUE(InitImageLibrary("image_test").ok());
    const char* dir = std::getenv("GALLERY_TESTDATA");
    ASSERT_NE(dir, nullptr) << "GALLERY_TESTDATA is not set: point it at the shared test images "
                               "(CTest sets it from the CMake variable GALLERY_TESTDATA)";
    ASSERT_TRUE(std::filesystem::is_directory(dir))
        << "GALLERY_TESTDATA=" << dir << " is not a folder";
  }
};

[[maybe_unused]] ::testing::Environment* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new TestDataEnvironment);

vips::VImage Normalise(const vips::VImage& in, int size) {
  vips::VImage im = in;
  if (im.has_alpha()) {
    im = im.flatten(vips::VImage::option()->set("background", std::vector<double>{255, 255, 255}));
  }
  im = im.colourspace(VIPS_INTERPRETATION_sRGB);
  if (im.bands() > 3) im = im.extract_band(0, vips::VImage::option()->set("n", 3));
  return im
      .thumbnail_image(size, vips::VImage::option()
                                 ->set("height", size)
                                 ->set("size", VIPS_SIZE_FORCE)
                                 ->set("no_rotate", true))
      .cast(VIPS_FORMAT_UCHAR);
}

}  // namespace

std::filesystem::path TestDataDir() {
  const char* dir = std::getenv("GALLERY_TESTDATA");
  return dir != nullptr ? std::filesystem::path(dir) : std::filesystem::path();
}

std::string ReadTestFile(const std::filesystem::path& relative) {
  const std::filesystem::path path = TestDataDir() / relative;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<std::filesystem::path> TestFilesUnder(const std::filesystem::path& relative) {
  std::vector<std::filesystem::path> files;
  const std::filesystem::path root = TestDataDir();
  const std::filesystem::path dir = root / relative;
  EXPECT_TRUE(std::filesystem::is_directory(dir)) << dir << " is missing";
  if (!std::filesystem::is_directory(dir)) return files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    if (name.find("LICENSE") != std::string::npos || name.find("README") != std::string::npos ||
        name.find("License") != std::string::npos || name.ends_with(".md") ||
        name.ends_with(".txt") || name.ends_with(".rst") || name.starts_with(".")) {
      continue;
    }
    files.push_back(std::filesystem::relative(entry.path(), root));
  }
  std::sort(files.begin(), files.end());
  return files;
}

vips::VImage DecodeForTest(const std::string& bytes) {
  return vips::VImage::new_from_buffer(bytes, "").copy_memory();
}

double MeanAbsDifference(const vips::VImage& a, const vips::VImage& b, int size) {
  vips::VImage na = Normalise(a, size).cast(VIPS_FORMAT_FLOAT);
  vips::VImage nb = Normalise(b, size).cast(VIPS_FORMAT_FLOAT);
  return (na - nb).abs().avg();
}

}  // namespace gallery::image::testing
