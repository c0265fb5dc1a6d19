#include "management/measure_kind.hpp"

#include <algorithm>
#include <cmath>

#include "core/date.hpp"

namespace daihai::management {

// The registry: one line per measure kind, naming the function defined in `measures/<file>.cpp`.
#define DAIHAI_MEASURE_KINDS(X) \
  X(cooling_retrofit)           \
  X(diversion)                  \
  X(agricultural_saving)        \
  X(groundwater_cap)            \
  X(well_sealing)               \
  X(withdrawal_cap)             \
  X(inflow)                     \
  X(flux_scale)

namespace measures {
#define DAIHAI_DECLARE(name) MeasureKind name();
DAIHAI_MEASURE_KINDS(DAIHAI_DECLARE)
#undef DAIHAI_DECLARE
}  // namespace measures

const std::vector<MeasureKind>& measure_kinds() {
#define DAIHAI_ENTRY(name) measures::name(),
  static const std::vector<MeasureKind> kinds = {DAIHAI_MEASURE_KINDS(DAIHAI_ENTRY)};
#undef DAIHAI_ENTRY
  return kinds;
}

const MeasureKind* find_measure_kind(const std::string& kind) {
  for (const auto& k : measure_kinds())
    if (k.kind == kind) return &k;
  return nullptr;
}

std::string measure_kind_names() {
  std::string out;
  const auto& k = measure_kinds();
  for (std::size_t i = 0; i < k.size(); ++i) out += (i == 0 ? "" : i + 1 == k.size() ? " or " : ", ") + k[i].kind;
  return out;
}

std::int64_t start_day(const scenario::MeasureSpec& m) { return core::day_number(m.start); }

double phase_in(std::int64_t day, std::int64_t start, double years) {
  constexpr double kDaysPerYear = 365.2425;  // mean Gregorian year
  if (day < start) return 0.0;
  if (years <= 0.0) return 1.0;
  return std::min(1.0, static_cast<double>(day - start + 1) / (years * kDaysPerYear));
}

double two_stage(std::int64_t day, std::int64_t start, double first, double first_years, double total, double second_years) {
  const auto second_start = start + static_cast<std::int64_t>(std::llround(first_years * 365.2425));
  return first * phase_in(day, start, first_years) + std::max(0.0, total - first) * phase_in(day, second_start, second_years);
}

void reduce_by_year(PlanEditor& e, const std::vector<Daily*>& rates, Daily& reduction, std::size_t first,
                    const std::function<double(std::size_t i, std::size_t j, double demand_m3)>& removed) {
  const auto& year = e.year_of_day();
  const std::size_t n = e.days();
  for (std::size_t i = first; i < n;) {
    std::size_t j = i;
    while (j < n && year[j] == year[i]) ++j;
    double demand = 0.0;
    for (std::size_t d = i; d < j; ++d)
      for (const Daily* r : rates) demand += (*r)[d] * core::kSecondsPerDay;
    const double cut = demand > 0.0 ? std::clamp(removed(i, j, demand), 0.0, demand) : 0.0;
    if (cut > 0.0) {
      const double f = 1.0 - cut / demand;
      for (std::size_t d = i; d < j; ++d) {
        double before = 0.0;
        for (Daily* r : rates) {
          before += (*r)[d];
          (*r)[d] *= f;
        }
        reduction[d] += before * (1.0 - f);
      }
    }
    i = j;
  }
}

}  // namespace daihai::management
