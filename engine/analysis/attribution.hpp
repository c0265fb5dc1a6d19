#pragma once
/// @file attribution.hpp
/// What each measure of a factorial batch does, from the batch's own runs (pure: no files).
///
/// For every member (a climate member, parameter member and climate delta) the batch holds all
/// 2^n on/off combinations of its n measures. Per member:
///  - the change of the lake's volume trend (least-squares slope of the annual mean volume over
///    [trend_from, trend_to], m³/a) that the whole plan brings, v(N) − v(∅), is shared among the
///    measures by their Shapley values (Shapley 1953; as in factorial attribution of model
///    experiments): φ_i = Σ_{S ⊆ N∖{i}} |S|!(n − |S| − 1)!/n! · [v(S ∪ {i}) − v(S)], which add up to
///    the change exactly and give interactions to the measures in equal parts;
///  - each measure's effect on the annual mean area of `area_year` alone, A({i}) − A(∅), and when
///    dropped from the full plan, A(N) − A(N ∖ {i}).
/// Over members: median and 5–95 % (Hyndman & Fan type 7).
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/verification.hpp"

namespace daihai::analysis {

/// The runs of a factorial batch.
struct AttributionInput {
  std::vector<std::string> measures;  ///< the batch's measures (n ≤ 12)
  std::vector<int> years;             ///< annual axis
  struct Run {
    std::vector<bool> on;            ///< per measure, in the order of `measures`
    std::string member;              ///< key of its member (runs of one member differ only in measures)
    bool ok = false;
    std::vector<double> volume_m3;   ///< annual mean volume
    std::vector<double> area_m2;     ///< annual mean area
  };
  std::vector<Run> runs;
};

/// One measure's attribution, over members.
struct MeasureAttribution {
  std::string measure;
  Spread trend_share_m3_per_a;  ///< its Shapley share of the plan's change of the volume trend
  Spread trend_share_fraction;  ///< that share over the whole change (members where the change is not 0)
  Spread alone_area_m2;         ///< A({i}) − A(∅) in area_year
  Spread dropped_area_m2;       ///< A(N) − A(N ∖ {i}) in area_year
};

struct AttributionTable {
  int trend_from = 0, trend_to = 0, area_year = 0;
  std::size_t members = 0;          ///< members with every combination successful
  std::size_t members_skipped = 0;  ///< members with a failed run (left out)
  Spread baseline_trend_m3_per_a;   ///< v(∅)
  Spread plan_trend_m3_per_a;       ///< v(N)
  Spread plan_change_m3_per_a;      ///< v(N) − v(∅)
  Spread plan_area_m2, baseline_area_m2;  ///< A(N), A(∅) in area_year
  std::vector<MeasureAttribution> measures;
};

/// Computes the attribution. Throws std::invalid_argument when there are no measures or more than
/// 12, a year lies outside the annual axis or trend_to <= trend_from, a member lacks a
/// combination (naming the member and the measures of the missing combination), a combination
/// repeats within a member, or no member has all its runs successful.
AttributionTable compute_attribution(const AttributionInput& in, int trend_from, int trend_to, int area_year);

/// Fixed-width text of the table: volumes in m³/a, areas in km², shares in %.
std::string format_attribution(const AttributionTable& table);

}  // namespace daihai::analysis
