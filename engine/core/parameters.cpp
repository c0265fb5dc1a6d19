#include "core/parameters.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "core/errors.hpp"

namespace daihai::core {

ParameterRegistry::ParameterRegistry(std::vector<ParameterDecl> decls) : decls_(std::move(decls)) {
  for (std::size_t i = 0; i < decls_.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (decls_[i].name == decls_[j].name)
        throw std::logic_error(fmt::format("parameter '{}' declared twice", decls_[i].name));
}

const ParameterDecl* ParameterRegistry::find(std::string_view name) const {
  for (const auto& d : decls_)
    if (d.name == name) return &d;
  return nullptr;
}

void ParameterSet::set(const ParameterRegistry& registry, const std::string& name, double value, ParameterOrigin origin) {
  const ParameterDecl* d = registry.find(name);
  if (d == nullptr) throw InputError(origin.file, origin.line, name, "unknown parameter (not declared by the engine)");
  if (!std::isfinite(value) || value < d->min || value > d->max)
    throw InputError(origin.file, origin.line, name,
                     fmt::format("value {} {} is outside the valid range [{}, {}] {}", value, d->unit, d->min, d->max, d->unit));
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
