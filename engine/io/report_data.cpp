#include "io/report_data.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <tuple>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "analysis/factorial.hpp"
#include "core/errors.hpp"
#include "io/csv.hpp"
#include "io/text_file.hpp"

namespace daihai::io {

namespace {

using analysis::ScenarioRow;

// The rows of one climate delta by combination mask; nullopt unless every combination is there once.
std::optional<std::vector<const ScenarioRow*>> by_mask(const analysis::VerificationTable& table, const std::vector<std::string>& measures,
                                                       double dt, double dp) {
  std::vector<const ScenarioRow*> cells(std::size_t{1} << measures.size(), nullptr);
  for (const auto& row : table.rows) {
    if (row.delta_t_C != dt || row.delta_p_pct != dp) continue;
    std::size_t m = 0;
    try {
      m = analysis::combination_mask(row.scenario, measures);
    } catch (const std::invalid_argument&) {
      return std::nullopt;
    }
    if (cells[m] != nullptr) return std::nullopt;
    cells[m] = &row;
  }
  for (const auto* c : cells)
    if (c == nullptr) return std::nullopt;
  return cells;
}

}  // namespace

std::vector<std::string> factorial_measures(const analysis::VerificationTable& table) {
  const ScenarioRow* fullest = nullptr;
  std::size_t most = 0;
  for (const auto& row : table.rows) {
    const std::size_t n = row.scenario == "baseline" ? 0 : static_cast<std::size_t>(std::count(row.scenario.begin(), row.scenario.end(), '+')) + 1;
    if (fullest == nullptr || n > most) fullest = &row, most = n;
  }
  if (fullest == nullptr || most == 0 || most > 12) return {};
  std::vector<std::string> measures;
  std::stringstream in(fullest->scenario);
  for (std::string m; std::getline(in, m, '+');) measures.push_back(m);
  for (const auto& row : table.rows)
    if (!by_mask(table, measures, row.delta_t_C, row.delta_p_pct)) return {};
  return measures;
}

std::size_t write_effects_csv(const analysis::VerificationTable& table, const std::string& path) {
  std::string out = "delta_t_C,delta_p_pct,response,unit,kind,measure,other,value\n";
  std::size_t rows = 0;
  const auto measures = factorial_measures(table);
  std::vector<std::pair<double, double>> deltas;
  for (const auto& row : table.rows)
    if (std::find(deltas.begin(), deltas.end(), std::pair{row.delta_t_C, row.delta_p_pct}) == deltas.end())
      deltas.emplace_back(row.delta_t_C, row.delta_p_pct);
  for (const auto& [dt, dp] : measures.empty() ? std::vector<std::pair<double, double>>{} : deltas) {
    const auto cells = *by_mask(table, measures, dt, dp);
    // The responses: area in the report year, each target's probability, all targets together.
    std::vector<std::tuple<std::string, std::string, std::function<std::optional<double>(const ScenarioRow&)>>> responses;
    responses.emplace_back(fmt::format("area_{}_median", table.report_year), "km2", [](const ScenarioRow& r) {
      return r.area_m2 ? std::optional<double>(r.area_m2->median * 1e-6) : std::nullopt;
    });
    for (std::size_t t = 0; t < table.targets.size(); ++t)
      responses.emplace_back(table.targets[t].name + "_probability", "1", [t](const ScenarioRow& r) { return r.targets.at(t).probability; });
    if (!table.targets.empty())
      responses.emplace_back("all_targets_probability", "1", [](const ScenarioRow& r) { return r.all_targets_probability; });
    for (const auto& [name, unit, value] : responses) {
      analysis::FactorialResponse resp{measures, {}};
      bool complete = true;
      for (const auto* c : cells) {
        const auto v = value(*c);
        complete = complete && v.has_value();
        resp.value.push_back(v.value_or(0.0));
      }
      if (!complete) continue;  // a combination without successful runs
      const auto e = analysis::factorial_effects(resp);
      // Copies of the structured bindings: C++20 lets a lambda capture them, clang 14 does not yet.
      auto line = [&, dt = dt, dp = dp, name = name, unit = unit](const char* kind, const std::string& m, const std::string& other, double v) {
        out += fmt::format("{:.10g},{:.10g},{},{},{},{},{},{:.10g}\n", dt, dp, name, unit, kind, m, other, v);
        ++rows;
      };
      for (std::size_t i = 0; i < measures.size(); ++i) {
        line("main", measures[i], "", e.main[i]);
        line("alone", measures[i], "", e.alone[i]);
        line("dropped", measures[i], "", e.dropped[i]);
      }
      for (std::size_t k = 0; k < e.pairs.size(); ++k) line("interaction", measures[e.pairs[k].first], measures[e.pairs[k].second], e.interaction[k]);
    }
  }
  write_text_file(path, out);
  return rows;
}

void write_costs_csv(const std::string& path, const std::vector<std::string>& measures, const std::string& out) {
  const CsvTable t = CsvTable::read(path);
  const std::size_t c_m = t.column("measure"), c_cap = t.column("capital_wan_cny"), c_ann = t.column("annual_wan_cny_per_a"),
                    c_src = t.column("source");
  if (t.rows() == 0) throw core::InputError(path, 0, "", "the costs file has no rows");
  TableProblems problems(t);
  std::string text = "measure,capital_wan_cny,annual_wan_cny_per_a,source\n";
  std::vector<std::string> seen;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const std::string& m = t.text(r, c_m);
    if (std::find(measures.begin(), measures.end(), m) == measures.end())
      problems.add(r, c_m, fmt::format("'{}' is not a measure of these results", m));
    else if (std::find(seen.begin(), seen.end(), m) != seen.end())
      problems.add(r, c_m, fmt::format("'{}' is listed twice", m));
    seen.push_back(m);
    double cap = 0.0, ann = 0.0;
    if (problems.cell([&] { cap = t.number(r, c_cap); }) && cap < 0.0) problems.add(r, c_cap, "expected a cost >= 0");
    if (problems.cell([&] { ann = t.number(r, c_ann); }) && ann < 0.0) problems.add(r, c_ann, "expected a cost >= 0");
    text += fmt::format("{},{:.10g},{:.10g},{}\n", m, cap, ann, csv_quote(t.text(r, c_src)));
  }
  problems.throw_if_any("the costs file");
  write_text_file(out, text);
}

}  // namespace daihai::io
