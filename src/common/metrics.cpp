#include "common/metrics.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/time.hpp"

namespace gallery {
namespace {

std::string EscapeLabel(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string LabelText(const std::vector<std::string>& names, const LabelValues& values,
                      const std::string& extra = {}) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    if (!out.empty()) out += ",";
    out += names[i] + "=\"" + EscapeLabel(values[i]) + "\"";
  }
  if (!extra.empty()) {
    if (!out.empty()) out += ",";
    out += extra;
  }
  return out.empty() ? "" : "{" + out + "}";
}

std::string Number(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  std::ostringstream os;
  os.precision(17);
  os << v;
  return os.str();
}

}  // namespace

Metrics::Metrics() = default;

void Metrics::DeclareCounter(const std::string& name, const std::string& help,
                             std::vector<std::string> label_names) {
  std::lock_guard lock(mu_);
  Family& f = families_[name];
  f.help = help;
  f.label_names = std::move(label_names);
}

void Metrics::DeclareHistogram(const std::string& name, const std::string& help,
                               std::vector<std::string> label_names, std::vector<double> buckets) {
  std::lock_guard lock(mu_);
  Family& f = families_[name];
  f.help = help;
  f.is_histogram = true;
  f.label_names = std::move(label_names);
  f.buckets = std::move(buckets);
}

void Metrics::DeclareGauge(const std::string& name, const std::string& help,
                           std::function<double()> read) {
  std::lock_guard lock(mu_);
  gauges_[name] = Gauge{help, std::move(read)};
}

void Metrics::Add(const std::string& name, const LabelValues& labels, double delta) {
  std::lock_guard lock(mu_);
  auto it = families_.find(name);
  if (it == families_.end() || it->second.is_histogram) return;
  it->second.counters[labels] += delta;
}

void Metrics::Observe(const std::string& name, const LabelValues& labels, double value) {
  std::lock_guard lock(mu_);
  auto it = families_.find(name);
  if (it == families_.end() || !it->second.is_histogram) return;
  Family& f = it->second;
  Histogram& h = f.histograms[labels];
  if (h.counts.empty()) h.counts.assign(f.buckets.size() + 1, 0);
  size_t i = 0;
  while (i < f.buckets.size() && value > f.buckets[i]) ++i;
  ++h.counts[i];
  h.sum += value;
  ++h.count;
}

std::string Metrics::RenderPrometheus() const {
  std::vector<std::pair<std::string, Gauge>> gauges;
  std::ostringstream out;
  {
    std::lock_guard lock(mu_);
    for (const auto& [name, f] : families_) {
      out << "# HELP " << name << " " << f.help << "\n";
      out << "# TYPE " << name << (f.is_histogram ? " histogram\n" : " counter\n");
      if (!f.is_histogram) {
        if (f.counters.empty() && f.label_names.empty()) out << name << " 0\n";
        for (const auto& [labels, v] : f.counters) {
          out << name << LabelText(f.label_names, labels) << " " << Number(v) << "\n";
        }
        continue;
      }
      for (const auto& [labels, h] : f.histograms) {
        uint64_t cumulative = 0;
        for (size_t i = 0; i <= f.buckets.size(); ++i) {
          cumulative += h.counts[i];
          std::string le = i < f.buckets.size() ? Number(f.buckets[i]) : "+Inf";
          out << name << "_bucket" << LabelText(f.label_names, labels, "le=\"" + le + "\"") << " "
              << cumulative << "\n";
        }
        out << name << "_sum" << LabelText(f.label_names, labels) << " " << Number(h.sum) << "\n";
        out << name << "_count" << LabelText(f.label_names, labels) << " " << h.count << "\n";
      }
    }
    gauges.assign(gauges_.begin(), gauges_.end());
  }
  // Gauges are read outside the lock: a reader may itself take locks.
  for (const auto& [name, g] : gauges) {
    out << "# HELP " << name << " " << g.help << "\n# TYPE " << name << " gauge\n";
    out << name << " " << Number(g.read()) << "\n";
  }
  return out.str();
}

double Metrics::CounterTotal(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = families_.find(name);
  if (it == families_.end()) return 0;
  double total = 0;
  for (const auto& [labels, v] : it->second.counters) total += v;
  return total;
}

std::string Metrics::TakeEmfSnapshot(const std::string& ns) {
  nlohmann::json doc = nlohmann::json::object();
  nlohmann::json metric_defs = nlohmann::json::array();
  bool changed = false;
  std::vector<std::pair<std::string, Gauge>> gauges;
  {
    std::lock_guard lock(mu_);
    for (const auto& [name, f] : families_) {
      if (!f.is_histogram) {
        double total = 0;
        for (const auto& [labels, v] : f.counters) total += v;
        double delta = total - emf_last_counter_totals_[name];
        emf_last_counter_totals_[name] = total;
        if (delta != 0) changed = true;
        doc[name] = delta;
        metric_defs.push_back({{"Name", name}, {"Unit", "Count"}});
      } else {
        double sum = 0;
        uint64_t count = 0;
        for (const auto& [labels, h] : f.histograms) {
          sum += h.sum;
          count += h.count;
        }
        auto& last = emf_last_hist_[name];
        double dsum = sum - last.first;
        uint64_t dcount = count - last.second;
        last = {sum, count};
        if (dcount == 0) continue;
        changed = true;
        // Mean over the interval, in milliseconds (histograms record seconds).
        doc[name + "_avg_ms"] = dsum / static_cast<double>(dcount) * 1000.0;
        metric_defs.push_back({{"Name", name + "_avg_ms"}, {"Unit", "Milliseconds"}});
      }
    }
    gauges.assign(gauges_.begin(), gauges_.end());
  }
  if (!changed) return {};
  for (const auto& [name, g] : gauges) {
    doc[name] = g.read();
    metric_defs.push_back({{"Name", name}, {"Unit", "None"}});
  }
  doc["_aws"] = {
      {"Timestamp", ToUnixMillis(Clock::now())},
      {"CloudWatchMetrics",
       nlohmann::json::array({{{"Namespace", ns},
                               {"Dimensions", nlohmann::json::array({nlohmann::json::array()})},
                               {"Metrics", metric_defs}}})}};
  return doc.dump();
}

}  // namespace gallery
