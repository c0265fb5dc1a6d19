#pragma once
/// @file climate_forcing.hpp
/// Connects a lake's climate files to its runs: fits the weather generator to the records in
/// `<inputs>/climate/` and installs the forcing builder of LakeInputs.
#include "scenario/spec.hpp"

namespace daihai::io {

/// Reads `<in.dir>/climate/`, fits the weather generator and sets `in.forcing`: a generator
/// member (seeded per run, observed 2006–2015 months where asked, climate deltas), or a
/// daily forcing CSV named by the scenario. Adds the climate files' checksums.
/// @throws core::InputError for unreadable or inconsistent climate files.
void attach_climate(scenario::LakeInputs& in);

}  // namespace daihai::io
