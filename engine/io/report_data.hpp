#pragma once
/// @file report_data.hpp
/// The data of the planner's report that the engine computes (the report itself — figures, page,
/// spreadsheet — is drawn by `engine/report/make_report.py` from the results file and these).
///
/// `effects.csv` (UTF-8, one header row): `delta_t_C, delta_p_pct, response, unit, kind, measure,
/// other, value` — for each climate delta of a full factorial batch and each response (the 2030
/// area median in km², each target's probability, the probability of meeting every target), each
/// measure's `main`, `alone` and `dropped` effect and each pair's `interaction`
/// (analysis/factorial.hpp; `other` is the pair's second measure).
#include <string>

#include "analysis/verification.hpp"

namespace daihai::io {

/// The measures of a factorial batch's verification table, in the order of its fullest scenario's
/// name; empty when the table's scenarios are not every on/off combination of those measures
/// under each climate delta (then there are no effects to compute).
std::vector<std::string> factorial_measures(const analysis::VerificationTable& table);

/// Writes `effects.csv` of `table` to `path` (whole or not at all). Returns the number of rows;
/// 0 (and a header only) when the batch is not a full factorial.
std::size_t write_effects_csv(const analysis::VerificationTable& table, const std::string& path);

/// Reads an optional costs file (`measure,capital_wan_cny,annual_wan_cny_per_a,source`: per
/// measure its capital cost and its annual cost in 10⁴ CNY (万元), with their source) and writes
/// it to `out` for the report. Every measure must be one of `measures` (the results' measures).
/// Throws core::InputError naming the file, line and column for an unknown or repeated measure, a
/// cost that is not a finite number >= 0, a missing column or an empty table.
void write_costs_csv(const std::string& path, const std::vector<std::string>& measures, const std::string& out);

}  // namespace daihai::io
