#pragma once
/// @file recorder.hpp
/// Turns a block's days into its runs' outputs: the declared outputs of the model
/// (model::Model::outputs) as annual values and series at the binner's resolution. States are
/// interval means of end-of-day values (summed daily). Flux totals, salt totals and the net salt
/// deposition are differences of levels that only grow or shrink through the day steps (the
/// integrator's running totals, the deposit): the total over an interval is the level at its
/// end minus the level at its start, taken once per interval, not summed day by day. Shortages,
/// measure outputs and forcing diagnostics are summed daily.
#include <vector>

#include "management/plan_editor.hpp"
#include "model/binner.hpp"
#include "model/model.hpp"
#include "physics/block.hpp"
#include "scenario/run_result.hpp"

namespace daihai::scenario {

/// The results layout of the runs of model `m` over the period of `run`, from the declarations
/// alone: the identity of `run`, the states of /initial and /final, every declared output in
/// /annual and the selected ones (`series`, empty: all) in /series with their axes, values 0.
/// What io::ResultSink needs to create its datasets before the first run.
RunResult declared_layout(const model::Model& m, const RunSpec& run, const std::vector<char>& series);

/// Which declared outputs get a series (by position in model::Model::outputs); empty: all.
using SeriesSelection = std::vector<char>;

/// The outputs of the lanes of one block while it runs.
class Recorder {
public:
  /// @param schedules each lane's schedules (for measure outputs); @param x0 the initial block
  /// state and `d0` its derived quantities (the levels every interval starts from);
  /// @param to_fields, returned the weights of model::Weight::to_fields and ::returned per lane.
  Recorder(const model::Model& m, const model::Binner& bins, const std::vector<const management::Schedules*>& schedules,
           const SeriesSelection& series, const physics::BlockState& x0, const physics::Derived& d0, const physics::Lanes& to_fields,
           const physics::Lanes& returned);

  /// Day `i` has ended with state `x` (it started from `prev`) and derived quantities `now`;
  /// `day` held its inputs.
  void add(std::size_t i, const physics::BlockState& x, const physics::BlockState& prev, const physics::Derived& now,
           const physics::DayInputs& day);

  /// The annual and series variables, years and series axis of lane `l` into `r`.
  void finish(physics::Index l, RunResult& r) const;

  /// What lane `l` has recorded so far (annual and series bins, the levels its open intervals
  /// started from), flat: for a run that branches from a shared history.
  std::vector<double> lane_record(physics::Index l) const;
  /// Sets lane `l` from lane_record() of a recorder of the same model, period and series.
  /// Throws std::invalid_argument for a record of another size.
  void set_lane_record(physics::Index l, const std::vector<double>& record);

  /// End-of-day state `k` (model::StateOutput) over lanes.
  static physics::Lanes state(std::size_t k, const physics::BlockState& x, const physics::Derived& d);

private:
  // Outputs summed daily and outputs taken as differences of levels, each with its series flag.
  struct Group {
    std::vector<std::size_t> outputs;     // positions in m.outputs
    std::vector<physics::Index> series;   // positions within `outputs` that get a series
    physics::LaneTable annual;            // [lane, year * n + k] sums or differences
    physics::LaneTable series_values;     // [lane, interval * ns + j]
  };
  void levels(const physics::BlockState& x, const physics::Derived& now, physics::LaneTable& out) const;

  const model::Model& m_;
  const model::Binner& bins_;
  std::vector<const management::Schedules*> schedules_;
  physics::Lanes to_fields_, returned_;
  std::vector<physics::Index> withdrawn_salt_;  // salt columns of the withdrawals to the fields
  Group daily_, level_;
  physics::LaneTable day_, now_levels_, year_start_, series_start_;
};

}  // namespace daihai::scenario
