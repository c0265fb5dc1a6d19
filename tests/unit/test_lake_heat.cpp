// physics/lake_heat.hpp: the bulk temperature of a well-mixed lake against the closed form of a
// first-order system, its heat budget, its ice cover and the evaporation it leaves.
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>

#include "physics/lake_heat.hpp"

using namespace daihai::physics;

namespace {
constexpr double kPi = std::numbers::pi;
Lanes lanes(double v) { return Lanes::Constant(v); }
}  // namespace

TEST_CASE("lake heat: the water temperature lags a seasonal equilibrium temperature by arctan(ωτ)/ω", "[lake_heat]") {
  // T_e(d) = 12 + 10 sin(2π d / 365) °C (never freezing), K = 3 MJ m-2 d-1 K-1, z = 7 m:
  // τ = ρc z / K ≈ 9.75 d; a first-order system's steady response lags by atan(ωτ)/ω days and is
  // damped by 1/sqrt(1 + (ωτ)²).
  const double k = 3.0, z = 7.0, tau = kWaterHeatCapacity_MJ_m3_K * z / k, w = 2 * kPi / 365.0;
  LakeHeat heat(lanes(0.6));
  double peak_te = -1e9, peak_tw = -1e9;
  int day_te = 0, day_tw = 0;
  double g_sum = 0.0, tw_start = 0.0;
  for (int d = 0; d < 20 * 365; ++d) {
    const double te = 12.0 + 10.0 * std::sin(w * (d + 0.5));
    const double before = heat.temperature_C()(0);
    const auto h = heat.step(lanes(te), lanes(k), lanes(z));
    if (d == 10 * 365 - 1) tw_start = heat.temperature_C()(0);
    if (d >= 10 * 365) {  // after the start-up
      g_sum += h.storage_MJ_m2(0);
      CHECK(h.storage_MJ_m2(0) == Approx(kWaterHeatCapacity_MJ_m3_K * z * (heat.temperature_C()(0) - before)).epsilon(1e-12));
      CHECK(h.ice(0) == 0.0);
      const int doy = d % 365;
      if (d >= 19 * 365) {
        if (te > peak_te) { peak_te = te; day_te = doy; }
        if (heat.temperature_C()(0) > peak_tw) { peak_tw = heat.temperature_C()(0); day_tw = doy; }
      }
    }
  }
  const double expected_lag = std::atan(w * tau) / w;
  INFO("tau " << tau << " d, lag " << day_tw - day_te << " d, expected " << expected_lag);
  CHECK(std::abs((day_tw - day_te) - expected_lag) <= 1.5);
  CHECK(peak_tw - 12.0 == Approx(10.0 / std::sqrt(1.0 + w * tau * w * tau)).epsilon(0.02));
  // Energy: what the water stored over ten years is its heat content's change (telescoping, exact).
  CHECK(g_sum == Approx(kWaterHeatCapacity_MJ_m3_K * z * (heat.temperature_C()(0) - tw_start)).margin(1e-9));
  CHECK(std::abs(g_sum) < 1.0);  // and about nothing over whole cycles
}

TEST_CASE("lake heat: stored heat delays evaporation behind the radiation that drives it", "[lake_heat]") {
  // Penman evaporation (no storage) peaking with T_e at mid-year; the lake's evaporation, less
  // Δ G/(λ(Δ+γ)), peaks later and its annual total is unchanged (G sums to nothing over a cycle).
  const double k = 3.0, z = 7.0, w = 2 * kPi / 365.0, s_g = 0.3e-3;  // m per MJ m-2
  LakeHeat heat(lanes(0.6));
  double lake_total = 0, penman_total = 0, peak_p = -1, peak_l = -1;
  int day_p = 0, day_l = 0;
  for (int d = 0; d < 6 * 365; ++d) {
    const double phase = std::sin(w * (d + 0.5));
    const double te = 12.0 + 10.0 * phase;
    const double penman = (3.0 + 2.5 * phase) * 1e-3 / 86400.0;  // m/s
    const auto h = heat.step(lanes(te), lanes(k), lanes(z));
    const auto e = surface_evaporation(h, lanes(penman), lanes(0.3 * penman), lanes(s_g), lanes(0.0));
    if (d >= 5 * 365) {
      lake_total += e.fresh_m_per_s(0);
      penman_total += penman;
      if (penman > peak_p) { peak_p = penman; day_p = d; }
      if (e.fresh_m_per_s(0) > peak_l) { peak_l = e.fresh_m_per_s(0); day_l = d; }
      CHECK(e.sat_m_per_s(0) <= e.fresh_m_per_s(0));
    }
  }
  INFO("Penman peaks on day " << day_p % 365 << ", the lake on day " << day_l % 365);
  CHECK(day_l - day_p > 5);
  CHECK(lake_total == Approx(penman_total).epsilon(0.01));
}

TEST_CASE("lake heat: ice forms at 0 °C, holds at most its thickness and melts with later warmth", "[lake_heat]") {
  // Four cold months (T_e = −10 °C), then warm (T_e = +10 °C), K = 3: the water cools to 0 °C,
  // freezes, the cover stops at the maximum thickness, and melts after I_max/(K·10) days of warmth.
  const double k = 3.0, z = 5.0, h_max = 0.5;
  LakeHeat heat(lanes(h_max));
  heat.step(lanes(4.0), lanes(k), lanes(z));  // starts at 4 °C
  int first_ice = -1;
  for (int d = 1; d <= 120; ++d) {
    const bool iced_before = heat.ice_MJ_m2()(0) > 0.0;
    const auto h = heat.step(lanes(-10.0), lanes(k), lanes(z));
    if (h.ice(0) > 0.5 && first_ice < 0) first_ice = d;
    CHECK(heat.temperature_C()(0) >= 0.0);
    CHECK(heat.ice_MJ_m2()(0) <= h_max * kIceLatentHeat_MJ_m3 * (1 + 1e-12));
    if (iced_before) CHECK(h.storage_MJ_m2(0) == 0.0);  // under ice the heat goes into the cover
    if (h.ice(0) > 0.5) {
      const auto e = surface_evaporation(h, lanes(5e-8), lanes(2e-8), lanes(3e-4), lanes(1e-9));
      CHECK(e.fresh_m_per_s(0) == 1e-9);  // sublimation only
      CHECK(e.sat_m_per_s(0) == 0.0);
    }
  }
  // Open water at 4 °C cools to 0 with τ = ρc z / K ≈ 7 d: from 4 °C towards −10 °C it passes 0 °C
  // after τ ln(14/10) ≈ 2.3 days.
  CHECK(first_ice >= 2);
  CHECK(first_ice <= 4);
  CHECK(heat.ice_MJ_m2()(0) == Approx(h_max * kIceLatentHeat_MJ_m3));
  const double melt_days = h_max * kIceLatentHeat_MJ_m3 / (k * 10.0);  // ≈ 5.1 d
  int open = -1;
  for (int d = 1; d <= 30 && open < 0; ++d)
    if (heat.step(lanes(10.0), lanes(k), lanes(z)).ice(0) < 0.5) open = d;
  CHECK(open == static_cast<int>(std::ceil(melt_days)));
}
