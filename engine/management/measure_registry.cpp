#include "management/measure_kind.hpp"

#include "core/date.hpp"

namespace daihai::management {

// The registry: one line per measure kind, naming the function defined in `measures/<file>.cpp`.
#define DAIHAI_MEASURE_KINDS(X) \
  X(cooling_retrofit)           \
  X(diversion)                  \
  X(agricultural_saving)        \
  X(groundwater_cap)            \
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

}  // namespace daihai::management
