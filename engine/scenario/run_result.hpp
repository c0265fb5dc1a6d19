#pragma once
/// @file run_result.hpp
/// What one run hands to the output side: identity, status, states, annual and series
/// aggregates, and the balance residuals. Plain data; written by io::ResultSink.
#include <cstdint>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace daihai::scenario {

/// How a variable aggregates over an interval: states are interval means of end-of-day
/// values; fluxes are interval totals (m3 or kg) of the integrated flux.
enum class Aggregation { mean, total };

/// One output variable over a time axis. `values.size()` equals the axis length.
struct Variable {
  std::string name;       ///< dataset name, unit in the name where ambiguous (e.g. `evaporation_m3`)
  std::string units;      ///< UDUNITS-style units (`m`, `m2`, `m3`, `kg`, `g/L`, `mm`)
  std::string long_name;  ///< human description
  Aggregation aggregation = Aggregation::mean;
  std::vector<double> values;
  /// For flux totals, the budget the term belongs to: "lake_water" or "aquifer_water" (m3,
  /// + into that store), "salt" (kg, + into the lake's dissolved salt), "internal" (a transfer
  /// between stores of one budget, e.g. salt deposition), or "" (diagnostic, not a budget term).
  std::string budget;
};

/// A scalar state (initial or final), SI units as named.
struct StateValue {
  std::string name;
  std::string units;
  std::string long_name;
  double value = 0.0;
};

/// Result of one run. When `ok` is false only the identity fields and `error` are meaningful.
struct RunResult {
  // identity
  std::string scenario;                                  ///< scenario name (a measure combination)
  std::vector<std::pair<std::string, bool>> measures;    ///< each known measure, on/off, in a fixed order
  /// Each uncertain design value of the known measures: name "<measure>.<key>", unit, value in
  /// that unit (NaN where the measure is off), in a fixed order.
  std::vector<std::tuple<std::string, std::string, double>> design_values;
  int climate_member = 0;                                ///< climate member of the weather generator (its random stream)
  int parameter_member = 0;                              ///< parameter ensemble member (0 = the inputs' parameters)
  double delta_t_C = 0.0;    ///< climate-change shift of air temperature applied to the generated weather, degC
  /// The day (YYYY-MM-DD) the run branched from the history it shares with the other runs of
  /// its member (measures as they happened, conditioned on monitoring data); empty when it did not.
  std::string branch_date;
  double delta_p_pct = 0.0;  ///< climate-change change of precipitation amounts applied to the generated weather, %
  bool ok = false;
  std::string error;

  std::vector<StateValue> initial;  ///< stores and derived states at the start of the first day
  std::vector<StateValue> final;    ///< the same at the end of the last day

  std::vector<int> years;           ///< calendar years of the annual axis (complete or partial)
  std::vector<Variable> annual;     ///< annual means of states, annual totals of fluxes

  std::vector<std::int64_t> series_start_day;  ///< first day (days since 1970-01-01) of each interval
  std::vector<std::int64_t> series_end_day;    ///< last day (inclusive) of each interval
  std::vector<Variable> series;                ///< interval means of states, totals of fluxes

  double water_residual_m3 = 0.0;  ///< change of lake+aquifer storage minus the sum of water flux totals
  double salt_residual_kg = 0.0;   ///< change of dissolved+deposited salt minus the sum of salt flux totals
  std::uint64_t steps = 0;         ///< accepted integrator steps
  std::uint64_t rejected_steps = 0;///< rejected (error-controlled) steps
};

}  // namespace daihai::scenario
