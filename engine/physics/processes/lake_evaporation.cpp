/// @file lake_evaporation.cpp
/// Evaporation from the lake with its heat storage, its ice cover and the salinity correction:
///   q = −k · max(0, E_fresh − (1 − a_w(c))·E_sat) · A(h) · φ(V),
/// k a calibration multiplier, a_w(c) = 1/(1 + 0.57357·S/(1000 − S)) with S = c in g/kg ≈ g/L
/// clamped to 0..120 (Sharqawy et al. 2010, eq. 51, after Robinson 1954). No salt leaves with
/// evaporation.
///
/// With weather-derived forcing the lake keeps its own heat budget (physics::LakeHeat, de Bruin
/// 1982): once a day, from the mean depth at the start of the day, the water's bulk temperature
/// relaxes towards the day's equilibrium temperature and the heat G it stores is taken from
/// Penman's radiative term, E_fresh = max(0, E_Penman − Δ G/(λ(Δ+γ))) (Finch 2001, Hydrol. Process.
/// 15:2771; McMahon et al. 2013, HESS 17:1331, S11.31), so evaporation lags the radiation by the
/// lake's thermal inertia; ice forms when the water reaches 0 °C and melts with the heat of later
/// days, and under ice the lake loses water by sublimation, f(u)·(e_ice(min(T, 0)) − e_a), without
/// the salinity correction. The day's E_fresh, E_sat and ice are published for the outputs. With
/// forcing that gives evaporation directly, that evaporation and its ice rule are used as given.
#include "physics/lake_heat.hpp"
#include "physics/process.hpp"

namespace daihai::physics::processes {

namespace {

class LakeEvaporation final : public Process {
public:
  explicit LakeEvaporation(ProcessSetup s)
      : Process(std::move(s)), k_(parameter("evaporation_multiplier")), heat_(parameter("ice_max_thickness_m")) {}

  void begin_day(const Derived& start, DayInputs& day) override {
    const LakeHeatDay h = heat_.step(day.equilibrium_C, day.exchange_MJ_m2_d_K, start.depth_mean_m);
    const SurfaceEvaporation e =
        surface_evaporation(h, day.evap_fresh_m_per_s, day.evap_sat_m_per_s, day.storage_to_evap_m_per_MJ, day.sublimation_m_per_s);
    const auto budget = day.heat_budget > 0.5;
    day.evap_fresh_m_per_s = budget.select(e.fresh_m_per_s, day.evap_fresh_m_per_s);
    day.evap_sat_m_per_s = budget.select(e.sat_m_per_s, day.evap_sat_m_per_s);
    day.ice = budget.select(h.ice, day.ice);
    // k calibrates the evaporation the engine estimates (Penman with the lake's heat budget);
    // evaporation a forcing file gives (evap_mm, no heat budget) is the lake's own and is taken
    // as given (another lake's calibration must not scale a measured series).
    k_day_ = budget.select(k_, 1.0);
  }

  std::vector<double> lane_state(Index l) const override { return heat_.state(l); }
  void set_lane_state(Index l, const std::vector<double>& s) override { heat_.set_state(l, s); }

  void rates(const RateContext& c, BlockState& dxdt) const override {
    // physics::water_activity() over lanes (the same operations, so the same values).
    const Lanes s = c.d.tds_kg_per_m3.max(0.0).min(120.0);
    const Lanes aw = 1.0 / (1.0 + 0.57357 * s / (1000.0 - s));
    const Lanes e = (c.day.evap_fresh_m_per_s - (1.0 - aw) * c.day.evap_sat_m_per_s).max(0.0);
    dxdt.col(slot(0).water) = -k_day_ * e * c.d.area_m2 * c.d.phi_lake;
  }

private:
  Lanes k_;
  Lanes k_day_ = Lanes::Ones();  // k on days of estimated evaporation, 1 on days of given evaporation
  LakeHeat heat_;
};

}  // namespace

ProcessType lake_evaporation() {
  return {"lake_evaporation",
          "evaporation from the lake, -k·E(c)·A(h)·φ(V): Penman with the lake's heat storage and ice (de Bruin 1982), sublimation under "
          "ice, the salinity correction of the vapour pressure",
          {{"evaporation_multiplier", "1", 0.1, 3.0,
            "calibration multiplier k on the lake's evaporation estimated from the weather (Penman); evaporation given by a forcing file "
            "(evap_mm) is taken as given"},
           {"ice_max_thickness_m", "m", 0.01, 5.0,
            "thickest ice the lake's heat budget grows (thicker ice insulates the water); with weather-derived forcing"}},
          {Need::open_water_evaporation, Need::lake_area, Need::lake_tds, Need::lake_limiter},
          [](const ProcessInstance& i) {
            return std::vector<FluxDecl>{
                {i.name,
                 i.long_name.empty() ? "evaporation from the lake (Penman with heat storage, salinity-corrected; sublimation under ice)"
                                     : i.long_name,
                 Store::lake}};
          },
          [](const ProcessInstance&, ProcessSetup s) { return std::make_unique<LakeEvaporation>(std::move(s)); },
          [](const Switches& s) { return s.process("lake_evaporation", s.evaporation); },
          Stage::lake,
          true};
}

}  // namespace daihai::physics::processes
