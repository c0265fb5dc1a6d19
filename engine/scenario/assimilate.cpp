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
  return {x(l, physics::kVolume), d.tds_kg_per_m3(l), x(l, physics::kAquifer), d.aquifer_tds_kg_per_m3(l)};
}

Eigen::MatrixXd localization(const std::vector<analysis::Monitored>& quantities) {
  Eigen::MatrixXd w = Eigen::MatrixXd::Zero(kAnalysisVariables, static_cast<Eigen::Index>(quantities.size()));
  for (std::size_t k = 0; k < quantities.size(); ++k)
    w.col(static_cast<Eigen::Index>(k)).segment(quantities[k] == analysis::Monitored::aquifer_head ? 2 : 0, 2).setOnes();
  return w;
}

std::array<double, physics::kStores> store_increment(const std::array<double, kAnalysisVariables>& v, const physics::BlockState& x,
                                                     const physics::Derived& d, Index l, const physics::Hypsometry& h, bool aquifer) {
  std::array<double, physics::kStores> dx{};
  const double volume = std::clamp(v[0], 0.0, 0.999 * h.max_volume_m3());
  const double tds = std::max(v[1], 0.0);
  dx[physics::kVolume] = volume - x(l, physics::kVolume);
  dx[physics::kSalt] = tds * volume + d.deposit_kg(l) - x(l, physics::kSalt);
  if (aquifer) {
    const double storage = std::max(v[2], 0.0);
    dx[physics::kAquifer] = storage - x(l, physics::kAquifer);
    dx[physics::kAquiferSalt] = std::max(v[3], 0.0) * storage - x(l, physics::kAquiferSalt);
  }
  return dx;
}

}  // namespace daihai::scenario
