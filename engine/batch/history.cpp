#include "batch/history.hpp"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <set>

#include <Eigen/Core>
#include <fmt/format.h>

#include "batch/batch.hpp"
#include "core/errors.hpp"
#include "model/schedules.hpp"
#include "scenario/assimilate.hpp"
#include "scenario/run.hpp"

namespace daihai::batch {

namespace {

using analysis::MonitoringRow;
using physics::Index;

// The first day index at which two daily series differ (`fill` standing in for a null series), or
// `n` when they never do.
std::size_t first_difference(const management::Series& a, const management::Series& b, double fill, std::size_t n) {
  if (a == b) return n;
  for (std::size_t i = 0; i < n; ++i) {
    const double va = a ? (*a)[i] : fill, vb = b ? (*b)[i] : fill;
    if (va != vb) return i;
  }
  return n;
}

std::size_t first_difference(const management::Schedules& a, const management::Schedules& b, std::size_t n) {
  std::size_t first = n;
  for (std::size_t k = 0; k < a.rate.size(); ++k) first = std::min(first, first_difference(a.rate[k], b.rate[k], 0.0, n));
  for (std::size_t k = 0; k < a.factor.size(); ++k) first = std::min(first, first_difference(a.factor[k], b.factor[k], 1.0, n));
  for (std::size_t k = 0; k < a.output.size(); ++k) first = std::min(first, first_difference(a.output[k], b.output[k], 0.0, n));
  return first;
}

// A history: its representative run and what its block lane reads.
struct Group {
  std::size_t run = 0;  // its first run
  std::vector<std::size_t> runs;
  bool needed = false;  // some run of it is not skipped
  core::ParameterSet parameters;
  std::shared_ptr<const forcing::DailyForcing> forcing;
  management::Schedules schedules;
};

// Accumulates a period row's observation operator: the mean over its years of annual means.
struct PeriodMean {
  double year_sum = 0.0;
  int year_days = 0;
  double sum_of_means = 0.0;
  int years = 0;
  double value() const { return sum_of_means / years; }
};

}  // namespace

std::string format_histories(const io::RunPlan& plan, const Histories& h) {
  if (!h.active || plan.runs.empty()) return {};
  const std::int64_t first = core::day_number(plan.runs.front().scenario.start), end = core::day_number(plan.runs.front().scenario.end) + 1;
  std::string out;
  if (plan.assimilation) {
    out += fmt::format("Conditioned on {} (ensemble square-root Kalman filter, relaxation {}):\n", plan.assimilation->monitoring_file,
                       plan.assimilation->enkf.relaxation);
    out += fmt::format("  {:<10}  {:>6}  {:>6}  {:>7}  {:<12}  {:<10}  {:>18}  {:>18}  {:>18}\n", "after", "dT C", "dP %", "members",
                       "quantity", "time", "observed", "before the day", "after the day");
    for (const auto& a : h.analyses)
      for (std::size_t i = 0; i < a.rows.size(); ++i) {
        const MonitoringRow& r = plan.assimilation->rows[a.rows[i]];
        const std::string time = r.instant ? core::format_date(core::date_of(r.day))
                                 : r.first_year == r.last_year ? std::to_string(r.first_year)
                                                               : fmt::format("{}..{}", r.first_year, r.last_year);
        auto pm = [&](double m, double s) {
          return std::isfinite(m) ? fmt::format("{:.4g} ± {:.3g}", m / r.to_si, s / r.to_si) : std::string("(period)");
        };
        const bool rejected = std::find(a.rejected.begin(), a.rejected.end(), a.rows[i]) != a.rejected.end();
        out += fmt::format("  {:<10}  {:>+6.1f}  {:>+6.1f}  {:>7}  {:<12}  {:<10}  {:>18}  {:>18}  {:>18}  {}{}\n",
                           core::format_date(core::date_of(a.day)), a.delta_t_C, a.delta_p_pct, a.members, fmt::format("{} {}", analysis::to_string(r.quantity), r.unit), time,
                           pm(r.value, r.sd), pm(a.prior_mean[i], a.prior_sd[i]), pm(a.posterior_mean[i], a.posterior_sd[i]), r.where(),
                           rejected ? "  REJECTED: more than 5 sd from the members (not assimilated)" : "");
      }
  }
  const double delivered = static_cast<double>(plan.runs.size()) * static_cast<double>(end - first);
  const double integrated = static_cast<double>(h.run_days) + static_cast<double>(plan.runs.size()) * static_cast<double>(end - h.branch_day);
  if (h.branch_day >= end)
    out += "The runs do not branch: each member's run is its history (its measures never differ from another run's).\n";
  else
    out += fmt::format("Runs branch from their member's history on {}: {:.4g} run-days integrated for {:.4g} delivered ({:.0f} %); "
                       "the histories took {:.1f} s.\n",
                       core::format_date(core::date_of(h.branch_day)), integrated, delivered, 100.0 * integrated / delivered, h.seconds);
  return out;
}

namespace {

// The mean and sd (divisor N − 1) of row `i` of `a` (members in columns).
template <class M>
std::pair<double, double> mean_sd(const M& a, Index i) {
  double mean = 0.0, ss = 0.0;
  for (Index j = 0; j < a.cols(); ++j) mean += a(i, j);
  mean /= static_cast<double>(a.cols());
  for (Index j = 0; j < a.cols(); ++j) ss += (a(i, j) - mean) * (a(i, j) - mean);
  return {mean, std::sqrt(ss / static_cast<double>(a.cols() - 1))};
}

// The steps of simulate_histories(), in order: group the runs, find the branch day, check the
// monitoring rows against it, make the blocks, advance them stop by stop (conditioning at each
// observation), hand over the states.
class HistoryRunner {
public:
  HistoryRunner(const io::RunPlan& plan, int threads)
      : plan_(plan),
        in_(*plan.inputs),
        model_(*plan.model),
        as_(plan.assimilation.get()),
        threads_(std::max(threads, 1)),
        first_day_(core::day_number(plan.runs.front().scenario.start)),
        n_days_(static_cast<std::size_t>(core::day_number(plan.runs.front().scenario.end) + 1 - first_day_)),
        aquifer_(plan.runs.front().scenario.switches.aquifer) {}

