#include "batch/history.hpp"

#include <omp.h>

#include <algorithm>
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

// Innovations beyond this many standard deviations are gross errors (background check; e.g.
// Lorenc & Hammon 1988, Q. J. R. Meteorol. Soc. 114:515 use 4-5).
constexpr double kGrossError = 5.0;
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
    out += fmt::format("  {:<10}  {:>6}  {:>7}  {:<12}  {:<10}  {:>18}  {:>18}  {:>18}\n", "after", "dT C", "members", "quantity", "time",
                       "observed", "members before", "members after");
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
        out += fmt::format("  {:<10}  {:>+6.1f}  {:>7}  {:<12}  {:<10}  {:>18}  {:>18}  {:>18}  {}{}\n", core::format_date(core::date_of(a.day)),
                           a.delta_t_C, a.members, fmt::format("{} {}", analysis::to_string(r.quantity), r.unit), time,
                           pm(r.value, r.sd), pm(a.prior_mean[i], a.prior_sd[i]), pm(a.posterior_mean[i], a.posterior_sd[i]), r.where(),
                           rejected ? "  REJECTED: more than 5 sd from the members (not assimilated)" : "");
      }
  }
  const double delivered = static_cast<double>(plan.runs.size()) * static_cast<double>(end - first);
  const double integrated = static_cast<double>(h.run_days) + static_cast<double>(plan.runs.size()) * static_cast<double>(end - h.branch_day);
  out += fmt::format("Runs branch from their member's history on {}: {:.4g} run-days integrated for {:.4g} delivered ({:.0f} %).\n",
                     core::format_date(core::date_of(h.branch_day)), integrated, delivered, 100.0 * integrated / delivered);
  return out;
}

