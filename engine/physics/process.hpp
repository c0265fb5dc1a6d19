#pragma once
/// @file process.hpp
/// Flux processes, in the shape of FABM: a process type declares what it is (name, the fluxes it
/// produces with the store each acts on, units and long names, which of them are users'
/// demands), the parameters it reads (name, unit, valid range, source) and the quantities it
/// needs; an instance computes the water and salt rates of its fluxes for every lane of a block
/// from the block's state, derived quantities and the day's inputs, and never changes the state.
///
/// Lifecycle of an instance in a block (MODFLOW 6's package lifecycle, reduced to a lake):
///   made once per block (its parameters bound per lane) → begin_day() once a day ahead of the
///   day's integration (day constants; the discrete daily catchment model) → rates() at every
///   stage of the integrator.
/// Every process type is one file under `engine/physics/processes/` and one line of the table in
/// `engine/physics/process_registry.cpp` (docs/extending.md).
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/parameters.hpp"
#include "physics/block.hpp"
#include "physics/hypsometry.hpp"

namespace daihai::physics {

/// The store a flux acts on (+ into it).
enum class Store { lake, aquifer };

/// Which parts of the model a scenario switches on (all on for a full lake model): groups of
/// processes and stores, and any process type by its own name (`[switches] <type> = false`).
struct Switches {
  bool catchment = true;   ///< GR4J runoff and recharge from the land part of the basin
  bool aquifer = true;     ///< the aquifer store: lake–aquifer exchange and aquifer pumping
  bool water_uses = true;  ///< irrigation, towns, power plant, lake abstraction
  bool precipitation = true;
  bool evaporation = true;
  bool salt_deposition = true;
  std::map<std::string, bool> processes;  ///< process types switched by name (overrides their group)
  /// The switch of process type `type` by name, else `group`.
  bool process(const std::string& type, bool group) const {
    const auto it = processes.find(type);
    return it == processes.end() ? group : it->second;
  }
};

/// Where a process type's instance stands in a model's evaluation order: the lake's own
/// processes come first (their day constants, e.g. the catchment's runoff, are published for
/// the others), then the water uses', the scenario's and the measures' instances, then the
/// coupling of the stores.
enum class Stage { lake, coupling };

/// What a process may read. Declared by each type, so that a model computes only what its
/// processes need (no aquifer head without an aquifer; no weather generator for forcing read
/// from a file) and the contract test can check each process against its declaration.
enum class Need {
  precipitation,           ///< DayInputs::precip_m_per_s
  open_water_evaporation,  ///< DayInputs::evap_fresh_m_per_s, evap_sat_m_per_s, ice
  land_pet,                ///< DayInputs::pet_land_m_per_s
  catchment,               ///< DayInputs::runoff_m3_per_s, percolation_m3_per_s (a catchment process in the model)
  lake_area,               ///< Derived::area_m2 (and stage, mean depth)
  lake_tds,                ///< Derived::tds_kg_per_m3
  lake_limiter,            ///< Derived::phi_lake
  aquifer,                 ///< Derived::head_m, phi_aquifer, aquifer_tds_kg_per_m3 (an aquifer store in the model)
  schedule,                ///< a daily schedule of its own (DayInputs::schedule)
};

/// One flux a process produces: a dataset `<name>_m3` (+ into its store) and, when it moves
/// salt, `<name>_kg` (+ into the salt of the same store: the lake's T or the aquifer's S_aq).
/// Declared before any run (the results layout).
struct FluxDecl {
  std::string name;       ///< output name without unit suffix, e.g. "lake_evaporation"
  std::string long_name;  ///< description for the outputs
  Store store = Store::lake;
  bool salt = false;          ///< moves salt: has a salt term
  /// A withdrawal for use inside the basin (irrigation, towns, industry): the salt it takes (the
  /// negative of its salt term) stays in the closed basin — the return fraction of it reaches the
  /// aquifer with the return flow, the rest stays in the fields and soils (kFieldSalt).
  bool to_fields = false;
  bool demand = false;        ///< a user's demand: its schedule is the demand, the shortfall is reported (`<name>_shortage_m3`)
  bool scheduled = false;     ///< its rate comes from a daily schedule that water uses build and measures edit
  bool day_constant = false;  ///< its rate is constant within a day (does not depend on the state)
  std::string mirror;         ///< another flux of the process that is its exact negative on the other store (scaled with it)
};

/// A process as it appears in a model: its type and its instance settings. Generic types (a
/// scheduled inflow, a withdrawal) appear several times under different names.
struct ProcessInstance {
  std::string type;              ///< registry name, e.g. "scheduled_inflow"
  std::string name;              ///< name of its (first) flux, e.g. "diversion_yellow_river_diversion"
  std::string long_name;         ///< description of that flux
  bool carries_lake_salt = true; ///< lake_withdrawal: the withdrawn water takes the lake's TDS (false: evaporative use)
  std::string added_by;          ///< what put it in the model (a switch, a water use, a measure), for messages
};

/// Where an instance's fluxes live in a block: per declared flux, its column of running
/// totals in BlockState (water, and salt or −1) and its schedule slot (or −1).
struct FluxSlots {
  Index water = -1;
  Index salt = -1;
  Index schedule = -1;
};

/// What an instance is given when a block is set up.
struct ProcessSetup {
  std::vector<const core::ParameterSet*> lanes;  ///< each lane's parameters (internal units)
  const Hypsometry* hypsometry = nullptr;        ///< the lake's hypsometry
  std::vector<FluxSlots> slots;                  ///< one per declared flux, in declaration order
  Lanes tds_kg_per_m3;                           ///< scheduled inflows: the TDS of the water each lane receives (g/L = kg/m³)
  /// Per lane, the first lane that reads the same forcing (its weather-derived DayInputs:
  /// precipitation, evaporation, land PET, ice); a lane's own index when none before it does.
  /// Lets a process whose daily model depends on forcing and parameters alone compute it once
  /// for lanes that share both (the catchment).
  std::vector<Index> forcing_source;
};

/// What rates() reads.
struct RateContext {
  /// The state: only its stores (the columns before kStores) are meaningful; the running totals
  /// are quadratures the integrator does not form in its stage states, so rates never read them.
  const BlockState& x;
  const Derived& d;
  const DayInputs& day;
};

/// A flux process bound to a block. Implementations live in `physics/processes/`.
class Process {
public:
  explicit Process(ProcessSetup setup) : setup_(std::move(setup)) {}
  virtual ~Process() = default;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  /// Once a day ahead of the day's integration: `start` holds the derived state at the start of
  /// the day. A process with day constants or a discrete daily model of its own (the catchment)
  /// computes them here and may publish day inputs for processes after it. Default: nothing.
  virtual void begin_day(const Derived& start, DayInputs& day) {
    (void)start;
    (void)day;
  }
  /// Rates of every declared flux for every lane: water (m³/s, + into its store) into
  /// `dxdt.col(slots[k].water)`, salt (kg/s, + into the lake's salt) into `dxdt.col(slots[k].salt)`.
  /// Must not depend on anything but the context and the instance's bound parameters.
  virtual void rates(const RateContext& c, BlockState& dxdt) const = 0;
  /// The instance's own state of lane `l` carried from one day to the next (the catchment's
  /// stores and unit-hydrograph queues, the lake's heat), for state files and for runs that
  /// branch from a shared history. Default: none (a process whose rates depend on the day alone).
  virtual std::vector<double> lane_state(Index l) const {
    (void)l;
    return {};
  }
  /// Sets lane `l` from lane_state() of an instance of the same type and parameters. Default:
  /// accepts only an empty state. Throws std::invalid_argument for a state that does not fit.
  virtual void set_lane_state(Index l, const std::vector<double>& s) {
    (void)l;
    if (!s.empty()) throw std::invalid_argument("this process keeps no state of its own");
  }

