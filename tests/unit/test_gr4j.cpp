// GR4J against days computed by hand from the published equations (Perrin et al. 2003,
// Appendix A), with X1 = 300 mm, X2 = −0.5 mm/d, X3 = 80 mm, X4 = 1.5 d, S0 = 0.3·X1, R0 = 0.3·X3.
// The expected values were computed step by step with a calculator-style script that follows
// the appendix equation by equation (production store, percolation, 90/10 split, UH1/UH2 from
// the S-curves, exchange F = X2 (R/X3)^3.5, routing store, direct flow).
#include <catch2/catch.hpp>

#include "physics/gr4j.hpp"

using daihai::physics::Gr4j;

TEST_CASE("GR4J unit hydrographs follow the S-curves for X4 = 1.5 d", "[gr4j]") {
  const Gr4j g({300.0, -0.5, 80.0, 1.5}, 0.3, 0.3);
  // UH1(1) = (1/1.5)^2.5, UH1(2) = 1 − UH1(1); UH2(1) = 0.5 (1/1.5)^2.5,
  // UH2(2) = 1 − 0.5 (2 − 2/1.5)^2.5 − UH2(1), UH2(3) = 0.5 (2 − 2/1.5)^2.5.
  REQUIRE(g.uh1().size() == 2);
  REQUIRE(g.uh2().size() == 3);
  CHECK(g.uh1()[0] == Approx(0.3628873693012115).epsilon(1e-12));
  CHECK(g.uh1()[1] == Approx(0.6371126306987884).epsilon(1e-12));
  CHECK(g.uh2()[0] == Approx(0.18144368465060576).epsilon(1e-12));
  CHECK(g.uh2()[1] == Approx(0.6371126306987884).epsilon(1e-12));
  CHECK(g.uh2()[2] == Approx(0.18144368465060579).epsilon(1e-12));
}

TEST_CASE("GR4J reproduces hand-computed days", "[gr4j]") {
  Gr4j g({300.0, -0.5, 80.0, 1.5}, 0.3, 0.3);
  const double p[] = {0, 12.0, 30.0, 0, 5.0, 0, 0};
  const double e[] = {2.0, 1.0, 0.5, 3.0, 4.0, 3.5, 3.0};
  const double q[] = {0.0483032927886, 0.0643285203012, 0.212307485607, 0.388619526281,
                      0.180851377126,  0.113909339656,  0.111259971433};
  const double s[] = {88.9780351555, 98.8866738509, 124.241052357, 122.249396027, 123.048213174, 120.750664931, 118.804676241};
  const double r[] = {23.946496446, 24.2480135903, 26.1449917246, 28.4087908691, 28.3667940555, 28.3657751798, 28.2682960747};
  for (int d = 0; d < 7; ++d) {
    const auto day = g.step(p[d], e[d]);
    CHECK(day.runoff_mm == Approx(q[d]).epsilon(1e-9));
    CHECK(g.production_mm() == Approx(s[d]).epsilon(1e-9));
    CHECK(g.routing_mm() == Approx(r[d]).epsilon(1e-9));
  }
}

TEST_CASE("GR4J stores close their water balance", "[gr4j]") {
  Gr4j g({350.0, -1.2, 90.0, 2.3}, 0.5, 0.6);
  const double s0 = g.storage_mm();
  double in = 0.0, out = 0.0;
  for (int d = 0; d < 3650; ++d) {
    const double p = (d % 7 == 0) ? 25.0 : (d % 3 == 0 ? 2.0 : 0.0);
    const double e = 1.0 + 3.0 * (d % 365) / 365.0;
    const auto day = g.step(p, e);
    in += p + day.exchange_mm;
    out += day.actual_et_mm + day.runoff_mm;
    CHECK(day.actual_et_mm <= e + 1e-12);
  }
  CHECK(g.storage_mm() - s0 == Approx(in - out).margin(1e-9));
}

TEST_CASE("GR4J rejects invalid parameters", "[gr4j]") {
  CHECK_THROWS_AS(Gr4j({0.0, 0.0, 90.0, 2.0}, 0.5, 0.5), std::invalid_argument);
  CHECK_THROWS_AS(Gr4j({300.0, 0.0, 90.0, 0.2}, 0.5, 0.5), std::invalid_argument);
  CHECK_THROWS_AS(Gr4j({300.0, 0.0, 90.0, 2.0}, 1.5, 0.5), std::invalid_argument);
}

TEST_CASE("a catchment of a GR4J block steps as it would alone, bit for bit", "[gr4j]") {
  using daihai::physics::Catchments;
  using daihai::physics::Gr4jBlock;
  using daihai::physics::Gr4jParameters;
  const std::vector<Gr4jParameters> p = {{300.0, -0.5, 80.0, 1.5}, {350.0, -1.2, 90.0, 2.3}, {120.0, 0.4, 40.0, 4.7}};
  const std::vector<double> s0 = {0.3, 0.5, 0.9}, r0 = {0.3, 0.6, 0.1};
  Gr4jBlock block(p, Eigen::Map<const Catchments>(s0.data(), 3), Eigen::Map<const Catchments>(r0.data(), 3));
  std::vector<Gr4j> alone;
  for (std::size_t c = 0; c < 3; ++c) alone.emplace_back(p[c], s0[c], r0[c]);
  for (int d = 0; d < 400; ++d) {
    Catchments pm(3), em(3);
    for (int c = 0; c < 3; ++c) {
      pm(c) = ((d + 3 * c) % 9 == 0) ? 20.0 + c : (d % 4 == 0 ? 1.5 : 0.0);  // each catchment its own weather
      em(c) = 0.5 + 4.0 * ((d + 50 * c) % 365) / 365.0;
    }
    const auto b = block.step(pm, em);
    for (int c = 0; c < 3; ++c) {
      const auto a = alone[static_cast<std::size_t>(c)].step(pm(c), em(c));
      REQUIRE(b.runoff_mm(c) == a.runoff_mm);
      REQUIRE(b.exchange_mm(c) == a.exchange_mm);
      REQUIRE(block.production_mm()(c) == alone[static_cast<std::size_t>(c)].production_mm());
    }
  }
}
