#include "core/analysis/colour/delta_colour.h"

#include <algorithm>
#include <cmath>

namespace hl::analysis {

std::optional<Rgb> delta_colour(double delta, double limit) {
  if (!std::isfinite(delta)) return std::nullopt;
  const double t = limit > 0 ? std::clamp(std::fabs(delta) / limit, 0.0, 1.0) : (delta == 0 ? 0.0 : 1.0);
  const Rgb& c = delta > 0 ? kHybridBetterColour : kReferenceBetterColour;
  auto channel = [t](int target) { return static_cast<int>(std::lround(255 + t * (target - 255))); };
  return Rgb{channel(c.r), channel(c.g), channel(c.b)};
}

}  // namespace hl::analysis
