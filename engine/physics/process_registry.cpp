#include <fmt/format.h>

#include "physics/process.hpp"

namespace daihai::physics {

// The registry: one line per process type, naming the function defined in
// `processes/<name>.cpp` that describes it (docs/extending.md). Processes of the same stage are
// evaluated in this order.
#define DAIHAI_PROCESS_TYPES(X) \
  X(lake_precipitation)         \
  X(lake_evaporation)           \
  X(catchment_runoff)           \
  X(river_withdrawal)           \
  X(lake_withdrawal)            \
  X(aquifer_pumping)            \
  X(scheduled_inflow)           \
  X(external_groundwater_inflow) \
  X(lake_groundwater_exchange)  \
  X(aquifer_recharge)           \
  X(exposed_bed_evaporation)     \
  X(assimilation_lake)           \
  X(assimilation_aquifer)

namespace processes {
#define DAIHAI_DECLARE(name) ProcessType name();
DAIHAI_PROCESS_TYPES(DAIHAI_DECLARE)
#undef DAIHAI_DECLARE
}  // namespace processes

const std::vector<ProcessType>& process_types() {
#define DAIHAI_ENTRY(name) processes::name(),
  static const std::vector<ProcessType> types = {DAIHAI_PROCESS_TYPES(DAIHAI_ENTRY)};
#undef DAIHAI_ENTRY
  return types;
}

const ProcessType* find_process_type(const std::string& type) {
  for (const auto& t : process_types())
    if (t.type == type) return &t;
  return nullptr;
}

std::string process_type_names() {
  std::string out;
  const auto& t = process_types();
  for (std::size_t i = 0; i < t.size(); ++i) out += (i == 0 ? "" : i + 1 == t.size() ? " or " : ", ") + t[i].type;
  return out;
}

Lanes Process::parameter(const char* name) const {
  Lanes v;
  for (Index l = 0; l < width(); ++l) v(l) = setup_.lanes[static_cast<std::size_t>(l)]->si(name);
  return v;
}

Lanes Process::parameter_in_unit(const char* name) const {
  Lanes v;
  for (Index l = 0; l < width(); ++l) v(l) = setup_.lanes[static_cast<std::size_t>(l)]->in_unit(name);
  return v;
}

}  // namespace daihai::physics
