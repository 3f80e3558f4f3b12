#include "image/pipeline.hpp"

#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "image/test_support.hpp"

namespace gallery::image {
namespace {

using testing::DecodeForTest;
using testing::MeanAbsDifference;
using testing::ReadTestFile;
using testing::TestFilesUnder;

const std::vector<DerivativeSpec> kThumbAndPreview = {{"thumb", 512}, {"preview", 2048}};

Result<ProcessedImage> Process(const std::filesystem::path& file,
                               const std::vector<DerivativeSpec>& specs = kThumbAndPreview) {
  return ProcessUpload(ReadTestFile(file), specs, Limits{});
}

// The stored original decoded fully, then turned upright by libvips.
vips::VImage UprightReference(const std::filesystem::path& file) {
  return DecodeForTest(ReadTestFile(file)).autorot();
}

// ----- orientation -----------------------------------------------------------

TEST(OrientationTest, EveryExifOrientationGivesAnUprightThumb) {
  // Landscape_1 is stored upright; the others show the same photo stored
  // flipped or rotated, with the EXIF orientation that undoes it.
  Result<ProcessedImage> upright = Process("exif-orientation/Landscape_1.jpg");
  ASSERT_TRUE(upright.ok()) << upright.status().ToString();
  const vips::VImage upright_thumb = DecodeForTest(upright->derivatives[0].bytes);

  for (int o = 0; o <= 8; ++o) {
    const std::string file = "exif-orientation/Landscape_" + std::to_string(o) + ".jpg";
    SCOPED_TRACE(file);
    Result<ProcessedImage> p = Process(file);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    EXPECT_EQ(p->header.display_width, 1800);
    EXPECT_EQ(p->header.display_height, 1200);
    const Derivative& thumb = p->derivatives[0];
    EXPECT_EQ(thumb.width, 512);
    EXPECT_EQ(thumb.height, 341);
    const vips::VImage pixels = DecodeForTest(thumb.bytes);
    EXPECT_EQ(pixels.width(), 512);
    EXPECT_EQ(pixels.height(), 341);

    // Against libvips' own autorot of the fully decoded original...
    const vips::VImage reference = UprightReference(file);
    EXPECT_LT(MeanAbsDifference(pixels, reference), 6.0);
    // ...and against the upright photo, independently of any rotation code.
    EXPECT_LT(MeanAbsDifference(pixels, upright_thumb), 6.0);
    // The comparison can tell orientations apart: the photo upside down and
    // mirrored are far away.
    EXPECT_GT(MeanAbsDifference(pixels, reference.rot180()), 20.0);
    EXPECT_GT(MeanAbsDifference(pixels, reference.fliphor()), 20.0);
  }
}

TEST(OrientationTest, PngExifOrientationIsApplied) {
  for (int o : {2, 3, 4, 5, 6, 7, 8}) {
    const std::string file =
        "exif-orientation/png-exif/imgproxy_orientation-" + std::to_string(o) + ".png";
    SCOPED_TRACE(file);
    Result<ProcessedImage> p = Process(file);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    EXPECT_EQ(p->header.orientation, o);
    const vips::VImage pixels = DecodeForTest(p->derivatives[0].bytes);
    const vips::VImage reference = UprightReference(file);
    EXPECT_EQ(pixels.width(), reference.width());
    EXPECT_EQ(pixels.height(), reference.height());
    EXPECT_LT(MeanAbsDifference(pixels, reference, 32), 8.0);
  }
}

// ----- sizes -----------------------------------------------------------------

void ExpectFitsWithin(const ProcessedImage& p, const std::vector<DerivativeSpec>& specs) {
  ASSERT_EQ(p.derivatives.size(), specs.size());
  for (size_t i = 0; i < specs.size(); ++i) {
    const Derivative& d = p.derivatives[i];
    SCOPED_TRACE(d.name);
    EXPECT_EQ(d.name, specs[i].name);
    EXPECT_EQ(d.format, specs[i].format);
    EXPECT_GT(d.width, 0);
    EXPECT_GT(d.height, 0);
    EXPECT_LE(std::max(d.width, d.height), specs[i].max_edge);
    // Never upscaled: no edge beyond the original's displayed edge.
    EXPECT_LE(d.width, p.header.display_width);
    EXPECT_LE(d.height, p.header.display_height);
    // Shape kept (within rounding), and upright: landscape stays landscape.
    const double want = static_cast<double>(p.header.display_width) / p.header.display_height;
    const double got = static_cast<double>(d.width) / d.height;
    EXPECT_NEAR(got / want, 1.0, 2.0 / std::min(d.width, d.height) + 0.01);
    // What was encoded is what the fields say.
    const vips::VImage decoded = DecodeForTest(d.bytes);
    EXPECT_EQ(decoded.width(), d.width);
    EXPECT_EQ(decoded.height(), d.height);
    EXPECT_EQ(decoded.format(), VIPS_FORMAT_UCHAR);
  }
}

TEST(DerivativeTest, LargePhotoFitsEveryPreset) {
  Result<ProcessedImage> p = Process("large/ianare_42_IndexError_OlympusE-P3_4032x3024.jpg");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ExpectFitsWithin(*p, kThumbAndPreview);
  EXPECT_EQ(p->derivatives[0].width, 512);
  EXPECT_EQ(p->derivatives[0].height, 384);
  EXPECT_EQ(p->derivatives[1].width, 2048);
  EXPECT_EQ(p->derivatives[1].height, 1536);
  // The thumb, made from the preview, shows the same picture as the preview.
  EXPECT_LT(MeanAbsDifference(DecodeForTest(p->derivatives[0].bytes),
                              DecodeForTest(p->derivatives[1].bytes)),
            4.0);
}

TEST(DerivativeTest, TinyImageIsNeverUpscaled) {
  Result<ProcessedImage> p = Process("camera-exif/imagers_exif-xmp-metadata.jpg");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ExpectFitsWithin(*p, kThumbAndPreview);
  for (const Derivative& d : p->derivatives) {
    EXPECT_EQ(d.width, 5);
    EXPECT_EQ(d.height, 5);
  }
  Result<ProcessedImage> mid = Process("formats/webp/libvips_1.webp");  // 550x368
  ASSERT_TRUE(mid.ok()) << mid.status().ToString();
  EXPECT_EQ(mid->derivatives[0].width, 512);
  EXPECT_EQ(mid->derivatives[1].width, 550);
  EXPECT_EQ(mid->derivatives[1].height, 368);
}

TEST(DerivativeTest, EveryAcceptedFormatMakesDerivatives) {
  // libvips cannot decode subsampled (YCbCr) TIFF: refused as unprocessable.
  const std::string kUndecodable = "formats/tiff/libvips_subsampled.tif";
  int processed = 0;
  for (const auto& file : TestFilesUnder("formats")) {
    SCOPED_TRACE(file.string());
    Result<ProcessedImage> p = Process(file);
    if (file.extension() == ".svg") {
      EXPECT_EQ(p.code(), ErrorCode::kUnsupportedMediaType);
      continue;
    }
    if (file == kUndecodable) {
      EXPECT_EQ(p.code(), ErrorCode::kUnprocessableImage);
      continue;
    }
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    ExpectFitsWithin(*p, kThumbAndPreview);
    ++processed;
  }
  EXPECT_GE(processed, 27);
}

TEST(DerivativeTest, AnimationsUseTheFirstFrame) {
  const std::string bytes = ReadTestFile("formats/webp/libvips_big-height_anim99.webp");
  Result<ProcessedImage> p = ProcessUpload(bytes, kThumbAndPreview, Limits{});
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->header.frames, 99);
  EXPECT_EQ(p->derivatives[1].width, 13);
  EXPECT_EQ(p->derivatives[1].height, 169);  // one frame, not 99 stacked
  // libvips loads page 0 unless told otherwise.
  EXPECT_LT(MeanAbsDifference(DecodeForTest(p->derivatives[1].bytes), DecodeForTest(bytes), 13),
            6.0);

