#pragma once
/// @file model.hpp
/// The model of a batch, assembled once before any run from the lake's inputs and the
/// scenario: which stores it has, the list of process instances (switches, water uses, the
/// scenario's inflow and every measure any run turns on), their fluxes with their places in a
/// block's state (running totals) and in the day's schedules, the parameters the processes read,
/// and the declared outputs, so that the results layout is known before the first run. Every
/// run of a batch has this same model; a measure that is off in a run gives that run zero
/// rates (or factor 1) from the processes it added.
#include <string>
#include <vector>

#include "core/parameters.hpp"
#include "management/plan_editor.hpp"
#include "physics/block.hpp"
#include "physics/process.hpp"
#include "scenario/run_result.hpp"
#include "scenario/spec.hpp"

namespace daihai::model {

/// One flux of the model and where it lives.
struct Flux {
  physics::FluxDecl decl;
  std::size_t process = 0;    ///< index of its process instance
  physics::Index water = -1;  ///< its column of running totals (m³) in the block state
  physics::Index salt = -1;   ///< its salt column (kg), −1 when it moves no salt
  physics::Index schedule = -1;  ///< its schedule slot, −1 when it has none
  physics::Index factor = -1;    ///< its multiplier slot, −1 when no measure scales it
};

/// The weight of a term in a store's derivative.
enum class Weight {
  one,       ///< +1
  to_fields, ///< −(1 − f_r) on a withdrawal's salt (negative): the salt left in the fields and soils
  returned,  ///< −f_r on a withdrawal's salt: the salt that returns to the aquifer with the return flow
};

/// A term of a store's derivative: `weight` × the rate in `column` of the block state.
struct StoreTerm {
  physics::Index column = 0;
  Weight weight = Weight::one;
};

/// How the recorder fills an output variable each day.
enum class OutputKind {
  state,           ///< an end-of-day state (interval mean)
  water,           ///< a flux's water total (m³)
  salt,            ///< a flux's salt total (kg)
  field_salt,      ///< withdrawn salt left in the fields (index 0) or returned to the aquifer (index 1), kg
  deposition,      ///< net salt moved from solution to the deposit (kg)
  shortage,        ///< a demand's shortfall (m³)
  measure_output,  ///< a measure's declared output (m³)
  forcing,         ///< a forcing diagnostic (precipitation mm, evaporation mm, ice days)
};

/// A declared output variable.
struct Output {
  std::string name;       ///< dataset name, unit in the name where ambiguous
  std::string units;
  std::string long_name;
  scenario::Aggregation aggregation = scenario::Aggregation::mean;
  /// "lake_water", "aquifer_water", "lake_salt", "aquifer_salt", "field_salt" or "" (scenario::Variable::budget)
  std::string budget;
  OutputKind kind = OutputKind::state;
  std::size_t index = 0;  ///< the state, flux, measure output or forcing diagnostic it reads
};

/// Index of the end-of-day states among OutputKind::state outputs.
enum StateOutput : std::size_t {
  kLevel, kArea, kVolumeOut, kTds, kSaltDissolved, kSaltDeposit, kAquiferHead, kAquiferStorage, kAquiferTds, kAquiferSalt, kFieldSaltOut
};

/// The model of a batch.
struct Model {
  scenario::Switches switches;                        ///< stores and processes switched on
  std::vector<physics::ProcessInstance> processes;    ///< in evaluation order
  std::vector<std::vector<std::size_t>> process_fluxes;  ///< the fluxes of each process
  std::vector<Flux> fluxes;                           ///< in model order
  /// The terms of each store's derivative (by physics::StateColumn), day-constant fluxes first,
  /// then the others, each in model order: every flux's water into its store, its salt into its
  /// store's salt, and a withdrawal's salt split between the fields and the aquifer.
  std::vector<StoreTerm> store_terms[physics::kStores];
  /// Some flux withdraws salt to the fields (FluxDecl::to_fields): the model reads
  /// salt_return_fraction when it also has an aquifer.
  bool to_fields = false;
  management::PlanLayout layout;                      ///< what the schedules of a run hold
  std::vector<scenario::MeasureSpec> measures;        ///< every measure any run turns on (model order)
  std::vector<core::ParameterDecl> parameters;        ///< every parameter the model reads
  std::vector<Output> outputs;                        ///< the declared outputs, in file order
  physics::Index state_size = physics::kStores;       ///< columns of a block state

  /// The flux named `name`, or nullptr.
  const Flux* find_flux(const std::string& name) const;
  /// "a, b, c": the names of every output (for messages).
  std::string output_names() const;
};

/// Assembles the model shared by `runs` (which must share the period, switches and [inflow])
/// from `inputs`. Checks, before any run: every parameter the model reads has a value (in the
/// inputs' parameters.toml or in every run's overrides); the water-use history has the columns
/// the water uses read; each measure fits the model (its kind's check). Throws core::InputError
/// naming the file, line and key (the parameters file and the missing names; the measure's
/// definition).
Model assemble(const std::vector<scenario::RunSpec>& runs, const scenario::LakeInputs& inputs);

/// The declarations of every parameter any store, process or water use of the engine reads (the
/// registry that parameter files, overrides and ensembles are checked against).
const core::ParameterRegistry& parameter_registry();

}  // namespace daihai::model