  // Histories: runs with one forcing and one parameter set, in order of their first run.
  // Returns whether any history has more than one run.
  bool group_runs(Histories& h, const std::function<bool(std::size_t)>& skip) {
    std::map<std::string, std::size_t> by_key;
    h.group_of_run.resize(plan_.runs.size());
    for (std::size_t i = 0; i < plan_.runs.size(); ++i) {
      const auto& r = plan_.runs[i];
      core::ParameterSet p = model::run_parameters(r.scenario, in_);
      std::string key = scenario::forcing_key(r);
      for (const auto& [name, v] : p.values_si()) key += fmt::format("|{}={:a}", name, v);
      auto [it, fresh] = by_key.emplace(key, groups_.size());
      if (fresh) {
        groups_.emplace_back();
        groups_.back().run = i;
        groups_.back().parameters = std::move(p);
      }
      Group& g = groups_[it->second];
      g.runs.push_back(i);
      // Conditioning uses every member: a resumed batch simulates every history again, so that its
      // ensemble, and so every conditioned state, is that of the uninterrupted batch.
      g.needed = g.needed || !(skip && skip(i)) || as_ != nullptr;
      h.group_of_run[i] = it->second;
    }
    return std::any_of(groups_.begin(), groups_.end(), [](const Group& g) { return g.runs.size() > 1; });
  }

  // The first day any run's schedules differ from its history's first run. Schedules do not
  // depend on the weather, so histories with one parameter set and the same runs' schedules keys
  // part on the same day: each such set is compared once.
  std::int64_t branch_day() {
    std::vector<std::vector<std::string>> keys(groups_.size());
    for (std::size_t k = 0; k < groups_.size(); ++k)
      for (std::size_t i : groups_[k].runs) keys[k].push_back(model::schedules_key(model_, plan_.runs[i], groups_[k].parameters));
    std::map<std::vector<std::string>, std::size_t> first_of;  // the runs' keys → the first history with them
    std::vector<std::size_t> distinct;
    for (std::size_t k = 0; k < groups_.size(); ++k)
      if (first_of.emplace(keys[k], k).second) distinct.push_back(k);
    std::vector<std::size_t> branch(groups_.size(), n_days_);
#pragma omp parallel for schedule(dynamic) num_threads(threads_)
    for (std::size_t d = 0; d < distinct.size(); ++d) {
      const std::size_t k = distinct[d];
      const Group& g = groups_[k];
      const auto own = model::build_schedules(model_, plan_.runs[g.run], g.parameters, in_, &pool_);
      std::set<std::string> seen{keys[k].front()};
      for (std::size_t j = 1; j < g.runs.size(); ++j) {
        if (!seen.insert(keys[k][j]).second) continue;
        const auto other = model::build_schedules(model_, plan_.runs[g.runs[j]], g.parameters, in_, &pool_);
        branch[k] = std::min(branch[k], first_difference(own, other, n_days_));
      }
    }
    return first_day_ + static_cast<std::int64_t>(*std::min_element(branch.begin(), branch.end()));
  }

