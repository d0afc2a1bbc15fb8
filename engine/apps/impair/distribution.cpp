#include "engine/apps/impair/distribution.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace synnet {

namespace {

double standard_normal(Rng& rng) noexcept {
  double u1 = rng.uniform();
  while (u1 <= 0.0) u1 = rng.uniform();  // log(0) is not a number
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * rng.uniform());
}

// Pareto(shape, scale) by inversion: scale / U^(1/shape), U in (0, 1].
double pareto(Rng& rng, double shape, double scale) noexcept {
  return scale / std::pow(1.0 - rng.uniform(), 1.0 / shape);
}

}  // namespace

Distribution parse_distribution(std::string_view name) {
  if (name == "uniform") return Distribution::kUniform;
  if (name == "normal") return Distribution::kNormal;
  if (name == "pareto") return Distribution::kPareto;
  if (name == "paretonormal") return Distribution::kParetoNormal;
  throw std::invalid_argument("\"" + std::string(name) +
                              "\" is not a distribution (uniform, normal, pareto, paretonormal)");
}

double sample(Distribution d, Rng& rng, double mean, double stddev) noexcept {
  if (stddev <= 0.0) return mean;
  switch (d) {
    case Distribution::kUniform: return mean + std::sqrt(3.0) * stddev * (2.0 * rng.uniform() - 1.0);
    case Distribution::kNormal: return mean + stddev * standard_normal(rng);
    case Distribution::kPareto: {
      if (mean <= 0.0) return mean + stddev * standard_normal(rng);  // Pareto needs a positive mean
      const double shape = 1.0 + std::sqrt(1.0 + (mean * mean) / (stddev * stddev));
      return pareto(rng, shape, mean * (shape - 1.0) / shape);
    }
    case Distribution::kParetoNormal: {
      // Shape 3, scale 2/3: mean 1, variance 1/3; standardized by √(1/3).
      const double p = (pareto(rng, 3.0, 2.0 / 3.0) - 1.0) / std::sqrt(1.0 / 3.0);
      return mean + stddev * (0.25 * standard_normal(rng) + 0.75 * p) / std::sqrt(0.625);
    }
  }
  return mean;
}

}  // namespace synnet
