#include "scenario/assimilate.hpp"

#include <algorithm>
#include <stdexcept>

namespace daihai::scenario {

using physics::Index;

double observe(analysis::Monitored q, const physics::BlockState& x, const physics::Derived& d, Index l, bool aquifer) {
  switch (q) {
    case analysis::Monitored::level: return d.stage_m(l);
    case analysis::Monitored::area: return d.area_m2(l);
    case analysis::Monitored::volume: return x(l, physics::kVolume);
    case analysis::Monitored::tds: return d.tds_kg_per_m3(l);
    default:
      if (!aquifer) throw std::invalid_argument("an aquifer head observed in a model without aquifer");
      return d.head_m(l);
  }
}

std::array<double, kAnalysisVariables> analysis_variables(const physics::BlockState& x, const physics::Derived& d, Index l) {
  return {x(l, physics::kVolume), d.tds_kg_per_m3(l), d.head_m(l), d.aquifer_tds_kg_per_m3(l)};
}

Eigen::MatrixXd localization(const std::vector<analysis::Monitored>& quantities) {
  Eigen::MatrixXd w = Eigen::MatrixXd::Zero(kAnalysisVariables, static_cast<Eigen::Index>(quantities.size()));
  for (std::size_t k = 0; k < quantities.size(); ++k)
    w.col(static_cast<Eigen::Index>(k)).segment(quantities[k] == analysis::Monitored::aquifer_head ? 2 : 0, 2).setOnes();
  return w;
}

std::array<double, physics::kStores> store_increment(const std::array<double, kAnalysisVariables>& v, const physics::BlockState& x,
                                                     const physics::Derived& d, Index l, const physics::Hypsometry& h,
                                                     const std::function<double(double)>& aquifer_storage_at_head) {
  // A variable the analysis left as it was changes nothing, bit for bit (c·V is not M exactly).
  std::array<double, physics::kStores> dx{};
  const auto before = analysis_variables(x, d, l);
  const double volume = std::clamp(v[0], 0.0, 0.999 * h.max_volume_m3());
  const double tds = std::max(v[1], 0.0);
  dx[physics::kVolume] = v[0] == before[0] ? 0.0 : volume - x(l, physics::kVolume);
  const bool lake_same = dx[physics::kVolume] == 0.0 && v[1] == before[1];
  dx[physics::kSalt] = lake_same ? 0.0 : tds * (x(l, physics::kVolume) + dx[physics::kVolume]) - d.dissolved_kg(l);
  if (aquifer_storage_at_head) {
    const double g = x(l, physics::kAquifer);
    const double storage = v[2] == before[2] ? g : std::max(aquifer_storage_at_head(v[2]), 0.0);
    dx[physics::kAquifer] = storage - g;
    const bool aquifer_same = storage == g && v[3] == before[3];
    dx[physics::kAquiferSalt] = aquifer_same ? 0.0 : std::max(v[3], 0.0) * storage - x(l, physics::kAquiferSalt);
  }
  return dx;
}

}  // namespace daihai::scenario