  // Every monitoring row must be assimilated before the branch day.
  void check_rows(std::int64_t branch) const {
    if (as_ == nullptr) return;
    for (const auto& row : as_->rows)
      if (row.analysis_day() >= branch)
        throw core::InputError(row.file, row.line, "time",
                               fmt::format("the observation is assimilated after {}, but the runs of this batch part on {} (the first day "
                                           "their measures differ): conditioning needs a history they share. Drop the row, or make "
                                           "every combination hold the measures that had happened by then",
                                           core::format_date(core::date_of(row.analysis_day())), core::format_date(core::date_of(branch))));
  }

  // Blocks of the needed histories, each lane one history from the plan's start.
  void make_blocks(Histories& h) {
    const std::size_t width = block_width(plan_, 0);
    for (std::size_t k = 0; k < groups_.size(); ++k) {
      if (!groups_[k].needed) continue;
      ++needed_;
      if (lanes_.empty() || lanes_.back().size() == width) lanes_.emplace_back();
      lanes_.back().push_back(k);
    }
    blocks_.resize(lanes_.size());
    const auto series = series_selection(plan_);
#pragma omp parallel for schedule(dynamic) num_threads(threads_)
    for (std::size_t b = 0; b < lanes_.size(); ++b) {
      std::vector<scenario::Lane> lanes;
      for (std::size_t k : lanes_[b]) {
        Group& g = groups_[k];
        const auto& r = plan_.runs[g.run];
        g.forcing = std::make_shared<const forcing::DailyForcing>(in_.forcing(r.scenario.climate, first_day_, static_cast<std::int64_t>(n_days_)));
        g.schedules = model::build_schedules(model_, r, g.parameters, in_, &pool_);
        lanes.push_back({&r, &g.parameters, g.forcing.get(), &g.schedules});
      }
      blocks_[b] = std::make_unique<scenario::BlockRun>(model_, in_, lanes, series);
    }
    for (const auto& lanes : lanes_)
      for (std::size_t k : lanes) h.forcing.emplace(scenario::forcing_key(plan_.runs[groups_[k].run]), groups_[k].forcing);
    if (as_ != nullptr)
      for (std::size_t r = 0; r < as_->rows.size(); ++r)
        if (!as_->rows[r].instant) period_[r].assign(blocks_.size(), std::vector<PeriodMean>(static_cast<std::size_t>(physics::kLanes)));
  }

