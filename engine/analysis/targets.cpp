#include "analysis/targets.hpp"

namespace daihai::analysis {

const char* to_string(Statistic statistic) {
  switch (statistic) {
    case Statistic::trend: return "trend";
    case Statistic::every_year: return "every_year";
    case Statistic::in_year: return "in_year";
  }
  return "?";
}

std::string si_unit(const Target& t) {
  std::string u = t.quantity == "area_m2" ? "m2" : t.quantity == "level_m" ? "m" : "g/L";
  return t.statistic == Statistic::trend ? u + "/a" : u;
}

}  // namespace daihai::analysis
