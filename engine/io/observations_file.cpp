#include "io/observations_file.hpp"

#include <optional>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "io/csv.hpp"

namespace daihai::io {

using analysis::Observation;
using analysis::ObservationKind;

namespace {

std::vector<Observation> from_table(const CsvTable& t) {
  const std::string& path = t.path();
  const std::size_t c_kind = t.column("kind");
  const std::size_t c_value = t.column("value");
  const std::size_t c_unit = t.column("unit");
  const std::size_t c_start = t.column("start");
  const std::size_t c_end = t.column("end");
  const std::size_t c_source = t.column("source");
  const std::size_t c_conf = t.column("confidence");
  const auto c_tol = t.find_column("tolerance");
  const auto c_note = t.find_column("note");
  if (t.rows() == 0) throw core::InputError(path, 0, "", "the observation table has no rows");

  TableProblems problems(t);
  std::vector<Observation> out;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const int line = t.line_of(r);
    auto problem = [&](std::size_t col, const std::string& message) { problems.add(r, col, message); };
    auto cell = [&](auto&& read) { return problems.cell(read); };
    Observation o;
    o.file = path;
    o.line = line;
    o.unit = t.text(r, c_unit);
    o.source = t.text(r, c_source);
    if (c_note) o.note = t.text(r, *c_note);

    const auto kind = analysis::parse_kind(t.text(r, c_kind));
    if (!kind) {
      std::string names;
      for (const auto k : analysis::kAllObservationKinds) names += std::string(names.empty() ? "" : ", ") + analysis::to_string(k);
      problem(c_kind, fmt::format("unknown kind '{}'; expected one of {}", t.text(r, c_kind), names));
    }
    std::optional<double> factor;
    if (kind) {
      o.kind = *kind;
      factor = analysis::unit_factor(*kind, o.unit);
      if (!factor)
        problem(c_unit, fmt::format("unit '{}' does not fit the kind '{}'; expected {}", o.unit, analysis::to_string(*kind),
                                    analysis::accepted_units(*kind)));
    }
    bool value_ok = cell([&] { o.value_as_given = t.number(r, c_value); });
    bool years_ok = cell([&] { o.start = static_cast<int>(t.integer(r, c_start)); });
    years_ok = cell([&] { o.end = static_cast<int>(t.integer(r, c_end)); }) && years_ok;
    if (years_ok) {
      if (o.start > o.end)
        problem(c_end, fmt::format("end {} is before start {}", o.end, o.start));
      else if (kind && analysis::needs_two_years(*kind) && o.end == o.start)
        problem(c_end, fmt::format("a {} needs end > start, found {}..{}", analysis::to_string(*kind), o.start, o.end));
    }
    const std::string conf = t.text(r, c_conf);
    const bool conf_ok = conf == "H" || conf == "M" || conf == "L";
    if (!conf_ok) problem(c_conf, fmt::format("expected H, M or L, found '{}'", conf));
    else o.confidence = conf[0];

    std::optional<double> tol_given;
    if (c_tol) {
      cell([&] { tol_given = t.optional_number(r, *c_tol); });
      if (tol_given && !(*tol_given > 0.0))
        problem(*c_tol, fmt::format("expected a tolerance > 0, found {}", *tol_given));
    }
    if (factor && value_ok) {
      o.to_si = *factor;
      o.value = o.value_as_given * *factor;
      if (tol_given && *tol_given > 0.0) {
        o.tolerance = *tol_given * *factor;
        o.tolerance_from_file = true;
      } else if (conf_ok) {
        o.tolerance = analysis::default_tolerance(o.kind, o.confidence, o.value);
      }
    }
    out.push_back(std::move(o));
  }
  problems.throw_if_any("the observation table");
  return out;
}

}  // namespace

std::vector<Observation> load_observations(const std::string& path) { return from_table(CsvTable::read(path)); }

std::vector<Observation> parse_observations(const std::string& text, const std::string& path) {
  return from_table(CsvTable::parse(text, path));
}

}  // namespace daihai::io