  // The days the histories stop at: after each observation's day, then the branch day.
  std::vector<std::int64_t> stops(std::int64_t branch) const {
    std::vector<std::int64_t> out{branch};
    if (as_ != nullptr)
      for (const auto& row : as_->rows) out.push_back(row.analysis_day() + 1);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  // Every block up to `stop` (exclusive), the period rows' operators accumulating day by day.
  void advance(std::int64_t stop) {
#pragma omp parallel for schedule(dynamic) num_threads(threads_)
    for (std::size_t b = 0; b < blocks_.size(); ++b) {
      if (period_.empty())
        blocks_[b]->advance_to(stop);
      else
        blocks_[b]->advance_to(stop, [this, b](const scenario::BlockRun& block) { accumulate_periods(b, block); });
    }
  }

  // Conditions the members on the rows assimilated after day stop − 1: one analysis per
  // ensemble (climate delta), members that have failed left out.
  void condition(std::int64_t stop, Histories& h) {
    if (as_ == nullptr) return;
    std::vector<std::size_t> rows;
    for (std::size_t r = 0; r < as_->rows.size(); ++r)
      if (as_->rows[r].analysis_day() + 1 == stop) rows.push_back(r);
    if (rows.empty()) return;
    std::map<std::pair<double, double>, std::vector<Member>> ensembles;  // by climate delta
    for (std::size_t b = 0; b < blocks_.size(); ++b)
      for (std::size_t l = 0; l < blocks_[b]->runs(); ++l) {
        if (blocks_[b]->failed(l)) continue;
        const auto& c = plan_.runs[groups_[lanes_[b][l]].run].scenario.climate;
        ensembles[{c.delta_t_C, c.delta_p_pct}].push_back({b, l});
      }
    for (const auto& [delta, members] : ensembles) {
      AnalysisReport rep = analyse(rows, members);
      rep.day = stop - 1;
      rep.delta_t_C = delta.first;
      rep.delta_p_pct = delta.second;
      h.analyses.push_back(std::move(rep));
    }
  }

  // Each history's state at the branch day.
  void hand_over(Histories& h) {
    h.state.resize(groups_.size());
    for (std::size_t b = 0; b < blocks_.size(); ++b)
      for (std::size_t l = 0; l < blocks_[b]->runs(); ++l) h.state[lanes_[b][l]] = blocks_[b]->lane_state(l, true);
    h.run_days = static_cast<std::uint64_t>(needed_) * static_cast<std::uint64_t>(h.branch_day - first_day_);
  }

private:
  struct Member {
    std::size_t block, lane;
  };

  double observe(const MonitoringRow& row, const Member& m) const {
    const scenario::BlockRun& b = *blocks_[m.block];
    return scenario::observe(row.quantity, b.state(), b.derived(), static_cast<Index>(m.lane), aquifer_);
  }

  void accumulate_periods(std::size_t b, const scenario::BlockRun& block) {
    const std::int64_t day = block.next_day() - 1;
    const core::Date date = core::date_of(day);
    const bool year_ends = date.month == 12 && date.day == 31;
    for (const auto& [r, per_block] : period_) {
      const MonitoringRow& row = as_->rows[r];
      if (day < row.first_day() || day > row.analysis_day()) continue;
      for (std::size_t l = 0; l < block.runs(); ++l) {
        PeriodMean& p = period_[r][b][l];
        p.year_sum += observe(row, {b, l});
        ++p.year_days;
        if (year_ends) {
          p.sum_of_means += p.year_sum / p.year_days;
          ++p.years;
          p.year_sum = 0.0;
          p.year_days = 0;
        }
      }
    }
  }

  // One analysis of `rows` over `members`: predicted observations, background check, the
  // square-root filter with variable localisation, the increments into the stores (booked).
  AnalysisReport analyse(const std::vector<std::size_t>& rows, const std::vector<Member>& members) {
    const auto n = static_cast<Index>(members.size()), m = static_cast<Index>(rows.size());
    if (n < 2)
      throw core::InputError(as_->file, as_->line, "assimilation",
                             fmt::format("conditioning on {} needs at least two members that have not failed; found {}", as_->monitoring_file, n));
    Eigen::MatrixXd x(scenario::kAnalysisVariables, n), hx(m, n);
    Eigen::VectorXd y(m), sd(m);
    for (Index j = 0; j < n; ++j) {
      const Member& mem = members[static_cast<std::size_t>(j)];
      const scenario::BlockRun& block = *blocks_[mem.block];
      const auto v = scenario::analysis_variables(block.state(), block.derived(), static_cast<Index>(mem.lane));
      for (int i = 0; i < scenario::kAnalysisVariables; ++i) x(i, j) = v[static_cast<std::size_t>(i)];
      for (Index i = 0; i < m; ++i) {
        const std::size_t r = rows[static_cast<std::size_t>(i)];
        hx(i, j) = as_->rows[r].instant ? observe(as_->rows[r], mem) : period_.at(r)[mem.block][mem.lane].value();
      }
    }
    AnalysisReport rep;
    rep.rows = rows;
    rep.members = members.size();
    for (Index i = 0; i < m; ++i) {
      const MonitoringRow& row = as_->rows[rows[static_cast<std::size_t>(i)]];
      y(i) = row.value;
      sd(i) = row.sd;
      const auto [mean, sd_i] = mean_sd(hx, i);
      rep.prior_mean.push_back(mean);
      rep.prior_sd.push_back(sd_i);
    }
    // Only the rows that pass the background check are assimilated.
    const std::vector<bool> pass = analysis::background_check(hx, y, sd);
    std::vector<Index> kept;
    std::vector<analysis::Monitored> quantities;
    for (Index i = 0; i < m; ++i) {
      if (pass[static_cast<std::size_t>(i)]) {
        kept.push_back(i);
        quantities.push_back(as_->rows[rows[static_cast<std::size_t>(i)]].quantity);
      } else {
        rep.rejected.push_back(rows[static_cast<std::size_t>(i)]);
      }
    }
    const auto mk = static_cast<Index>(kept.size());
    if (mk == 0) {  // nothing to assimilate: the members stay as they are
      rep.posterior_mean = rep.prior_mean;
      rep.posterior_sd = rep.prior_sd;
      return rep;
    }
    Eigen::MatrixXd hx_kept(mk, n);
    Eigen::VectorXd y_kept(mk), sd_kept(mk);
    for (Index k = 0; k < mk; ++k) {
      hx_kept.row(k) = hx.row(kept[static_cast<std::size_t>(k)]);
      y_kept(k) = y(kept[static_cast<std::size_t>(k)]);
      sd_kept(k) = sd(kept[static_cast<std::size_t>(k)]);
    }
    const Eigen::MatrixXd xa = analysis::enkf_analysis(x, hx_kept, y_kept, sd_kept, as_->enkf, scenario::localization(quantities));
    // Into the stores, booked in the assimilation fluxes; then the predicted observations after.
    Eigen::ArrayXXd after(m, n);
    for (Index j = 0; j < n; ++j) {
      const Member& mem = members[static_cast<std::size_t>(j)];
      scenario::BlockRun& block = *blocks_[mem.block];
      std::array<double, scenario::kAnalysisVariables> v{};
      for (int i = 0; i < scenario::kAnalysisVariables; ++i) v[static_cast<std::size_t>(i)] = xa(i, j);
      std::function<double(double)> storage_at_head;
      if (aquifer_) storage_at_head = [&](double head) { return block.aquifer_storage_at_head(mem.lane, head); };
      block.add_to_stores(mem.lane,
                          scenario::store_increment(v, block.state(), block.derived(), static_cast<Index>(mem.lane), *in_.hypsometry, storage_at_head),
                          booked());
      for (Index i = 0; i < m; ++i) {
        const MonitoringRow& row = as_->rows[rows[static_cast<std::size_t>(i)]];
        after(i, j) = row.instant ? observe(row, mem) : std::numeric_limits<double>::quiet_NaN();
      }
    }
    for (Index i = 0; i < m; ++i) {
      const auto [mean, sd_i] = mean_sd(after, i);
      rep.posterior_mean.push_back(mean);
      rep.posterior_sd.push_back(sd_i);
    }
    return rep;
  }

  // The running-total columns the increments of each store are booked in.
  std::array<Index, physics::kStores> booked() const {
    std::array<Index, physics::kStores> col{-1, -1, -1, -1, -1};
    for (const auto& f : model_.fluxes) {
      if (f.decl.name == "assimilation_lake") col[physics::kVolume] = f.water, col[physics::kSalt] = f.salt;
      if (f.decl.name == "assimilation_aquifer") col[physics::kAquifer] = f.water, col[physics::kAquiferSalt] = f.salt;
    }
    return col;
  }

  const io::RunPlan& plan_;
  const scenario::LakeInputs& in_;
  const model::Model& model_;
  const io::AssimilationSpec* as_;
  const int threads_;
  const std::int64_t first_day_;
  const std::size_t n_days_;
  const bool aquifer_;
  management::SeriesPool pool_;
  std::vector<Group> groups_;
  std::size_t needed_ = 0;
  std::vector<std::vector<std::size_t>> lanes_;  // [block] → its histories
  std::vector<std::unique_ptr<scenario::BlockRun>> blocks_;
  std::map<std::size_t, std::vector<std::vector<PeriodMean>>> period_;  // period row → [block][lane]
};

}  // namespace

Histories simulate_histories(const io::RunPlan& plan, int threads, const std::function<bool(std::size_t)>& skip) {
  Histories h;
  if (plan.runs.empty()) return h;
  const auto t0 = std::chrono::steady_clock::now();
  HistoryRunner runner(plan, threads);
  const bool shared = runner.group_runs(h, skip);
  if (!shared && !plan.assimilation) return h;
  h.active = true;
  h.branch_day = runner.branch_day();
  runner.check_rows(h.branch_day);
  runner.make_blocks(h);
  for (const std::int64_t stop : runner.stops(h.branch_day)) {
    runner.advance(stop);
    runner.condition(stop, h);
  }
  runner.hand_over(h);
  h.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return h;
}

}  // namespace daihai::batch
