#pragma once
/// @file plan_editor.hpp
/// The management side of one run while it is being prepared: the daily schedules of the
/// model's scheduled fluxes (demands, inflows), the multipliers of scaled fluxes, the drivers
/// of the water uses and the outputs measures declare. Water uses fill it from the lake's
/// history; measures edit it (add an inflow, scale or replace a schedule from a date, cap a
/// group of withdrawals). Everything happens before the run starts; physics only reads the
/// finished schedules.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "physics/process.hpp"

namespace daihai::management {

/// One value per day of a run: m³/s for rates, a factor for multipliers. An empty series stands
/// for the neutral value (0 for rates and outputs, 1 for factors).
using Daily = std::vector<double>;

/// What the management side knows of a model's fluxes.
struct FluxInfo {
  std::string name;
  physics::Store store = physics::Store::lake;
  bool scheduled = false;  ///< has a schedule (slot)
  bool demand = false;     ///< a user's demand
  std::string mirror;      ///< the flux scaled with it
};

/// The layout every run of a model shares: its fluxes, which of them have a schedule, which
/// have a multiplier (fluxes without a schedule that some measure scales) and the outputs that
/// measures declare. Slots are positions in these lists.
struct PlanLayout {
  std::vector<FluxInfo> fluxes;          ///< every flux of the model, in model order
  std::vector<std::string> scheduled;    ///< schedule slots
  std::vector<std::string> factors;      ///< multiplier slots
  std::vector<std::string> outputs;      ///< measure outputs (m³ per day, as daily rates in m³/s)
};

/// A finished series, shared read-only between the runs whose schedules hold it; null stands
/// for the neutral value (0 for rates and outputs, 1 for factors).
using Series = std::shared_ptr<const Daily>;

/// The finished schedules of one run, by slot of its PlanLayout.
struct Schedules {
  std::vector<Series> rate;    ///< per schedule slot, m³/s (null: 0)
  std::vector<double> tds;     ///< per schedule slot: TDS of the delivered water, kg/m³ (inflows)
  std::vector<Series> factor;  ///< per multiplier slot (null: 1)
  std::vector<Series> output;  ///< per measure output, m³/s (null: 0)
};

/// Keeps one copy of series that several runs' schedules hold identically (the runs of a batch
/// differ in a few measures, so most of their series are equal: in the plan's 32 combinations,
/// some 15 distinct series of 256). A block reads the series of all its lanes every day; shared
/// copies stay in cache instead of streaming from memory. Thread-safe; a series is forgotten when
/// the last schedules holding it are gone.
class SeriesPool {
public:
  /// The pool's copy of a series equal to `d` (bit for bit), made from `d` when there is none.
  Series intern(Daily&& d);

private:
  std::mutex mutex_;
  std::unordered_multimap<std::uint64_t, std::weak_ptr<const Daily>> by_hash_;
  std::size_t inserted_ = 0;
};

/// Schedules of one run under construction.
class PlanEditor {
public:
  /// @param first_day day number of the run's first day; @param n_days its length.
  PlanEditor(const PlanLayout& layout, std::int64_t first_day, std::int64_t n_days);

  std::int64_t first_day() const { return first_day_; }
  std::size_t days() const { return n_; }
  /// Calendar year, month (1..12) and fractional year (core::fractional_year, mid-day) of each
  /// day of the run.
  const std::vector<int>& year_of_day() const { return year_; }
  const std::vector<int>& month_of_day() const { return month_; }
  const std::vector<double>& fractional_year_of_day() const { return fyear_; }
  /// Index of day number `day` in the run, clamped to [0, days()].
  std::size_t index_of(std::int64_t day) const;

  /// True when the model has a flux `name`; is_scheduled(): and it has a schedule.
  bool has_flux(const std::string& name) const;
  bool is_scheduled(const std::string& name) const;
  /// The scheduled demands of the model on `store`, in model order.
  std::vector<std::string> demands_on(physics::Store store) const;

  /// The schedule of scheduled flux `name` (m³/s per day, zero at first). Throws
  /// std::invalid_argument naming the flux when the model has no schedule of that name.
  Daily& rate(const std::string& name);
  /// Sets the TDS (kg/m³) of the water a scheduled inflow delivers.
  void set_tds(const std::string& name, double tds_kg_per_m3);
  /// Multiplies flux `name` (and its mirror) by `factor` from day number `from_day` on: the
  /// schedule of a scheduled flux, else its rate multiplier. Throws std::invalid_argument when
  /// the model has no such flux or no multiplier slot for it.
  void scale(const std::string& name, std::int64_t from_day, double factor);

  /// The water-use driver `name` (units as named; zero at first, created on first use).
  Daily& driver(const std::string& name);
  /// The measure output `name` (m³/s per day). Throws std::invalid_argument when not declared.
  Daily& output(const std::string& name);

  /// The schedules by slot (the editor is spent afterwards); series held once through `pool`
  /// when one is given. With `n` > 0 each series is cut to its days [from, from + n) (the run's
  /// days of a plan made over whole calendar years); throws std::invalid_argument when they do
  /// not lie within the editor's days.
  Schedules finish(SeriesPool* pool = nullptr, std::size_t from = 0, std::size_t n = 0);

private:
  const PlanLayout* layout_;
  std::int64_t first_day_;
  std::size_t n_;
  std::vector<int> year_, month_;
  std::vector<double> fyear_;
  std::vector<Daily> rate_, factor_, output_;  // by slot; empty: neutral
  std::vector<double> tds_;
  std::map<std::string, Daily> drivers_;
  Daily& full(Daily& d, double value);
};

}  // namespace daihai::management
