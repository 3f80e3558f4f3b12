#pragma once

// Process metrics in the Prometheus text format (GET /metrics), and the same
// figures as CloudWatch Embedded Metric Format lines on stdout, so they reach
// CloudWatch through the log driver with no API calls.
//
// Thread safety: every method is safe for concurrent use. Recording is a
// mutex-protected map update (cheap next to a request); rendering copies.

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace gallery {

// Label values, in the order of the metric's label names.
using LabelValues = std::vector<std::string>;

class Metrics {
 public:
  Metrics();

  // Declares a counter or histogram; call once per name before recording.
  void DeclareCounter(const std::string& name, const std::string& help,
                      std::vector<std::string> label_names);
  void DeclareHistogram(const std::string& name, const std::string& help,
                        std::vector<std::string> label_names, std::vector<double> buckets);
  // A gauge read when rendering.
  void DeclareGauge(const std::string& name, const std::string& help, std::function<double()> read);

  void Add(const std::string& name, const LabelValues& labels, double delta = 1);
  void Observe(const std::string& name, const LabelValues& labels, double value);

  // The whole registry in the Prometheus text exposition format 0.0.4.
  std::string RenderPrometheus() const;

  // One EMF JSON document (namespace `ns`) with what changed since the last
  // call: counters as deltas summed over labels (per `dimension_label` when
  // that label exists, e.g. "route"), histograms as their sum/count, gauges
  // as values. Empty string when nothing happened.
  std::string TakeEmfSnapshot(const std::string& ns);

  // Value of a counter summed over all label values (tests, EMF).
  double CounterTotal(const std::string& name) const;

 private:
  struct Histogram {
    std::vector<uint64_t> counts;  // per bucket, not cumulative; last is +Inf
    double sum = 0;
    uint64_t count = 0;
  };
  struct Family {
    std::string help;
    bool is_histogram = false;
    std::vector<std::string> label_names;
    std::vector<double> buckets;
    std::map<LabelValues, double> counters;
    std::map<LabelValues, Histogram> histograms;
  };
  struct Gauge {
    std::string help;
    std::function<double()> read;
  };

  mutable std::mutex mu_;
  std::map<std::string, Family> families_;                            // GUARDED_BY(mu_)
  std::map<std::string, Gauge> gauges_;                               // GUARDED_BY(mu_)
  std::map<std::string, double> emf_last_counter_totals_;             // GUARDED_BY(mu_)
  std::map<std::string, std::pair<double, uint64_t>> emf_last_hist_;  // GUARDED_BY(mu_)
};

}  // namespace gallery
