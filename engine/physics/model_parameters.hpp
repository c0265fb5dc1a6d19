#pragma once
/// @file model_parameters.hpp
/// The engine's declaration of every lake-model parameter: name, input unit, conversion to
/// SI, valid range, meaning. A lake's inputs folder gives each a value and its source.
#include "core/parameters.hpp"

namespace daihai::physics {

/// The registry of the lake model's parameters (lake, salt, catchment, aquifer, water uses).
/// The climate's site constants (latitude, elevation, albedo, Angström coefficients, ice rule)
/// are read with the climate records (`<inputs>/climate/site.csv`, io/climate_inputs.hpp).
const core::ParameterRegistry& model_parameters();

}  // namespace daihai::physics
