#pragma once

// Test support for image/ tests (and other layers' tests that need pictures):
// the shared test images, found through GALLERY_TESTDATA (CTest sets it).

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>
#include <vips/vips8>

namespace gallery::image::testing {

// The test data folder from GALLERY_TESTDATA. When the variable is unset or
// not a folder, every test fails with a message saying so (see
// test_support_testing.cpp) and this returns an empty path.
std::filesystem::path TestDataDir();

// The bytes of `relative` under TestDataDir(); fails the test when unreadable.
std::string ReadTestFile(const std::filesystem::path& relative);

// Image files under `relative` (recursively), sorted, as paths relative to
// TestDataDir(). Licence and README files are left out.
std::vector<std::filesystem::path> TestFilesUnder(const std::filesystem::path& relative);

// Decodes encoded bytes fully with libvips (any loader libvips allows).
vips::VImage DecodeForTest(const std::string& bytes);

// Mean absolute difference (0..255) between two images after both are
// brought to sRGB 8-bit, flattened, and squeezed to `size` x `size`: a
// crude perceptual distance that ignores resampling and JPEG noise.
double MeanAbsDifference(const vips::VImage& a, const vips::VImage& b, int size = 48);

}  // namespace gallery::image::testing
