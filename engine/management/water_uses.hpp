#pragma once
/// @file water_uses.hpp
/// Water uses and measures as data: daily demand and inflow schedules of a run, built before
/// it starts. Measures edit these schedules; physics never asks "is measure X on?".
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/parameters.hpp"
#include "physics/lake_model.hpp"
#include "scenario/spec.hpp"

namespace daihai::management {

/// Daily drivers of the human water uses, before they become flux terms. One entry per day
/// of the run. Units as named (per-year figures are spread evenly over their days).
struct UseDrivers {
  std::vector<double> irrigated_area_m2;        ///< irrigated land
  std::vector<double> irrigation_depth_m_per_a; ///< net (consumptive) irrigation depth
  std::vector<double> irrigation_saving_m3_per_a; ///< water saved by efficiency retrofits
  std::vector<double> town_use_m3_per_a;        ///< towns and industry other than the power plant (groundwater)
  std::vector<double> plant_use_m3_per_a;       ///< power plant net use (extra lake evaporation + lakeside wells)
  std::vector<double> lake_abstraction_m3_per_a;///< water pumped directly from the lake (leaves with the lake's salt)
  std::vector<double> pumping_cap_m3_per_a;     ///< cap on total groundwater pumping (+inf when none)
  struct Diversion {
    std::string name;
    std::vector<double> rate_m3_per_s;          ///< delivered into the lake (after conveyance loss)
    double tds_kg_per_m3 = 0.0;
  };
  std::vector<Diversion> diversions;
};

/// A daily schedule of one term: constant rate per day (m³/s; for demands the demand).
struct Schedule {
  physics::WaterTerm term;
  std::vector<double> rate_m3_per_s;
};

/// The management side of a run: the schedules of every scheduled term, the river
/// withdrawal demand (curtailed by the day's runoff while the run goes), and what the
/// groundwater cap removed.
struct ManagementPlan {
  std::vector<Schedule> schedules;
  std::vector<double> river_demand_m3_per_s;     ///< irrigation demand on the rivers, per day
  std::vector<double> cap_reduction_m3_per_s;    ///< pumping demand removed by a cap, per day
};

/// One kind of measure: the keys it takes (declared like parameters, in their input units),
/// the order in which it applies, and how it edits the drivers of a run.
struct MeasureKind {
  std::string kind;
  std::vector<core::ParameterDecl> keys;  ///< required design values (start date aside)
  int phase = 0;                          ///< kinds apply in increasing phase (caps last)
  /// Edits `u` for a run whose day 0 is `first_day`; `m.values` are SI.
  std::function<void(const scenario::MeasureSpec& m, std::int64_t first_day, UseDrivers& u)> apply;
};

/// The registered measure kinds: `cooling_retrofit`, `diversion`, `agricultural_saving`,
/// `groundwater_cap`. A new kind is one entry here.
const std::vector<MeasureKind>& measure_kinds();
/// The kind named `kind`, or nullptr.
const MeasureKind* find_measure_kind(const std::string& kind);

/// Daily drivers from the history table and parameters, before measures (history as it
/// happened, water uses continuing at their last tabulated level).
/// @throws std::out_of_range when the history lacks a column (irrigated_area_km2, town_use_m3_per_a,
///         lake_abstraction_m3_per_a).
/// @param p the run's parameters (SI).
UseDrivers baseline_drivers(const scenario::LakeInputs& in, const core::ParameterSet& p, std::int64_t first_day,
                            std::int64_t n_days);

/// Builds the plan of a run: baseline, each measure of `spec` in phase order, then the
/// schedules (irrigation split between groundwater and rivers over the irrigation season;
/// the power plant split into extra lake evaporation and lakeside wells; the cap applied per
/// calendar year by scaling every groundwater demand of that year).
/// @param p the run's parameters (SI); @throws std::invalid_argument on an unknown measure kind.
ManagementPlan build_plan(const scenario::ScenarioSpec& spec, const scenario::LakeInputs& in, const core::ParameterSet& p,
                          std::int64_t first_day, std::int64_t n_days);

}  // namespace daihai::management
