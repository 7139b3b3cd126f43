#pragma once
// The supported model families: model_type → the mapping from its config.json to a ModelSpec.
#include <string_view>
#include <vector>

#include "core/model/config_reader.h"
#include "core/model/model_spec.h"

namespace hl {

struct Family {
  std::string_view model_type;
  void (*build)(const ConfigReader& config, ModelSpec& spec);  // fills everything but model_type
};

const std::vector<Family>& families();  // sorted by model_type

}  // namespace hl
