#include "management/water_use.hpp"

namespace daihai::management {

// The registry: one line per water use, naming the function defined in `uses/<name>.cpp`.
#define DAIHAI_WATER_USES(X) \
  X(irrigation)              \
  X(towns)                   \
  X(power_plant)             \
  X(lake_abstraction)

namespace uses {
#define DAIHAI_DECLARE(name) WaterUse name();
DAIHAI_WATER_USES(DAIHAI_DECLARE)
#undef DAIHAI_DECLARE
}  // namespace uses

const std::vector<WaterUse>& water_uses() {
#define DAIHAI_ENTRY(name) uses::name(),
  static const std::vector<WaterUse> table = {DAIHAI_WATER_USES(DAIHAI_ENTRY)};
#undef DAIHAI_ENTRY
  return table;
}

}  // namespace daihai::management