  const std::string gif = ReadTestFile("formats/gif/sharp_rotating-squares_CC0.gif");
  Result<ProcessedImage> g = ProcessUpload(gif, kThumbAndPreview, Limits{});
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_GT(g->header.frames, 1);
  const vips::VImage first = DecodeForTest(gif);
  EXPECT_EQ(g->derivatives[1].width, first.width());
  EXPECT_EQ(g->derivatives[1].height, first.height());
  EXPECT_LT(MeanAbsDifference(DecodeForTest(g->derivatives[1].bytes), first, 32), 8.0);
}

// ----- output formats, colour ------------------------------------------------

TEST(DerivativeTest, WebpAndAvifOutputs) {
  const std::vector<DerivativeSpec> specs = {{"thumb", 512, OutputFormat::kWebp, 75},
                                             {"thumb", 512, OutputFormat::kAvif, 50},
                                             {"preview", 2048, OutputFormat::kAvif, 50}};
  Result<ProcessedImage> p = Process("large/ianare_42_IndexError_OlympusE-P3_4032x3024.jpg", specs);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ExpectFitsWithin(*p, specs);
  EXPECT_EQ(p->derivatives[0].bytes.substr(8, 4), "WEBP");
  EXPECT_EQ(p->derivatives[1].bytes.substr(4, 8), std::string("ftypavif"));
  EXPECT_EQ(OutputMimeType(OutputFormat::kAvif), "image/avif");
  EXPECT_EQ(OutputExtension(OutputFormat::kWebp), "webp");
  EXPECT_EQ(OutputExtension(OutputFormat::kJpeg), "jpg");
}

TEST(DerivativeTest, AlphaIsFlattenedForJpegAndKeptForWebpAndAvif) {
  const std::vector<DerivativeSpec> specs = {{"j", 512, OutputFormat::kJpeg, 80},
                                             {"w", 512, OutputFormat::kWebp, 80},
                                             {"a", 512, OutputFormat::kAvif, 60}};
  Result<ProcessedImage> p = Process("formats/png/libvips_rgba.png", specs);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(DecodeForTest(p->derivatives[0].bytes).bands(), 3);
  EXPECT_EQ(DecodeForTest(p->derivatives[1].bytes).bands(), 4);
  EXPECT_EQ(DecodeForTest(p->derivatives[2].bytes).bands(), 4);
  // Flattened onto white: a fully transparent corner comes out white.
  const vips::VImage jpeg = DecodeForTest(p->derivatives[0].bytes);
  const vips::VImage png = DecodeForTest(ReadTestFile("formats/png/libvips_rgba.png"));
  if (png.extract_band(3).getpoint(0, 0)[0] == 0) {
    EXPECT_GT(jpeg.getpoint(0, 0)[0], 240);
  }
}

TEST(DerivativeTest, SixteenBitAndGreyBecomeSrgb8) {
  for (const char* file :
       {"formats/png/pngsuite_basn6a16_rgba16.png", "large/sharp_giant-image_20000x14000.jpg"}) {
    SCOPED_TRACE(file);
    Result<ProcessedImage> p =
        ProcessUpload(ReadTestFile(file), {{"thumb", 256}}, Limits{.max_pixels = 300'000'000});
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    const vips::VImage d = DecodeForTest(p->derivatives[0].bytes);
    EXPECT_EQ(d.format(), VIPS_FORMAT_UCHAR);
    EXPECT_EQ(d.bands(), 3);
    EXPECT_EQ(d.interpretation(), VIPS_INTERPRETATION_sRGB);
  }
}

TEST(DerivativeTest, CmykJpegBecomesSrgb) {
  // A CMYK JPEG without a profile, made from a known sRGB photo.
  const std::string rgb_bytes = ReadTestFile("exif-orientation/Landscape_1.jpg");
  const vips::VImage rgb = DecodeForTest(rgb_bytes);
  const vips::VImage cmyk = rgb.icc_export(vips::VImage::option()->set("output_profile", "cmyk"));
  ASSERT_EQ(cmyk.bands(), 4);
  VipsBlob* blob = cmyk.jpegsave_buffer(vips::VImage::option()->set("strip", true));
  const std::string cmyk_bytes(static_cast<const char*>(VIPS_AREA(blob)->data),
                               VIPS_AREA(blob)->length);
  vips_area_unref(VIPS_AREA(blob));

  Result<ProcessedImage> p = ProcessUpload(cmyk_bytes, {{"thumb", 512}}, Limits{});
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  const vips::VImage d = DecodeForTest(p->derivatives[0].bytes);
  EXPECT_EQ(d.bands(), 3);
  EXPECT_EQ(d.interpretation(), VIPS_INTERPRETATION_sRGB);
  EXPECT_LT(MeanAbsDifference(d, rgb), 20.0);  // colours survive the round trip roughly
}

// ----- metadata --------------------------------------------------------------

// True when a JPEG's marker segments (before the scan) include APP1..APP15
// other than APP14 (Adobe colour transform) — EXIF, XMP, IPTC live there.
bool JpegHasMetadataSegment(const std::string& jpeg) {
  size_t i = 2;
  while (i + 4 <= jpeg.size() && static_cast<unsigned char>(jpeg[i]) == 0xFF) {
    const auto marker = static_cast<unsigned char>(jpeg[i + 1]);
    if (marker == 0xDA) return false;  // start of scan
    if (marker >= 0xE1 && marker <= 0xEF && marker != 0xEE) return true;
    const size_t length =
        (static_cast<unsigned char>(jpeg[i + 2]) << 8) | static_cast<unsigned char>(jpeg[i + 3]);
    i += 2 + length;
  }
  return false;
}

void ExpectNoMetadata(const Derivative& d) {
  SCOPED_TRACE(d.name + "." + std::string(OutputExtension(d.format)));
  const vips::VImage im = vips::VImage::new_from_buffer(d.bytes, "");
  for (const char* field : {"exif-data", "xmp-data", "iptc-data", "icc-profile-data"}) {
    EXPECT_EQ(im.get_typeof(field), 0u) << field;
  }
  gchar** fields = vips_image_get_fields(im.get_image());
  for (gchar** f = fields; *f != nullptr; ++f) {
    EXPECT_FALSE(std::string_view(*f).starts_with("exif-")) << *f;
  }
  g_strfreev(fields);
  EXPECT_EQ(d.bytes.find(std::string("Exif\0\0", 6)), std::string::npos);
  EXPECT_EQ(d.bytes.find("http://ns.adobe.com/xap"), std::string::npos);
  EXPECT_EQ(d.bytes.find("Photoshop 3.0"), std::string::npos);
  if (d.format == OutputFormat::kJpeg) {
    EXPECT_FALSE(JpegHasMetadataSegment(d.bytes));
  }
}

TEST(MetadataTest, NoDerivativeCarriesExifGpsXmpOrIptc) {
  const std::vector<DerivativeSpec> specs = {{"thumb", 512, OutputFormat::kJpeg, 80},
                                             {"thumb", 512, OutputFormat::kWebp, 80},
                                             {"thumb", 256, OutputFormat::kAvif, 50}};
  std::vector<std::filesystem::path> files = TestFilesUnder("camera-exif");
  files.push_back("formats/avif/pillow_exif.avif");
  files.push_back("formats/heic/ianare_iphone_13_pro_max.HEIC");
  files.push_back("exif-orientation/png-exif/imgproxy_orientation-6.png");
  files.push_back("malformed/exif/fuzzdb_POC_phpinfo-metadata.jpg");
  for (const auto& file : files) {
    SCOPED_TRACE(file.string());
    const std::string original = ReadTestFile(file);
    Result<ProcessedImage> p = ProcessUpload(original, specs, Limits{});
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    for (const Derivative& d : p->derivatives) ExpectNoMetadata(d);
  }
  // The GPS files really have GPS in the original (the test would be moot).
  const std::string gps = ReadTestFile("camera-exif/gps/DSCN0010.jpg");
  EXPECT_NE(vips::VImage::new_from_buffer(gps, "").get_typeof("exif-ifd3-GPSLatitude"), 0u);
}

// ----- broken and hostile files ---------------------------------------------

// The expected answer for every file in malformed/ outside malformed/exif/.
ErrorCode ExpectedRefusal(const std::filesystem::path& file) {
  static const std::map<std::string, ErrorCode> kByName = {
      // Signatures that are not an accepted format.
      {"imagers_Bad_height.bmp", ErrorCode::kUnsupportedMediaType},
      {"imagers_Bad_shortfile.bmp", ErrorCode::kUnsupportedMediaType},
      {"imagers_Bad_reallybig.bmp", ErrorCode::kUnsupportedMediaType},
      {"imagers_Bad_width.bmp", ErrorCode::kUnsupportedMediaType},
      {"imgproxy_bmp-invalid-bpp.bmp", ErrorCode::kUnsupportedMediaType},
      {"pillow_decompression_bomb.ico", ErrorCode::kUnsupportedMediaType},
      {"pngsuite_xs1n0g01.png", ErrorCode::kUnsupportedMediaType},  // signature byte 1 wrong
      {"pngsuite_xlfn0g04.png", ErrorCode::kUnsupportedMediaType},  // LF mangled
      {"pngsuite_xcrn0g04.png", ErrorCode::kUnsupportedMediaType},  // CR mangled
      {"pillow_pngtest_bad.png.bin", ErrorCode::kUnsupportedMediaType},
      {"imgproxy_test1_script.svg", ErrorCode::kUnsupportedMediaType},
      {"imgproxy_test1.sanitized.svg", ErrorCode::kUnsupportedMediaType},
      {"libvips_truncated.svgz", ErrorCode::kUnsupportedMediaType},
      // Pixel limits, from the header (or declared GIF frame extents).
      {"fuzzdb_lottapixel.jpg", ErrorCode::kImageTooLarge},
      {"libvips_17000x17000.avif", ErrorCode::kImageTooLarge},
      {"pillow_decompression_bomb_extents.gif", ErrorCode::kImageTooLarge},
  };
  if (auto it = kByName.find(file.filename().string()); it != kByName.end()) return it->second;
  return ErrorCode::kUnprocessableImage;  // recognised, but broken
}

// Files in malformed/ (outside exif/) that are in fact intact pictures.
const std::map<std::string, std::string> kIntact = {
    // A real WebP whose bytes once fooled libvips' SVG detection. It is only
    // ever read by the WebP loader here, and decodes as the WebP it is.
    {"libvips_looks-like-svg.webp", "polyglot-svg"},
    // Only its APP14 (Adobe) segment is cut short; libjpeg skips one stray
    // byte and the picture decodes whole.
    {"pillow_truncated_app14.jpg", "truncated"},
    // Cut off after its image data: the zlib stream completes in the first
    // IDAT with every row; only a second, empty IDAT header follows.
    {"pillow_truncated_end_chunk.png", "truncated"},
};

TEST(MalformedTest, EveryBrokenFileIsRefusedWithTheRightCode) {
  int refused = 0;
  for (const auto& file : TestFilesUnder("malformed")) {
    if (file.parent_path().filename() == "exif") continue;
    if (kIntact.contains(file.filename().string())) continue;
    SCOPED_TRACE(file.string());
    Result<ProcessedImage> p = Process(file);
    ASSERT_FALSE(p.ok()) << "accepted: " << p->header.stored_width << "x"
                         << p->header.stored_height;
    EXPECT_EQ(p.code(), ExpectedRefusal(file)) << p.status().ToString();
    // The same answer when only the header is probed and limits checked, for
    // the refusals that need no decoding.
    if (p.code() != ErrorCode::kUnprocessableImage) {
      Result<ImageHeader> h = ProbeHeader(ReadTestFile(file));
      const ErrorCode early = h.ok() ? CheckLimits(*h, Limits{}).code() : h.code();
      EXPECT_EQ(early, p.code());
    }
    ++refused;
  }
  EXPECT_GE(refused, 34);  // 37 files, 3 of them intact
}

TEST(MalformedTest, IntactPicturesAmongThemAreAccepted) {
  for (const auto& [name, folder] : kIntact) {
    const std::filesystem::path file = std::filesystem::path("malformed") / folder / name;
    SCOPED_TRACE(file.string());
    Result<ProcessedImage> p = Process(file);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    ExpectFitsWithin(*p, kThumbAndPreview);
    EXPECT_LT(MeanAbsDifference(DecodeForTest(p->derivatives[1].bytes),
                                DecodeForTest(ReadTestFile(file))),
              6.0);
  }
  Result<ImageHeader> webp =
      ProbeHeader(ReadTestFile("malformed/polyglot-svg/libvips_looks-like-svg.webp"));
  ASSERT_TRUE(webp.ok());
  EXPECT_EQ(webp->format, Format::kWebp);
}

TEST(MalformedTest, BrokenExifIsAcceptedWithPixelsIntact) {
  for (const auto& file : TestFilesUnder("malformed/exif")) {
    SCOPED_TRACE(file.string());
    Result<ProcessedImage> p = Process(file);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    ExpectFitsWithin(*p, kThumbAndPreview);
    for (const Derivative& d : p->derivatives) ExpectNoMetadata(d);
  }
}

TEST(MalformedTest, TruncatedJpegIsNeverGreyFilled) {
  // Cut a good photo anywhere in its scan: always refused, never padded.
  const std::string photo = ReadTestFile("exif-orientation/Landscape_1.jpg");
  for (double fraction : {0.3, 0.6, 0.9, 0.99}) {
    const std::string cut = photo.substr(0, static_cast<size_t>(photo.size() * fraction));
    EXPECT_EQ(ProcessUpload(cut, kThumbAndPreview, Limits{}).code(), ErrorCode::kUnprocessableImage)
        << fraction;
  }
}

TEST(PipelineTest, ConcurrentUploadsGetTheSameAnswers) {
  // The thread-safety contract: the same results on 4 threads at once as one
  // at a time, failures included (libvips' error state is process-wide).
  std::vector<std::filesystem::path> files = {"exif-orientation/Landscape_6.jpg",
                                              "formats/png/libvips_rgba.png",
                                              "formats/gif/libvips_cogs.gif",
                                              "formats/webp/imagers_anim.webp",
                                              "formats/heic/ianare_samplefilehub.heif",
                                              "malformed/truncated/libvips_truncated.jpg",
                                              "malformed/corrupt-png/pillow_broken.png",
                                              "malformed/bombs/fuzzdb_lottapixel.jpg",
                                              "formats/libvips_logo.svg"};
  std::vector<std::string> bytes;
  std::vector<std::string> expected;
  auto summary = [](const Result<ProcessedImage>& p) {
    if (!p.ok()) return std::string(ErrorCodeSlug(p.code()));
    std::string s;
    for (const Derivative& d : p->derivatives) {
      s += std::to_string(d.width) + "x" + std::to_string(d.height) + " ";
    }
    return s + p->exif.json;
  };
  for (const auto& file : files) {
    bytes.push_back(ReadTestFile(file));
    expected.push_back(summary(ProcessUpload(bytes.back(), kThumbAndPreview, Limits{})));
  }
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round) {
        for (size_t i = 0; i < files.size(); ++i) {
          const size_t k = (i + t) % files.size();
          if (summary(ProcessUpload(bytes[k], kThumbAndPreview, Limits{})) != expected[k]) {
            ++mismatches;
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(PipelineTest, SpecsAreValidated) {
  EXPECT_EQ(
      ProcessUpload(ReadTestFile("formats/png/libvips_rgba.png"), {{"bad", 0}}, Limits{}).code(),
      ErrorCode::kInvalidArgument);
}

TEST(PipelineTest, MakeDerivativeMatchesProcessUpload) {
  const std::string bytes = ReadTestFile("exif-orientation/Landscape_8.jpg");
  Result<Derivative> d = MakeDerivative(bytes, {"thumb", 512, OutputFormat::kWebp, 80}, Limits{});
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->width, 512);
  EXPECT_EQ(d->height, 341);
  EXPECT_EQ(d->format, OutputFormat::kWebp);
  ExpectNoMetadata(*d);
  EXPECT_LT(MeanAbsDifference(DecodeForTest(d->bytes),
                              UprightReference("exif-orientation/Landscape_8.jpg")),
            6.0);
  EXPECT_EQ(MakeDerivative("not an image", {"thumb", 512}, Limits{}).code(),
            ErrorCode::kUnsupportedMediaType);
  EXPECT_EQ(MakeDerivative(bytes, {"thumb", 512}, Limits{.max_pixels = 1000}).code(),
            ErrorCode::kImageTooLarge);
}

}  // namespace
}  // namespace gallery::image