  const ProcessSetup& setup() const { return setup_; }

protected:
  /// Lane values of parameter `name` (internal units).
  Lanes parameter(const char* name) const;
  /// Lane values of parameter `name` in its declared unit (for models written in that unit, e.g. GR4J in mm).
  Lanes parameter_in_unit(const char* name) const;
  Index width() const { return static_cast<Index>(setup_.lanes.size()); }
  const FluxSlots& slot(std::size_t k) const { return setup_.slots[k]; }

private:
  ProcessSetup setup_;
};

/// A process type of the registry.
struct ProcessType {
  std::string type;         ///< registry name
  std::string description;  ///< what it computes, with the equation's source
  std::vector<core::ParameterDecl> parameters;  ///< the parameters it reads
  std::vector<Need> needs;                      ///< the quantities it reads
  /// The fluxes of an instance (names derived from the instance's name).
  std::function<std::vector<FluxDecl>(const ProcessInstance&)> fluxes;
  /// Binds an instance to a block.
  std::function<std::unique_ptr<Process>(const ProcessInstance&, ProcessSetup)> make;
  /// When the model has this process of its own accord (one instance under the type's name),
  /// given the scenario's switches; empty for generic types that water uses, the scenario's
  /// [inflow] and measures add under names of their own.
  std::function<bool(const Switches&)> in_model;
  Stage stage = Stage::lake;  ///< its place in the evaluation order (with in_model)
  /// Its instances keep a state of their own from one day to the next (Process::lane_state):
  /// a run restarted from a state file needs it there.
  bool keeps_state = false;
};

/// Every registered process type, in registry order.
const std::vector<ProcessType>& process_types();
/// The type named `type`, or nullptr.
const ProcessType* find_process_type(const std::string& type);
/// "a, b or c": the registered type names (for messages).
std::string process_type_names();

}  // namespace daihai::physics
