#include "management/plan_editor.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "core/date.hpp"

namespace daihai::management {

namespace {

std::size_t position(const std::vector<std::string>& v, const std::string& name) {
  return static_cast<std::size_t>(std::find(v.begin(), v.end(), name) - v.begin());
}

}  // namespace

PlanEditor::PlanEditor(const PlanLayout& layout, std::int64_t first_day, std::int64_t n_days)
    : layout_(&layout), first_day_(first_day), n_(static_cast<std::size_t>(std::max<std::int64_t>(n_days, 0))) {
  year_.resize(n_);
  month_.resize(n_);
  fyear_.resize(n_);
  core::Date d = core::date_of(first_day);
  int doy = core::day_of_year(d);
  for (std::size_t i = 0; i < n_; ++i, core::step_day(d), doy = d.month == 1 && d.day == 1 ? 1 : doy + 1) {
    year_[i] = d.year;
    month_[i] = d.month;
    fyear_[i] = core::fractional_year(d, doy);
  }
  s_.rate.resize(layout.scheduled.size());
  s_.tds.assign(layout.scheduled.size(), 0.0);
  s_.factor.resize(layout.factors.size());
  s_.output.resize(layout.outputs.size());
}

std::size_t PlanEditor::index_of(std::int64_t day) const {
  if (day <= first_day_) return 0;
  return static_cast<std::size_t>(std::min<std::int64_t>(day - first_day_, static_cast<std::int64_t>(n_)));
}

bool PlanEditor::has_flux(const std::string& name) const {
  return std::any_of(layout_->fluxes.begin(), layout_->fluxes.end(), [&](const FluxInfo& f) { return f.name == name; });
}

bool PlanEditor::is_scheduled(const std::string& name) const { return position(layout_->scheduled, name) < layout_->scheduled.size(); }

std::vector<std::string> PlanEditor::demands_on(physics::Store store) const {
  std::vector<std::string> out;
  for (const auto& f : layout_->fluxes)
    if (f.demand && f.scheduled && f.store == store) out.push_back(f.name);
  return out;
}

Daily& PlanEditor::full(Daily& d, double value) {
  if (d.empty()) d.assign(n_, value);
  return d;
}

Daily& PlanEditor::rate(const std::string& name) {
  const std::size_t k = position(layout_->scheduled, name);
  if (k == layout_->scheduled.size()) throw std::invalid_argument(fmt::format("the model has no scheduled flux '{}'", name));
  return full(s_.rate[k], 0.0);
}

void PlanEditor::set_tds(const std::string& name, double tds_kg_per_m3) {
  const std::size_t k = position(layout_->scheduled, name);
  if (k == layout_->scheduled.size()) throw std::invalid_argument(fmt::format("the model has no scheduled flux '{}'", name));
  s_.tds[k] = tds_kg_per_m3;
}

void PlanEditor::scale(const std::string& name, std::int64_t from_day, double factor) {
  const auto f = std::find_if(layout_->fluxes.begin(), layout_->fluxes.end(), [&](const FluxInfo& x) { return x.name == name; });
  if (f == layout_->fluxes.end()) throw std::invalid_argument(fmt::format("the model has no flux '{}'", name));
  std::vector<std::string> names{name};
  if (!f->mirror.empty()) names.push_back(f->mirror);
  for (const auto& n : names) {
    Daily* d = nullptr;
    if (is_scheduled(n)) {
      d = &rate(n);
    } else {
      const std::size_t k = position(layout_->factors, n);
      if (k == layout_->factors.size()) throw std::invalid_argument(fmt::format("the model has no multiplier of flux '{}'", n));
      d = &full(s_.factor[k], 1.0);
    }
    for (std::size_t i = index_of(from_day); i < n_; ++i) (*d)[i] *= factor;
  }
}

Daily& PlanEditor::driver(const std::string& name) { return full(drivers_[name], 0.0); }

Daily& PlanEditor::output(const std::string& name) {
  const std::size_t k = position(layout_->outputs, name);
  if (k == layout_->outputs.size()) throw std::invalid_argument(fmt::format("no measure output '{}' is declared", name));
  return full(s_.output[k], 0.0);
}

Schedules PlanEditor::finish() { return std::move(s_); }

}  // namespace daihai::management
