#include "common/metrics.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace gallery {
namespace {

TEST(MetricsTest, RendersCountersHistogramsAndGauges) {
  Metrics m;
  m.DeclareCounter("http_requests_total", "Requests.", {"route", "status"});
  m.DeclareHistogram("http_request_duration_seconds", "Latency.", {"route"}, {0.01, 0.1});
  m.DeclareGauge("image_queue_depth", "Queued jobs.", [] { return 3.0; });
  m.Add("http_requests_total", {"/healthz", "200"});
  m.Add("http_requests_total", {"/healthz", "200"});
  m.Observe("http_request_duration_seconds", {"/healthz"}, 0.005);
  m.Observe("http_request_duration_seconds", {"/healthz"}, 0.5);
  std::string text = m.RenderPrometheus();
  EXPECT_NE(text.find("http_requests_total{route=\"/healthz\",status=\"200\"} 2"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.01\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("http_request_duration_seconds_count{route=\"/healthz\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("# TYPE image_queue_depth gauge\nimage_queue_depth 3"), std::string::npos);
}

TEST(MetricsTest, EmfSnapshotReportsDeltas) {
  Metrics m;
  m.DeclareCounter("uploads_total", "Uploads.", {});
  EXPECT_EQ(m.TakeEmfSnapshot("PictureGallery"), "");
  m.Add("uploads_total", {}, 2);
  auto doc = nlohmann::json::parse(m.TakeEmfSnapshot("PictureGallery"));
  EXPECT_EQ(doc["uploads_total"], 2);
  EXPECT_EQ(doc["_aws"]["CloudWatchMetrics"][0]["Namespace"], "PictureGallery");
  m.Add("uploads_total", {}, 1);
  doc = nlohmann::json::parse(m.TakeEmfSnapshot("PictureGallery"));
  EXPECT_EQ(doc["uploads_total"], 1);
}

}  // namespace
}  // namespace gallery
