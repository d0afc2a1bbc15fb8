// distribution.hpp — random delays with a given mean and standard deviation.
//
//   Distribution d = parse_distribution("normal");   // throws std::invalid_argument
//   double x = sample(d, rng, mean, stddev);         // same units as mean and stddev
//
//   uniform       flat on [mean - √3·stddev, mean + √3·stddev]
//   normal        Gaussian (Box–Muller)
//   pareto        Pareto (heavy right tail) with exactly this mean and stddev:
//                 shape α = 1 + √(1 + mean²/stddev²), scale = mean·(α−1)/α
//   paretonormal  mean + stddev·(0.25·N + 0.75·P)/√0.625, with N standard normal
//                 and P a standardized Pareto of shape 3 (netem's mix of the two)
// Every distribution has exactly the given mean and stddev. Callers decide
// what to do with draws below zero (a delay cannot be negative).
#pragma once

#include <string>
#include <string_view>

#include "engine/rng.hpp"

namespace synnet {

enum class Distribution { kUniform, kNormal, kPareto, kParetoNormal };

Distribution parse_distribution(std::string_view name);  // throws std::invalid_argument listing the choices
double sample(Distribution d, Rng& rng, double mean, double stddev) noexcept;

}  // namespace synnet
