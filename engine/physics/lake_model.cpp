#include "physics/lake_model.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "core/errors.hpp"
#include "physics/evaporation.hpp"

namespace daihai::physics {

double smooth_limiter(double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  return x * x * (3.0 - 2.0 * x);
}

LakeSystem::LakeSystem(Hypsometry hyps, LakeParameters p, std::vector<WaterTerm> water_terms,
                       std::vector<std::string> salt_term_names)
    : hyps_(std::move(hyps)), p_(p), water_(std::move(water_terms)), salt_names_(std::move(salt_term_names)) {
  for (const auto& t : water_) {
    if (t.salt_index >= static_cast<int>(salt_names_.size()))
      throw std::invalid_argument(fmt::format("LakeSystem: term '{}' has an invalid salt index", t.name));
    const bool needs_slot = t.kind == TermKind::catchment_runoff || t.kind == TermKind::river_withdrawal ||
                            t.kind == TermKind::diversion || t.kind == TermKind::lake_withdrawal ||
                            t.kind == TermKind::aquifer_recharge || t.kind == TermKind::aquifer_pumping ||
                            t.kind == TermKind::inflow;
    if (needs_slot && t.slot < 0) throw std::invalid_argument(fmt::format("LakeSystem: term '{}' needs a rate slot", t.name));
  }
  packed_.reserve(water_.size());
  auto is_constant = [](TermKind k) {
    return k == TermKind::catchment_runoff || k == TermKind::diversion || k == TermKind::inflow || k == TermKind::river_withdrawal;
  };
  for (int pass = 0; pass < 2; ++pass)
    for (std::size_t k = 0; k < water_.size(); ++k) {
      const auto& t = water_[k];
      if (is_constant(t.kind) != (pass == 0)) continue;
      packed_.push_back({t.kind, t.store == Store::lake, t.carries_lake_salt, static_cast<int>(k), t.slot, t.salt_index,
                         t.kind == TermKind::river_withdrawal ? -1.0 : 1.0, t.tds_kg_per_m3});
      if (pass == 0) ++n_constant_;
    }
  if (!(p_.salt_saturation_kg_per_m3 > 0.0) || !(p_.drying_volume_m3 > 0.0) || !(p_.aquifer_area_m2 > 0.0) ||
      !(p_.specific_yield > 0.0) || !(p_.aquifer_dry_storage_m3 > 0.0))
    throw std::invalid_argument("LakeSystem: saturation, drying volume, aquifer area, specific yield and dry storage must be > 0");
}

Derived LakeSystem::derive(const double* x) const {
  const double v = x[kVolume];
  if (!std::isfinite(v)) throw core::RunError("lake volume is not finite");
  if (v > hyps_.max_volume_m3() * (1.0 + 1e-12))
    throw core::RunError(fmt::format("lake volume {:.6g} m3 exceeds the hypsometry table (top {:.3f} m, {:.6g} m3)", v,
                                     hyps_.top_m(), hyps_.max_volume_m3()));
  const double ve = std::clamp(v, 0.0, hyps_.max_volume_m3());
  Derived d{};
  const Hypsometry::StageArea sa = hyps_.stage_area_at_volume(ve, segment_hint_);
  d.stage_m = sa.stage_m;
  d.area_m2 = sa.area_m2;
  const double salt = std::max(x[kSalt], 0.0);
  d.dissolved_kg = std::min(salt, p_.salt_saturation_kg_per_m3 * ve);
  d.deposit_kg = salt - d.dissolved_kg;
  d.tds_kg_per_m3 = ve > 0.0 ? d.dissolved_kg / ve : (salt > 0.0 ? p_.salt_saturation_kg_per_m3 : 0.0);
  d.head_m = p_.aquifer_base_m + std::max(x[kAquifer], 0.0) / (p_.specific_yield * p_.aquifer_area_m2);
  d.phi_lake = smooth_limiter(v / p_.drying_volume_m3);
  d.phi_aquifer = smooth_limiter(x[kAquifer] / p_.aquifer_dry_storage_m3);
  return d;
}

void LakeSystem::rhs(const double* x, double* dxdt, const DayDrivers& day) const {
  const Derived d = derive(x);
  const std::size_t nw = water_.size();
  double* water_rate = dxdt + kStores;
  double* salt_rate = dxdt + kStores + nw;
  for (std::size_t k = 0; k < salt_names_.size(); ++k) salt_rate[k] = 0.0;
  double dv = 0.0, dg = 0.0, dm = 0.0;
  const double c = d.tds_kg_per_m3;
  // The day's constant lake inflows and withdrawals (with their own TDS).
  for (std::size_t j = 0; j < n_constant_; ++j) {
    const PackedTerm& t = packed_[j];
    const double q = t.sign * day.rates[t.slot];
    water_rate[t.index] = q;
    dv += q;
    if (t.salt_index >= 0) {
      const double salt = q * t.tds_kg_per_m3;
      salt_rate[t.salt_index] += salt;
      dm += salt;
    }
  }
  // The terms that depend on the state.
  for (std::size_t j = n_constant_; j < nw; ++j) {
    const PackedTerm& t = packed_[j];
    double q = 0.0;     // m3/s into the store the term acts on
    double salt = 0.0;  // kg/s into the dissolved salt
    switch (t.kind) {
      case TermKind::lake_precipitation:
        q = day.precip_m_per_s * d.area_m2;
        break;
      case TermKind::lake_evaporation: {
        // E(c) = E_fresh − (1 − a_w(c))·E_sat, never negative (see forcing/daily_forcing.hpp).
        const double aw = water_activity(c);
        const double e = std::max(0.0, day.evap_fresh_m_per_s - (1.0 - aw) * day.evap_sat_m_per_s);
        q = day.ice ? 0.0 : -p_.evaporation_multiplier * e * d.area_m2 * d.phi_lake;
        break;
      }
      case TermKind::catchment_runoff:
      case TermKind::diversion:
      case TermKind::inflow:
      case TermKind::river_withdrawal:
        break;  // constant within the day: summed above
      case TermKind::lake_withdrawal:
        q = -day.rates[t.slot] * d.phi_lake;
        salt = t.carries_lake_salt ? q * c : 0.0;
        break;
      case TermKind::lake_aquifer_exchange:
      case TermKind::aquifer_lake_exchange: {
        // Lake-bed conductance C = leakance·A(h) (as MODFLOW's LAK package), flow C·(h_aq − h)
        // into the lake; each direction fades as its source store empties.
        const double dh = d.head_m - d.stage_m;
        const double into_lake = p_.leakance_per_s * d.area_m2 * dh * (dh > 0.0 ? d.phi_aquifer : d.phi_lake);
        if (t.kind == TermKind::lake_aquifer_exchange) {
          q = into_lake;
          salt = into_lake > 0.0 ? into_lake * p_.groundwater_tds_kg_per_m3 : into_lake * c;
        } else {
          q = -into_lake;
        }
        break;
      }
      case TermKind::aquifer_recharge: {
        const double r = day.rates[t.slot];
        q = r >= 0.0 ? r : r * d.phi_aquifer;
        break;
      }
      case TermKind::aquifer_pumping:
        q = -day.rates[t.slot] * d.phi_aquifer;
        break;
    }
    water_rate[t.index] = q;
    if (t.on_lake) {
      dv += q;
    } else {
      dg += q;
    }
    if (t.salt_index >= 0) {
      salt_rate[t.salt_index] += salt;
      dm += salt;
    }
  }
  dxdt[kVolume] = dv;
  dxdt[kSalt] = dm;
  dxdt[kAquifer] = dg;
}

}  // namespace daihai::physics
