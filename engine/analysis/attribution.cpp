#include "analysis/attribution.hpp"
#include "analysis/text_table.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "analysis/statistics.hpp"

namespace daihai::analysis {

namespace {

Spread spread_of(const std::vector<double>& v) {
  if (v.empty()) return {std::nan(""), std::nan(""), std::nan("")};
  return {quantile_type7(v, 0.5), quantile_type7(v, 0.05), quantile_type7(v, 0.95)};
}

std::size_t index_of(const std::vector<int>& years, int year) {
  const auto it = std::find(years.begin(), years.end(), year);
  if (it == years.end()) throw std::invalid_argument(fmt::format("attribution: the year {} is not on the annual axis", year));
  return static_cast<std::size_t>(it - years.begin());
}

double factorial(int k) {
  double f = 1.0;
  for (int i = 2; i <= k; ++i) f *= i;
  return f;
}

}  // namespace

AttributionTable compute_attribution(const AttributionInput& in, int trend_from, int trend_to, int area_year) {
  const int n = static_cast<int>(in.measures.size());
  if (n < 1 || n > 12) throw std::invalid_argument("attribution: needs 1 to 12 measures");
  if (trend_to <= trend_from) throw std::invalid_argument("attribution: the trend period must span two years or more");
  const std::size_t i0 = index_of(in.years, trend_from), i1 = index_of(in.years, trend_to), ia = index_of(in.years, area_year);
  std::vector<double> trend_years;
  for (std::size_t i = i0; i <= i1; ++i) trend_years.push_back(in.years[i]);
  const unsigned combos = 1u << n, all = combos - 1;

  // Per member: the run of each combination.
  std::map<std::string, std::vector<const AttributionInput::Run*>> by_member;
  for (const auto& r : in.runs) {
    unsigned mask = 0;
    for (int k = 0; k < n; ++k)
      if (r.on.at(static_cast<std::size_t>(k))) mask |= 1u << k;
    auto& slots = by_member[r.member];
    if (slots.empty()) slots.assign(combos, nullptr);
    if (slots[mask] != nullptr) throw std::invalid_argument(fmt::format("attribution: member {} has a combination twice", r.member));
    slots[mask] = &r;
  }
  AttributionTable t;
  t.trend_from = trend_from;
  t.trend_to = trend_to;
  t.area_year = area_year;
  std::vector<double> base_trend, plan_trend, change, plan_area, base_area;
  std::vector<std::vector<double>> share(static_cast<std::size_t>(n)), fraction(static_cast<std::size_t>(n)),
      alone(static_cast<std::size_t>(n)), dropped(static_cast<std::size_t>(n));
  for (const auto& [member, slots] : by_member) {
    for (unsigned m = 0; m < combos; ++m)
      if (slots[m] == nullptr) {
        std::string on;
        for (int k = 0; k < n; ++k)
          if (m & (1u << k)) on += (on.empty() ? "" : "+") + in.measures[static_cast<std::size_t>(k)];
        throw std::invalid_argument(fmt::format("attribution: member {} lacks the combination '{}' (the batch must hold every on/off "
                                                "combination of its measures)",
                                                member, on.empty() ? "baseline" : on));
      }
    if (std::any_of(slots.begin(), slots.end(), [](const auto* r) { return !r->ok; })) {
      ++t.members_skipped;
      continue;
    }
    std::vector<double> v(combos), area(combos);
    for (unsigned m = 0; m < combos; ++m) {
      const auto& vol = slots[m]->volume_m3;
      v[m] = least_squares_slope(trend_years, std::span<const double>(vol.data() + i0, i1 - i0 + 1));
      area[m] = slots[m]->area_m2.at(ia);
    }
    ++t.members;
    base_trend.push_back(v[0]);
    plan_trend.push_back(v[all]);
    change.push_back(v[all] - v[0]);
    plan_area.push_back(area[all]);
    base_area.push_back(area[0]);
    for (int i = 0; i < n; ++i) {
      const unsigned bit = 1u << i;
      double phi = 0.0;
      for (unsigned s = 0; s < combos; ++s) {
        if (s & bit) continue;
        const int size = __builtin_popcount(s);
        phi += factorial(size) * factorial(n - size - 1) / factorial(n) * (v[s | bit] - v[s]);
      }
      share[static_cast<std::size_t>(i)].push_back(phi);
      if (v[all] != v[0]) fraction[static_cast<std::size_t>(i)].push_back(phi / (v[all] - v[0]));
      alone[static_cast<std::size_t>(i)].push_back(area[bit] - area[0]);
      dropped[static_cast<std::size_t>(i)].push_back(area[all] - area[all & ~bit]);
    }
  }
  if (t.members == 0) throw std::invalid_argument("attribution: no member has all its runs successful");
  t.baseline_trend_m3_per_a = spread_of(base_trend);
  t.plan_trend_m3_per_a = spread_of(plan_trend);
  t.plan_change_m3_per_a = spread_of(change);
  t.plan_area_m2 = spread_of(plan_area);
  t.baseline_area_m2 = spread_of(base_area);
  for (int i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    t.measures.push_back({in.measures[k], spread_of(share[k]), spread_of(fraction[k]), spread_of(alone[k]), spread_of(dropped[k])});
  }
  return t;
}

std::string format_attribution(const AttributionTable& t) {
  auto sp = [](const Spread& s, double scale, int digits) {
    return fmt::format("{:.{}f} [{:.{}f} .. {:.{}f}]", s.median * scale, digits, s.p05 * scale, digits, s.p95 * scale, digits);
  };
  std::string out = fmt::format(
      "Attribution over {} members ({} left out: a run failed); median [5-95 %] over members.\n"
      "Volume trend {}-{} (least-squares slope of the annual mean volume): baseline {} , whole plan {} ,\n"
      "change by the plan {} (1e6 m3/a). Shares: Shapley values of the change (they add up to it; interactions split equally).\n"
      "Area {}: baseline {} km2, whole plan {} km2; alone = A(measure) - A(baseline); dropped = A(plan) - A(plan without it).\n\n",
      t.members, t.members_skipped, t.trend_from, t.trend_to, sp(t.baseline_trend_m3_per_a, 1e-6, 2), sp(t.plan_trend_m3_per_a, 1e-6, 2),
      sp(t.plan_change_m3_per_a, 1e-6, 2), t.area_year, sp(t.baseline_area_m2, 1e-6, 1), sp(t.plan_area_m2, 1e-6, 1));
  std::vector<std::vector<std::string>> cells;
  cells.push_back({"measure", "trend share 1e6 m3/a", "share %", fmt::format("alone: area {} km2", t.area_year),
                   fmt::format("dropped: area {} km2", t.area_year)});
  for (const auto& m : t.measures)
    cells.push_back({m.measure, sp(m.trend_share_m3_per_a, 1e-6, 2), sp(m.trend_share_fraction, 100.0, 0), sp(m.alone_area_m2, 1e-6, 1),
                     sp(m.dropped_area_m2, 1e-6, 1)});
  return out + fixed_width_table(cells);
}

}  // namespace daihai::analysis
