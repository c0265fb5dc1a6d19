#include "core/parameters.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/units.hpp"

namespace daihai::core {

ParameterDecl::ParameterDecl(std::string name_, std::string unit_, double min_, double max_, std::string meaning_,
                             std::string reference_)
    : name(std::move(name_)), unit(std::move(unit_)), to_si(to_internal(unit)), min(min_), max(max_), meaning(std::move(meaning_)),
      reference(std::move(reference_)) {
  if (!(min <= max)) throw std::invalid_argument(fmt::format("parameter '{}': valid range [{}, {}] is empty", name, min, max));
}

void check_valid(const ParameterDecl& d, double value, const std::string& file, int line, const std::string& key) {
  if (!std::isfinite(value) || value < d.min || value > d.max)
    throw InputError(file, line, key, fmt::format("value {} {} is outside the valid range [{}, {}] {}", value, d.unit, d.min, d.max, d.unit));
  if (d.whole && value != std::trunc(value))
    throw InputError(file, line, key, fmt::format("value {} {}: expected a whole number", value, d.unit));
}

ParameterRegistry::ParameterRegistry(std::vector<ParameterDecl> decls) {
  for (auto& d : decls) {
    const ParameterDecl* seen = nullptr;
    for (const auto& e : decls_)
      if (e.name == d.name) seen = &e;
    if (seen == nullptr) {
      decls_.push_back(std::move(d));
    } else if (seen->unit != d.unit || seen->min != d.min || seen->max != d.max) {
      throw std::logic_error(fmt::format("parameter '{}' declared twice with different units or ranges", d.name));
    }
  }
}

const ParameterDecl* ParameterRegistry::find(std::string_view name) const {
  for (const auto& d : decls_)
    if (d.name == name) return &d;
  return nullptr;
}

void ParameterSet::set(const ParameterRegistry& registry, const std::string& name, double value, ParameterOrigin origin) {
  const ParameterDecl* d = registry.find(name);
  if (d == nullptr) throw InputError(origin.file, origin.line, name, "unknown parameter (not declared by the engine)");
  check_valid(*d, value, origin.file, origin.line, name);
  values_[name] = value * d->to_si;
  given_[name] = value;
  origins_[name] = std::move(origin);
}

double ParameterSet::si(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) throw std::out_of_range(fmt::format("parameter '{}' has no value", name));
  return it->second;
}

double ParameterSet::in_unit(const std::string& name) const {
  const auto it = given_.find(name);
  if (it == given_.end()) throw std::out_of_range(fmt::format("parameter '{}' has no value", name));
  return it->second;
}

const ParameterOrigin& ParameterSet::origin(const std::string& name) const {
  const auto it = origins_.find(name);
  if (it == origins_.end()) throw std::out_of_range(fmt::format("parameter '{}' has no value", name));
  return it->second;
}

void ParameterSet::require_all(const ParameterRegistry& registry, const std::string& file) const {
  std::string missing;
  for (const auto& d : registry.all())
    if (!has(d.name)) missing += (missing.empty() ? "" : ", ") + d.name;
  if (!missing.empty()) throw InputError(file, 0, "", "missing required parameters: " + missing);
}

}  // namespace daihai::core