Histories simulate_histories(const io::RunPlan& plan, int threads, const std::function<bool(std::size_t)>& skip) {
  Histories h;
  if (plan.runs.empty()) return h;
  const scenario::LakeInputs& in = *plan.inputs;
  const model::Model& model = *plan.model;
  const scenario::ScenarioSpec& s0 = plan.runs.front().scenario;
  const std::int64_t first_day = core::day_number(s0.start), end_day = core::day_number(s0.end) + 1;
  const auto n_days = static_cast<std::size_t>(end_day - first_day);

  // Histories: runs with one forcing and one parameter set, in order of their first run.
  std::vector<Group> groups;
  std::map<std::string, std::size_t> by_key;
  h.group_of_run.resize(plan.runs.size());
  for (std::size_t i = 0; i < plan.runs.size(); ++i) {
    const auto& r = plan.runs[i];
    core::ParameterSet p = model::run_parameters(r.scenario, in);
    std::string key = scenario::forcing_key(r);
    for (const auto& [name, v] : p.values_si()) key += fmt::format("|{}={:a}", name, v);
    auto [it, fresh] = by_key.emplace(key, groups.size());
    if (fresh) {
      groups.emplace_back();
      groups.back().run = i;
      groups.back().parameters = std::move(p);
    }
    Group& g = groups[it->second];
    g.runs.push_back(i);
    // Conditioning uses every member: a resumed batch simulates every history again, so that its
    // ensemble, and so every conditioned state, is that of the uninterrupted batch.
    g.needed = g.needed || !(skip && skip(i)) || plan.assimilation != nullptr;
    h.group_of_run[i] = it->second;
  }
  const bool shared = std::any_of(groups.begin(), groups.end(), [](const Group& g) { return g.runs.size() > 1; });
  if (!shared && !plan.assimilation) return h;
  h.active = true;

  // The branch day: the first day any run's schedules differ from its history's first run.
  // Schedules do not depend on the weather, so histories with one parameter set and the same
  // runs' schedules keys part on the same day: each such set is compared once.
  management::SeriesPool pool;
  std::vector<std::vector<std::string>> keys(groups.size());
  for (std::size_t k = 0; k < groups.size(); ++k)
    for (std::size_t i : groups[k].runs) keys[k].push_back(model::schedules_key(model, plan.runs[i], groups[k].parameters));
  std::map<std::vector<std::string>, std::size_t> first_of;  // the runs' keys → the first history with them
  std::vector<std::size_t> distinct;
  for (std::size_t k = 0; k < groups.size(); ++k)
    if (first_of.emplace(keys[k], k).second) distinct.push_back(k);
  std::vector<std::size_t> branch(groups.size(), n_days);
#pragma omp parallel for schedule(dynamic) num_threads(std::max(threads, 1))
  for (std::size_t d = 0; d < distinct.size(); ++d) {
    const std::size_t k = distinct[d];
    const Group& g = groups[k];
    const auto own = model::build_schedules(model, plan.runs[g.run], g.parameters, in, &pool);
    std::set<std::string> seen{keys[k].front()};
    for (std::size_t j = 1; j < g.runs.size(); ++j) {
      if (!seen.insert(keys[k][j]).second) continue;
      const auto other = model::build_schedules(model, plan.runs[g.runs[j]], g.parameters, in, &pool);
      branch[k] = std::min(branch[k], first_difference(own, other, n_days));
    }
  }
  h.branch_day = first_day + static_cast<std::int64_t>(*std::min_element(branch.begin(), branch.end()));

  const io::AssimilationSpec* as = plan.assimilation.get();
  if (as)
    for (const auto& row : as->rows)
      if (row.analysis_day() >= h.branch_day)
        throw core::InputError(row.file, row.line, "time",
                               fmt::format("the observation is assimilated after {}, but the runs of this batch part on {} (the first day "
                                           "their measures differ): conditioning needs a history they share. Drop the row, or make "
                                           "every combination hold the measures that had happened by then",
                                           core::format_date(core::date_of(row.analysis_day())),
                                           core::format_date(core::date_of(h.branch_day))));

  // Blocks of histories.
  std::vector<std::size_t> active;
  for (std::size_t k = 0; k < groups.size(); ++k)
    if (groups[k].needed) active.push_back(k);
  const std::size_t width = block_width(plan, 0);
  std::vector<std::vector<std::size_t>> block_groups;
  for (std::size_t k : active) {
    if (block_groups.empty() || block_groups.back().size() == width) block_groups.emplace_back();
    block_groups.back().push_back(k);
  }
  std::vector<std::unique_ptr<scenario::BlockRun>> blocks(block_groups.size());
#pragma omp parallel for schedule(dynamic) num_threads(std::max(threads, 1))
  for (std::size_t b = 0; b < block_groups.size(); ++b) {
    std::vector<scenario::Lane> lanes;
    for (std::size_t k : block_groups[b]) {
      Group& g = groups[k];
      const auto& r = plan.runs[g.run];
      g.forcing = std::make_shared<const forcing::DailyForcing>(in.forcing(r.scenario.climate, first_day, static_cast<std::int64_t>(n_days)));
      g.schedules = model::build_schedules(model, r, g.parameters, in, &pool);
      lanes.push_back({&r, &g.parameters, g.forcing.get(), &g.schedules});
    }
    blocks[b] = std::make_unique<scenario::BlockRun>(model, in, lanes, series_selection(plan));
  }
  for (std::size_t k : active) h.forcing.emplace(scenario::forcing_key(plan.runs[groups[k].run]), groups[k].forcing);

  // Stops: the days after which observations are assimilated, then the branch day.
  std::vector<std::int64_t> stops;
  if (as)
    for (const auto& row : as->rows) stops.push_back(row.analysis_day() + 1);
  stops.push_back(h.branch_day);
  std::sort(stops.begin(), stops.end());
  stops.erase(std::unique(stops.begin(), stops.end()), stops.end());

  // Period rows accumulate their operator day by day: [row][block][lane].
  const std::size_t n_rows = as ? as->rows.size() : 0;
  std::vector<std::vector<std::vector<PeriodMean>>> period(n_rows);
  for (std::size_t r = 0; r < n_rows; ++r)
    if (!as->rows[r].instant)
      period[r].assign(blocks.size(), std::vector<PeriodMean>(static_cast<std::size_t>(physics::kLanes)));
  const bool aquifer = s0.switches.aquifer;
  auto after_day = [&](std::size_t b, const scenario::BlockRun& block) {
    const std::int64_t day = block.next_day() - 1;
    const core::Date date = core::date_of(day);
    const bool year_ends = date.month == 12 && date.day == 31;
    for (std::size_t r = 0; r < n_rows; ++r) {
      const MonitoringRow& row = as->rows[r];
      if (row.instant || day < row.first_day() || day > row.analysis_day()) continue;
      for (std::size_t l = 0; l < block.runs(); ++l) {
        PeriodMean& p = period[r][b][l];
        p.year_sum += scenario::observe(row.quantity, block.state(), block.derived(), static_cast<Index>(l), aquifer);
        ++p.year_days;
        if (year_ends) {
          p.sum_of_means += p.year_sum / p.year_days;
          ++p.years;
          p.year_sum = 0.0;
          p.year_days = 0;
        }
      }
    }
  };
  Index assim_col[physics::kStores] = {-1, -1, -1, -1, -1};
  for (const auto& f : model.fluxes) {
    if (f.decl.name == "assimilation_lake") assim_col[physics::kVolume] = f.water, assim_col[physics::kSalt] = f.salt;
    if (f.decl.name == "assimilation_aquifer") assim_col[physics::kAquifer] = f.water, assim_col[physics::kAquiferSalt] = f.salt;
  }

  for (const std::int64_t stop : stops) {
    const bool periods_open = std::any_of(period.begin(), period.end(), [](const auto& p) { return !p.empty(); });
#pragma omp parallel for schedule(dynamic) num_threads(std::max(threads, 1))
    for (std::size_t b = 0; b < blocks.size(); ++b) {
      if (periods_open)
        blocks[b]->advance_to(stop, [&, b](const scenario::BlockRun& block) { after_day(b, block); });
      else
        blocks[b]->advance_to(stop);
    }
    if (!as) continue;
    // The rows assimilated after day stop - 1, per ensemble (climate delta).
    std::vector<std::size_t> rows;
    for (std::size_t r = 0; r < n_rows; ++r)
      if (as->rows[r].analysis_day() + 1 == stop) rows.push_back(r);
    if (rows.empty()) continue;
    std::map<std::pair<double, double>, std::vector<std::pair<std::size_t, std::size_t>>> ensembles;  // delta → (block, lane)
    for (std::size_t b = 0; b < blocks.size(); ++b)
      for (std::size_t l = 0; l < blocks[b]->runs(); ++l) {
        if (blocks[b]->failed(l)) continue;
        const auto& c = plan.runs[groups[block_groups[b][l]].run].scenario.climate;
        ensembles[{c.delta_t_C, c.delta_p_pct}].emplace_back(b, l);
      }
    for (const auto& [delta, members] : ensembles) {
      const auto n = static_cast<Index>(members.size()), m = static_cast<Index>(rows.size());
      if (n < 2)
        throw core::InputError(as->file, as->line, "assimilation",
                               fmt::format("conditioning on {} needs at least two members that have not failed; found {}",
                                           as->monitoring_file, n));
      Eigen::MatrixXd x(scenario::kAnalysisVariables, n), hx(m, n);
      Eigen::VectorXd y(m), sd(m);
      for (Index j = 0; j < n; ++j) {
        const auto [b, l] = members[static_cast<std::size_t>(j)];
        const scenario::BlockRun& block = *blocks[b];
        const auto v = scenario::analysis_variables(block.state(), block.derived(), static_cast<Index>(l));
        for (int i = 0; i < scenario::kAnalysisVariables; ++i) x(i, j) = v[static_cast<std::size_t>(i)];
        for (Index i = 0; i < m; ++i) {
          const std::size_t r = rows[static_cast<std::size_t>(i)];
          const MonitoringRow& row = as->rows[r];
          hx(i, j) = row.instant ? scenario::observe(row.quantity, block.state(), block.derived(), static_cast<Index>(l), aquifer)
                                 : period[r][b][l].value();
        }
      }
      // Background check: an observation more than kGrossError standard deviations of the innovation
      // (ensemble and observation errors together) from the members' mean is rejected, not
      // assimilated — a misdated or mistyped row would otherwise drag every member to it.
      std::vector<Index> kept;
      AnalysisReport rep;
      for (Index i = 0; i < m; ++i) {
        const MonitoringRow& row = as->rows[rows[static_cast<std::size_t>(i)]];
        const double mean = hx.row(i).mean();
        const double var = (hx.row(i).array() - mean).square().sum() / static_cast<double>(n - 1);
        if (std::abs(row.value - mean) > kGrossError * std::sqrt(var + row.sd * row.sd)) rep.rejected.push_back(rows[static_cast<std::size_t>(i)]);
        else kept.push_back(i);
      }
      rep.day = stop - 1;
      rep.rows = rows;
      rep.delta_t_C = delta.first;
      rep.delta_p_pct = delta.second;
      rep.members = members.size();
      for (Index i = 0; i < m; ++i) {
        const MonitoringRow& row = as->rows[rows[static_cast<std::size_t>(i)]];
        y(i) = row.value;
        sd(i) = row.sd;
        const double mean = hx.row(i).mean();
        rep.prior_mean.push_back(mean);
        rep.prior_sd.push_back(std::sqrt((hx.row(i).array() - mean).square().sum() / static_cast<double>(n - 1)));
      }
      Eigen::MatrixXd hx_kept(static_cast<Index>(kept.size()), n);
      Eigen::VectorXd y_kept(static_cast<Index>(kept.size())), sd_kept(static_cast<Index>(kept.size()));
      for (std::size_t k = 0; k < kept.size(); ++k) {
        hx_kept.row(static_cast<Index>(k)) = hx.row(kept[k]);
        y_kept(static_cast<Index>(k)) = y(kept[k]);
        sd_kept(static_cast<Index>(k)) = sd(kept[k]);
      }
      // Variable localisation: the lake's observations move the lake (V, c), an aquifer head the
      // aquifer (G, c_aq). The members' aquifers differ mostly by their parameters (specific
      // yield, area), not by error: moving them with the lake's observations puts a member's
      // aquifer metres away from its own lake and drives flows no observation supports.
      Eigen::MatrixXd local = Eigen::MatrixXd::Zero(scenario::kAnalysisVariables, static_cast<Index>(kept.size()));
      for (std::size_t k = 0; k < kept.size(); ++k) {
        const bool head = as->rows[rows[static_cast<std::size_t>(kept[k])]].quantity == analysis::Monitored::aquifer_head;
        local.col(static_cast<Index>(k)).segment(head ? 2 : 0, 2).setOnes();
      }
      const Eigen::MatrixXd xa = analysis::enkf_analysis(x, hx_kept, y_kept, sd_kept, as->enkf, local);
      std::vector<double> after(static_cast<std::size_t>(n * m));
      for (Index j = 0; j < n; ++j) {
        const auto [b, l] = members[static_cast<std::size_t>(j)];
        scenario::BlockRun& block = *blocks[b];
        std::array<double, scenario::kAnalysisVariables> v{};
        for (int i = 0; i < scenario::kAnalysisVariables; ++i) v[static_cast<std::size_t>(i)] = xa(i, j);
        const auto dx = scenario::store_increment(v, block.state(), block.derived(), static_cast<Index>(l), *in.hypsometry, aquifer);
        std::array<Index, physics::kStores> booked{};
        for (int s = 0; s < physics::kStores; ++s) booked[static_cast<std::size_t>(s)] = assim_col[s];
        block.add_to_stores(l, dx, booked);
        for (Index i = 0; i < m; ++i) {
          const MonitoringRow& row = as->rows[rows[static_cast<std::size_t>(i)]];
          after[static_cast<std::size_t>(i * n + j)] =
              row.instant ? scenario::observe(row.quantity, block.state(), block.derived(), static_cast<Index>(l), aquifer)
                          : std::numeric_limits<double>::quiet_NaN();
        }
      }
      for (Index i = 0; i < m; ++i) {
        const Eigen::Map<const Eigen::ArrayXd> a(after.data() + i * n, n);
        const double mean = a.mean();
        rep.posterior_mean.push_back(mean);
        rep.posterior_sd.push_back(std::sqrt((a - mean).square().sum() / static_cast<double>(n - 1)));
      }
      h.analyses.push_back(std::move(rep));
    }
  }

  h.state.resize(groups.size());
  for (std::size_t b = 0; b < blocks.size(); ++b)
    for (std::size_t l = 0; l < blocks[b]->runs(); ++l) h.state[block_groups[b][l]] = blocks[b]->lane_state(l, true);
  h.run_days = static_cast<std::uint64_t>(active.size()) * static_cast<std::uint64_t>(h.branch_day - first_day);
  return h;
}

}  // namespace daihai::batch
