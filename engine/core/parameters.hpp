#pragma once
/// @file parameters.hpp
/// Declared model parameters: each parameter is declared once by the engine with its name,
/// input unit, conversion to SI, valid range and meaning. A lake's values and their sources
/// live in its inputs folder; a scenario may override them. A parameter that is neither
/// declared nor given is an error, never a silent default.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace daihai::core {

/// Declaration of one parameter, made once next to the process, store or water use that reads
/// it. Values are given in `unit` (a symbol of core::units()); `to_si` converts them to the
/// engine's internal value (internal = given × to_si, from the units table). `min`/`max` bound
/// the valid range in `unit`: physical or numerical validity, never the plausible range of one
/// lake (that belongs to the lake's inputs). `reference` is the source of the equation or of
/// the valid range.
struct ParameterDecl {
  /// @throws std::invalid_argument for a unit that core::units() does not hold or min > max.
  ParameterDecl(std::string name, std::string unit, double min, double max, std::string meaning, std::string reference = "");
  std::string name;
  std::string unit;
  double to_si = 1.0;
  double min = 0.0;
  double max = 0.0;
  std::string meaning;
  std::string reference;
  bool whole = false;  ///< only whole numbers are valid (days, months, years, counts of days)
  /// This declaration with `whole` set.
  ParameterDecl as_whole() const {
    ParameterDecl d = *this;
    d.whole = true;
    return d;
  }
};

/// The one range check of a declared value: throws core::InputError naming `file`, `line` and
/// `key` when `value` (in the declared unit) is not finite, lies outside [d.min, d.max] or has a
/// fraction where the declaration takes whole numbers.
void check_valid(const ParameterDecl& d, double value, const std::string& file, int line, const std::string& key);

/// An ordered table of parameter declarations (the engine's, for one model).
class ParameterRegistry {
public:
  /// @throws std::logic_error when a name is declared twice with different declarations (the same
  /// declaration made by two users of a parameter is kept once).
  explicit ParameterRegistry(std::vector<ParameterDecl> decls);
  /// The declaration of `name`, or nullptr when the engine does not declare it.
  const ParameterDecl* find(std::string_view name) const;
  const std::vector<ParameterDecl>& all() const { return decls_; }

private:
  std::vector<ParameterDecl> decls_;
};

/// Where a parameter's value came from and how sure it is, for provenance and ensembles.
struct ParameterOrigin {
  std::string file;       ///< file that set the value
  int line = 0;           ///< line in that file
  std::string kind;       ///< D direct, E estimate, C calibrated, S scenario override
  std::string source;     ///< source id or derivation
  double plausible_min = 0.0;  ///< plausible range in the declared unit (for calibration/ensembles)
  double plausible_max = 0.0;
};

/// A complete set of parameter values for one run, stored in SI units.
class ParameterSet {
public:
  /// Sets `name` to `value` given in the declared unit. Throws core::InputError (naming
  /// `origin.file`, `origin.line` and the key) when `name` is not declared in `registry` or
  /// `value` is outside [min, max] or not finite.
  void set(const ParameterRegistry& registry, const std::string& name, double value, ParameterOrigin origin);
  /// SI value of `name`; throws std::out_of_range naming the parameter when it was never set.
  double si(const std::string& name) const;
  /// True when `name` has a value.
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  /// Value in the declared unit (for reporting).
  double in_unit(const std::string& name) const;
  const ParameterOrigin& origin(const std::string& name) const;
  /// Throws core::InputError listing every parameter of `registry` without a value
  /// (`file` names where they were expected).
  void require_all(const ParameterRegistry& registry, const std::string& file) const;
  const std::map<std::string, double>& values_si() const { return values_; }

private:
  std::map<std::string, double> values_;
  std::map<std::string, double> given_;
  std::map<std::string, ParameterOrigin> origins_;
};

}  // namespace daihai::core
