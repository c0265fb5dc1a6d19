#include "io/monitoring_file.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

#include <fmt/format.h>

#include "analysis/observations.hpp"
#include "core/date.hpp"
#include "core/errors.hpp"
#include "io/csv.hpp"

namespace daihai::io {

using analysis::Monitored;
using analysis::MonitoringRow;

namespace {

struct QuantityInfo {
  const char* name;
  Monitored quantity;
  analysis::ObservationKind units_of;  // the observations file's kind whose units it takes
};

constexpr QuantityInfo kQuantities[] = {
    {"level", Monitored::level, analysis::ObservationKind::level},
    {"area", Monitored::area, analysis::ObservationKind::area},
    {"volume", Monitored::volume, analysis::ObservationKind::volume},
    {"tds", Monitored::tds, analysis::ObservationKind::tds},
    {"aquifer_head", Monitored::aquifer_head, analysis::ObservationKind::level},
};

std::optional<int> year_of(std::string_view s) {
  int y = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), y);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size() || s.size() != 4) return std::nullopt;
  return y;
}

// Reads `text` as a date (an instant), a year or a year range into `row`; false when it is none.
bool parse_time(const std::string& text, MonitoringRow& row) {
  if (const auto dots = text.find(".."); dots != std::string::npos) {
    const auto a = year_of(std::string_view(text).substr(0, dots)), b = year_of(std::string_view(text).substr(dots + 2));
    if (!a || !b || *a > *b) return false;
    row.instant = false;
    row.first_year = *a;
    row.last_year = *b;
    return true;
  }
  if (const auto y = year_of(text)) {
    row.instant = false;
    row.first_year = row.last_year = *y;
    return true;
  }
  try {
    row.day = core::day_number(core::parse_date(text));
    row.instant = true;
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

std::vector<MonitoringRow> from_table(const CsvTable& t) {
  const std::string& path = t.path();
  const std::size_t c_q = t.column("quantity"), c_value = t.column("value"), c_unit = t.column("unit"), c_time = t.column("time"),
                    c_sd = t.column("sd"), c_source = t.column("source");
  const auto c_note = t.find_column("note");
  if (t.rows() == 0) throw core::InputError(path, 0, "", "the monitoring file has no rows");
  TableProblems problems(t);
  std::vector<MonitoringRow> out;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const int line = t.line_of(r);
    auto problem = [&](std::size_t col, const std::string& message) { problems.add(r, col, message); };
    auto cell = [&](auto&& read) { return problems.cell(read); };
    MonitoringRow m;
    m.file = path;
    m.line = line;
    m.unit = t.text(r, c_unit);
    m.source = t.text(r, c_source);
    if (c_note) m.note = t.text(r, *c_note);
    const QuantityInfo* q = nullptr;
    for (const auto& k : kQuantities)
      if (t.text(r, c_q) == k.name) q = &k;
    std::optional<double> factor;
    if (q == nullptr) {
      problem(c_q, fmt::format("unknown quantity '{}'; expected level, area, volume, tds or aquifer_head", t.text(r, c_q)));
    } else {
      m.quantity = q->quantity;
      factor = analysis::unit_factor(q->units_of, m.unit);
      if (!factor)
        problem(c_unit, fmt::format("unit '{}' does not fit the quantity '{}'; expected {}", m.unit, q->name,
                                    analysis::accepted_units(q->units_of)));
    }
    double value = 0.0, sd = 0.0;
    const bool value_ok = cell([&] { value = t.number(r, c_value); });
    bool sd_ok = cell([&] { sd = t.number(r, c_sd); });
    if (sd_ok && !(sd > 0.0)) {
      problem(c_sd, fmt::format("expected a standard deviation > 0, found {}", sd));
      sd_ok = false;
    }
    const bool time_ok = parse_time(t.text(r, c_time), m);
    if (!time_ok)
      problem(c_time, fmt::format("expected a date YYYY-MM-DD, a year YYYY or years YYYY..YYYY (first <= last), found '{}'",
                                  t.text(r, c_time)));
    const bool non_negative = q != nullptr && q->quantity != Monitored::level && q->quantity != Monitored::aquifer_head;
    if (value_ok && non_negative && value < 0.0)
      problem(c_value, fmt::format("a {} cannot be negative, found {}", q->name, value));
    if (factor) {
      m.to_si = *factor;
      if (value_ok) m.value = value * *factor;
      // The filter squares it: an sd beyond 1e100 (in SI) says the figure says nothing; leave it out.
      if (sd_ok && !(sd * *factor < 1e100)) problem(c_sd, fmt::format("a standard deviation of {} {} says nothing: leave the row out", sd, m.unit));
      else if (sd_ok) m.sd = sd * *factor;
    }
    if (q != nullptr && time_ok)
      for (const auto& o : out)
        if (o.quantity == m.quantity && o.instant == m.instant && o.day == m.day && o.first_year == m.first_year && o.last_year == m.last_year)
          problem(c_time, fmt::format("the {} at {} is given twice (line {}): one figure, one row", q->name, t.text(r, c_time), o.line));
    out.push_back(std::move(m));
  }
  problems.throw_if_any("the monitoring file");
  std::stable_sort(out.begin(), out.end(), [](const MonitoringRow& a, const MonitoringRow& b) { return a.analysis_day() < b.analysis_day(); });
  return out;
}

}  // namespace

std::vector<analysis::Observation> as_observations(const std::vector<MonitoringRow>& rows, std::size_t* skipped) {
  std::vector<analysis::Observation> out;
  std::size_t left = 0;
  for (const auto& r : rows) {
    analysis::ObservationKind kind = analysis::ObservationKind::level;
    if (r.quantity == Monitored::area) kind = analysis::ObservationKind::area;
    else if (r.quantity == Monitored::volume) kind = analysis::ObservationKind::volume;
    else if (r.quantity == Monitored::tds) kind = analysis::ObservationKind::tds;
    else if (r.quantity == Monitored::aquifer_head) {
      ++left;
      continue;
    }
    analysis::Observation o;
    o.kind = kind;
    o.value = r.value;
    o.value_as_given = r.value / r.to_si;
    o.unit = r.unit;
    o.to_si = r.to_si;
    o.start = r.instant ? core::date_of(r.day).year : r.first_year;
    o.end = r.instant ? core::date_of(r.day).year : r.last_year;
    o.source = r.source;
    o.confidence = 'M';
    o.tolerance = r.sd;
    o.tolerance_from_file = true;
    o.note = r.instant ? "instant " + core::format_date(core::date_of(r.day)) + " compared with its year's annual mean" : r.note;
    o.file = r.file;
    o.line = r.line;
    out.push_back(std::move(o));
  }
  if (skipped != nullptr) *skipped = left;
  return out;
}

std::vector<MonitoringRow> load_monitoring(const std::string& path) { return from_table(CsvTable::read(path)); }

std::vector<MonitoringRow> parse_monitoring(const std::string& text, const std::string& path) {
  return from_table(CsvTable::parse(text, path));
}

}  // namespace daihai::io
