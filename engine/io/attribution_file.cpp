#include "io/attribution_file.hpp"

#include <algorithm>
#include <cstdint>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "io/hdf5.hpp"
#include "io/result_sink.hpp"
#include "io/text_file.hpp"

namespace daihai::io {

analysis::AttributionInput read_attribution_input(const std::string& path) {
  auto file = open_result_file(path);
  auto runs = file.open_group("runs");
  auto annual = file.open_group("annual");
  const auto status = require_dataset(runs, "/runs", "status", path).read_int8();
  const auto climate = require_dataset(runs, "/runs", "climate_member", path).read_int64();
  const auto parameter = require_dataset(runs, "/runs", "parameter_member", path).read_int64();
  const auto dt = require_dataset(runs, "/runs", "delta_t_C", path).read_double();
  const auto dp = require_dataset(runs, "/runs", "delta_p_pct", path).read_double();
  const auto years = require_dataset(annual, "/annual", "year", path).read_int64();
  const std::size_t n = status.size(), ny = years.size();
  // One climate: members under different deltas are not draws of one distribution.
  for (std::size_t r = 1; r < n && r < dt.size() && r < dp.size(); ++r)
    if (dt[r] != dt[0] || dp[r] != dp[0])
      throw core::InputError(path, 0, "/runs/delta_t_C",
                             fmt::format("the batch holds several climate deltas ({:+g} degC {:+g} % and {:+g} degC {:+g} %): attribution "
                                         "compares members of one climate; run a batch with one delta",
                                         dt[0], dp[0], dt[r], dp[r]));
  analysis::AttributionInput in;
  in.years.assign(years.begin(), years.end());
  std::vector<std::vector<std::int8_t>> flags;
  for (const auto& name : runs.children()) {
    if (name.rfind("measure_", 0) != 0) continue;
    auto on = runs.open_dataset(name).read_int8();
    if (on.size() != n) throw core::InputError(path, 0, "/runs/" + name, "datasets of different lengths");
    bool some_on = false, some_off = false;
    for (auto v : on) (v ? some_on : some_off) = true;
    if (!(some_on && some_off)) continue;  // a measure the batch does not vary
    in.measures.push_back(name.substr(8));
    flags.push_back(std::move(on));
  }
  if (in.measures.empty()) throw core::InputError(path, 0, "/runs", "no measure is on in some runs and off in others: nothing to attribute");
  std::vector<double> volume, area;
  const bool any_ok = std::any_of(status.begin(), status.end(), [](std::int8_t s) { return s == 0; });
  if (any_ok) {
    for (auto [name, dest] : {std::pair{"volume_m3", &volume}, std::pair{"area_m2", &area}}) {
      auto ds = require_dataset(annual, "/annual", name, path);
      const auto dims = ds.dims();
      if (dims.size() != 2 || dims[0] != n || dims[1] != ny)
        throw core::InputError(path, 0, std::string("/annual/") + name, "shape is not [run, year]");
      *dest = ds.read_double();
    }
  }
  for (std::size_t r = 0; r < n; ++r) {
    analysis::AttributionInput::Run run;
    for (const auto& f : flags) run.on.push_back(f[r] != 0);
    run.member = fmt::format("climate {} parameter {} dT {} dP {}", climate[r], parameter[r], dt[r], dp[r]);
    run.ok = status[r] == 0;
    if (run.ok) {
      run.volume_m3.assign(volume.begin() + static_cast<long>(r * ny), volume.begin() + static_cast<long>((r + 1) * ny));
      run.area_m2.assign(area.begin() + static_cast<long>(r * ny), area.begin() + static_cast<long>((r + 1) * ny));
    }
    in.runs.push_back(std::move(run));
  }
  return in;
}

void write_attribution_csv(const analysis::AttributionTable& t, const std::string& path) {
  std::string csv = fmt::format(
      "measure,trend_share_1e6m3_per_a_median,trend_share_1e6m3_per_a_p05,trend_share_1e6m3_per_a_p95,trend_share_pct_median,"
      "trend_share_pct_p05,trend_share_pct_p95,alone_area_{0}_km2_median,alone_area_{0}_km2_p05,alone_area_{0}_km2_p95,"
      "dropped_area_{0}_km2_median,dropped_area_{0}_km2_p05,dropped_area_{0}_km2_p95\n",
      t.area_year);
  auto three = [](const analysis::Spread& s, double scale) {
    return fmt::format("{:.6g},{:.6g},{:.6g}", s.median * scale, s.p05 * scale, s.p95 * scale);
  };
  for (const auto& m : t.measures)
    csv += fmt::format("{},{},{},{},{}\n", m.measure, three(m.trend_share_m3_per_a, 1e-6), three(m.trend_share_fraction, 100.0),
                       three(m.alone_area_m2, 1e-6), three(m.dropped_area_m2, 1e-6));
  write_text_file(path, csv);
}

}  // namespace daihai::io
