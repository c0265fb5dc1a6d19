#pragma once
/// @file measure_kind.hpp
/// Measures are edits of a model's assembly and of each run's schedules, made before any run
/// starts: add a process (a diversion's inflow), scale or replace a schedule from a date, cap a
/// group of withdrawals. Physics never asks whether a measure is on: a lane whose measure is off
/// simply gets zero rates (or factor 1) from the processes the measure added to the model.
///
/// A measure kind is one file under `engine/management/measures/` and one line of the table in
/// `measure_registry.cpp` (docs/extending.md); nothing else in the engine lists the kinds.
#include <functional>
#include <string>
#include <vector>

#include "core/parameters.hpp"
#include "management/plan_editor.hpp"
#include "physics/process.hpp"
#include "scenario/spec.hpp"

namespace daihai::management {

/// When a kind edits, relative to the water uses: `uses` edits the uses' drivers (before they
/// become schedules), `flows` adds or scales schedules, `caps` caps groups of schedules last
/// (after everything else that changes them). Kinds of one phase apply in the order of the
/// scenario's measures.
enum class Phase { uses = 0, flows = 1, caps = 2 };

/// A key of a measure that names things (fluxes) rather than giving a number.
struct NameKey {
  std::string name;     ///< e.g. "flux"
  std::string meaning;
  bool list = false;    ///< an array of names
};

/// An output a measure declares: a daily total in m³ (`<name>`, unit m3, budget none).
struct MeasureOutput {
  std::string name;
  std::string long_name;
};

/// A measure kind of the registry.
struct MeasureKind {
  std::string kind;
  std::string description;
  std::vector<core::ParameterDecl> keys;  ///< numeric design values (start date aside), all required
  std::vector<NameKey> name_keys;         ///< names (fluxes), all required
  Phase phase = Phase::flows;
  /// Processes the measure adds to every model that names it (empty: none).
  std::function<std::vector<physics::ProcessInstance>(const scenario::MeasureSpec&)> adds;
  /// Fluxes whose rate it multiplies (they get a multiplier slot unless they have a schedule).
  std::function<std::vector<std::string>(const scenario::MeasureSpec&)> scales;
  /// Outputs it declares.
  std::function<std::vector<MeasureOutput>(const scenario::MeasureSpec&)> outputs;
  /// Checks the measure against the model's fluxes before any run; returns "" or what is wrong
  /// (e.g. a named flux the model does not have, or one that is not a scheduled demand).
  std::function<std::string(const scenario::MeasureSpec&, const PlanLayout&)> check;
  /// Edits one run's schedules.
  std::function<void(const scenario::MeasureSpec&, PlanEditor&)> apply;
};

/// Every registered measure kind, in registry order.
const std::vector<MeasureKind>& measure_kinds();
/// The kind named `kind`, or nullptr.
const MeasureKind* find_measure_kind(const std::string& kind);
/// "a, b or c": the registered kind names (for messages).
std::string measure_kind_names();

/// The day of a measure's start (its `start` date).
std::int64_t start_day(const scenario::MeasureSpec& m);

/// Share of a measure phased in on day number `day`: 0 before `start`, rising linearly to 1 over
/// `years` mean Gregorian years (365.2425 d) from `start` (1 from `start` on when years = 0).
double phase_in(std::int64_t day, std::int64_t start, double years);

/// A quantity phased in over two stages from `start`: 0 → `first` over `first_years`, then
/// `first` → `total` over the following `second_years` (e.g. wells sealed: 667 by 2020, 1,000 by
/// 2023). `total` below `first` is taken as `first` (nothing is undone).
double two_stage(std::int64_t day, std::int64_t start, double first, double first_years, double total, double second_years);

/// Takes water off a group of scheduled withdrawals year by year (caps, well sealing): for each
/// calendar year from day index `first` on, `removed(i, j, demand_m3)` says how many m³ of the
/// group's demand on day indices i..j−1 (its total `demand_m3`) are not withdrawn; the group's
/// rates (m3/s) on those days are scaled down pro rata by that share (clamped to the demand), and
/// what is removed is added, day by day, to `reduction` (m³ per day).
void reduce_by_year(PlanEditor& e, const std::vector<Daily*>& rates, Daily& reduction, std::size_t first,
                    const std::function<double(std::size_t i, std::size_t j, double demand_m3)>& removed);

}  // namespace daihai::management
