#pragma once
/// @file climate_forcing.hpp
/// Connects a lake's climate files to its runs: fits the weather generator to the records in
/// `<inputs>/climate/` and installs the forcing builder of LakeInputs.
#include "scenario/spec.hpp"

namespace daihai::io {

/// Sets `in.forcing` from `<in.dir>/climate/`: with `generator`, fits the weather generator to
/// the records there (a member seeded per run, observed 2006–2015 months where asked, climate
/// deltas); always, daily forcing CSVs named by scenarios. Reads `site.csv` when the folder has
/// it (the generator, and forcing files that give temperatures, need it) and nothing else when
/// the forcing comes from files, so a lake without climate records runs from a forcing CSV.
/// Adds the checksums of the files read.
/// @throws core::InputError for unreadable or inconsistent climate files, or a missing site.csv
/// that the generator needs.
void attach_climate(scenario::LakeInputs& in, bool generator);

}  // namespace daihai::io
