#pragma once
/// @file random.hpp
/// The engine's own pseudo-random stream: bit-reproducible across compilers and standard
/// libraries (std:: distributions are not), seeded per (seed, member) so a stream never depends on
/// which other streams exist.
#include <array>
#include <cstdint>

namespace daihai::core {

/// xoshiro256** 1.0 (Blackman & Vigna 2021, ACM TOMS 47(4):36), seeded with splitmix64 (Steele,
/// Lea & Flood 2014, OOPSLA).
class Rng {
public:
  /// The stream for (seed, member): the 256-bit state is four splitmix64 outputs started from
  /// seed ^ (0x9E3779B97F4A7C15 * (member + 1)).
  Rng(std::uint64_t seed, std::uint64_t member);
  /// The next 64 random bits (xoshiro256** step).
  std::uint64_t next();
  /// Uniform on [0, 1) with 53 random bits.
  double uniform();
  /// Standard normal (Marsaglia & Bray 1964, SIAM Review 6:260, polar method; the second value is kept for the
  /// next call).
  double normal();
  /// Gamma(shape k > 0, scale 1) (Marsaglia & Tsang 2000, ACM TOMS 26:363; k < 1 by
  /// G(k+1)·U^(1/k)).
  double gamma(double k);

private:
  std::array<std::uint64_t, 4> s_{};
  bool have_spare_ = false;
  double spare_ = 0;
};

}  // namespace daihai::core
