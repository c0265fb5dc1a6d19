#pragma once
/// @file assimilate.hpp
/// What the analysis of data assimilation needs of a block's lanes (analysis/assimilation.hpp):
/// the observation operators on the quantities the engine derives, the variables the ensemble
/// Kalman filter updates, and the change of the stores that puts an analysis into a lane while
/// keeping it physical. Pure functions of a block's state; no threads, no files.
#include <array>
#include <functional>
#include <vector>

#include <Eigen/Core>

#include "analysis/assimilation.hpp"
#include "physics/block.hpp"
#include "physics/hypsometry.hpp"

namespace daihai::scenario {

/// The value of monitored quantity `q` for lane `l` of a block with state `x` and derived
/// quantities `d` (SI: m, m², m³, g/L = kg/m³). Throws std::invalid_argument for an aquifer head
/// in a model without aquifer (`aquifer` false).
double observe(analysis::Monitored q, const physics::BlockState& x, const physics::Derived& d, physics::Index l, bool aquifer);

/// The variables the filter updates for lane `l`, in this order: lake volume V (m³), dissolved
/// TDS c = M/V (kg/m³), aquifer head h_aq (m) and the aquifer's TDS c_aq = S_aq/G (kg/m³).
/// Updating TDS rather than salt keeps water and salt consistent: the analysis salt is c·V, so a
/// member whose volume is corrected keeps its concentration unless the observations say
/// otherwise. The aquifer by its head rather than its storage: members differ in specific yield
/// and aquifer area, so one head is a different storage in each, and a regression of storage on
/// head across members would move them away from an observed head.
inline constexpr int kAnalysisVariables = 4;
std::array<double, kAnalysisVariables> analysis_variables(const physics::BlockState& x, const physics::Derived& d, physics::Index l);

/// The variable localisation of observations of `quantities` (analysis::enkf_analysis's weights,
/// kAnalysisVariables × quantities.size()): the lake's observations (level, area, volume, TDS)
/// move the lake (V, c), an aquifer head the aquifer (G, c_aq), nothing else. The members'
/// aquifers differ mostly by their parameters (specific yield, aquifer area), not by error:
/// moving them with the lake's area put members' aquifer heads metres above their lakes in a trial
/// and drove flows no observation supports.
Eigen::MatrixXd localization(const std::vector<analysis::Monitored>& quantities);

/// The change of the stores (physics::StateColumn order) that takes lane `l` to the analysis
/// variables `v`, each clipped to its physical range first: 0 <= V <= the hypsometry's top
/// volume less 0.1 % (the lake stays inside its table), c >= 0, G >= 0, c_aq >= 0. The aquifer's
/// storage is `aquifer_storage_at_head` of the analysis head (empty: a model without aquifer,
/// whose aquifer never changes). The lake's salt becomes c·V plus the deposit it held (deposited
/// salt is not observed and stays); the aquifer's salt c_aq·G. Field salt never changes.
std::array<double, physics::kStores> store_increment(const std::array<double, kAnalysisVariables>& v, const physics::BlockState& x,
                                                     const physics::Derived& d, physics::Index l, const physics::Hypsometry& h,
                                                     const std::function<double(double)>& aquifer_storage_at_head);

}  // namespace daihai::scenario
