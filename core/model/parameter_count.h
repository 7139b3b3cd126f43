#pragma once
// Parameters of a bound model by layer kind, as `inspect` and the model listings report them (buffers not
// counted; a tied lm_head counted once, as the embedding).
#include <cstdint>
#include <map>
#include <string>

#include "core/model/model_binding.h"
#include "core/model/model_spec.h"

namespace hl {

std::map<std::string, std::int64_t> parameters_by_kind(const ModelSpec& spec, const BoundModel& bound);
std::int64_t total_parameters(const std::map<std::string, std::int64_t>& by_kind);

}  // namespace hl
