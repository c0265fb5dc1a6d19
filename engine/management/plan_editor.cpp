#include "management/plan_editor.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <iterator>
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
  rate_.resize(layout.scheduled.size());
  tds_.assign(layout.scheduled.size(), 0.0);
  factor_.resize(layout.factors.size());
  output_.resize(layout.outputs.size());
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
  return full(rate_[k], 0.0);
}

void PlanEditor::set_tds(const std::string& name, double tds_kg_per_m3) {
  const std::size_t k = position(layout_->scheduled, name);
  if (k == layout_->scheduled.size()) throw std::invalid_argument(fmt::format("the model has no scheduled flux '{}'", name));
  tds_[k] = tds_kg_per_m3;
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
      d = &full(factor_[k], 1.0);
    }
    for (std::size_t i = index_of(from_day); i < n_; ++i) (*d)[i] *= factor;
  }
}

Daily& PlanEditor::driver(const std::string& name) { return full(drivers_[name], 0.0); }

Daily& PlanEditor::output(const std::string& name) {
  const std::size_t k = position(layout_->outputs, name);
  if (k == layout_->outputs.size()) throw std::invalid_argument(fmt::format("no measure output '{}' is declared", name));
  return full(output_[k], 0.0);
}

Schedules PlanEditor::finish(SeriesPool* pool, std::size_t from, std::size_t n) {
  if (n > 0 && from + n > n_) throw std::invalid_argument("PlanEditor::finish: the days to keep lie outside the plan");
  const auto series = [&](std::vector<Daily>& slots) {
    std::vector<Series> out;
    for (auto& d : slots) {
      if (!d.empty() && n > 0 && (from > 0 || n < d.size())) d = Daily(d.begin() + static_cast<std::ptrdiff_t>(from), d.begin() + static_cast<std::ptrdiff_t>(from + n));
      out.push_back(d.empty() ? nullptr : pool != nullptr ? pool->intern(std::move(d)) : std::make_shared<const Daily>(std::move(d)));
    }
    return out;
  };
  Schedules s;
  s.rate = series(rate_);
  s.tds = tds_;
  s.factor = series(factor_);
  s.output = series(output_);
  return s;
}

Series SeriesPool::intern(Daily&& d) {
  // FNV-1a over the values' bits.
  std::uint64_t h = 14695981039346656037ULL;
  for (double v : d) h = (h ^ std::bit_cast<std::uint64_t>(v)) * 1099511628211ULL;
  const auto same = [&](const Daily& e) {
    return e.size() == d.size() && std::memcmp(e.data(), d.data(), d.size() * sizeof(double)) == 0;
  };
  const std::lock_guard<std::mutex> lock(mutex_);
  const auto [first, last] = by_hash_.equal_range(h);
  for (auto it = first; it != last; ++it)
    if (Series e = it->second.lock(); e && same(*e)) return e;
  // Forget expired entries now and then, so that the pool stays as small as the live schedules.
  if (++inserted_ % 256 == 0)
    for (auto it = by_hash_.begin(); it != by_hash_.end();) it = it->second.expired() ? by_hash_.erase(it) : std::next(it);
  Series e = std::make_shared<const Daily>(std::move(d));
  by_hash_.emplace(h, e);
  return e;
}

}  // namespace daihai::management
