#include "core/model/model_binding.h"

#include <algorithm>
#include <set>
#include <unordered_set>

#include "core/checkpoint/checkpoint_error.h"
#include "core/checkpoint/strict_json.h"
#include "core/model/tensor_plan.h"

namespace hl {

const TensorView* BoundParams::find(std::string_view role) const {
  const auto it = params_.find(role);
  return it == params_.end() ? nullptr : &it->second;
}

const TensorView& BoundParams::get(std::string_view role) const {
  if (const auto* v = find(role)) return *v;
  throw CheckpointError("no bound parameter with role '" + std::string(role) + "'");
}

std::int64_t BoundParams::parameter_count() const {
  std::int64_t n = 0;
  for (const auto& [role, v] : params_)
    if (!buffers_.count(role)) n += v.numel();
  return n;
}

namespace {

class Binder {
 public:
  Binder(const Checkpoint& ck, DType dtype) : ck_(ck), dtype_(dtype) {}

  void bind(const std::vector<TensorRequirement>& reqs, BoundParams& out, const std::string& where) {
    std::map<std::string, std::pair<std::int64_t, std::string>> groups;  // group → (channels found, names)
    for (const auto& r : reqs) {
      const TensorView* found = nullptr;
      for (const auto& name : r.names)
        if (const auto* t = ck_.find(name)) {
          if (!found) found = t;
          used_.insert(t->name);  // tied copies stored under several names all count as used
        }
      if (!found && r.optional_buffer) continue;
      if (!found)
        throw CheckpointError("checkpoint is missing tensor '" + r.names.front() + "' (" + where + " " + r.role +
                              ", expected shape " + format_shape(r.shape) + ")");
      check_dtype(r, *found);
      if (!r.concat_group.empty()) {
        check_group_member(r, *found);
        groups[r.concat_group].first += found->shape[0];
        groups[r.concat_group].second += (groups[r.concat_group].second.empty() ? "" : " + ") + found->name;
        out.add(r.role, *found);
        continue;
      }
      if (found->shape != r.shape)
        throw CheckpointError("tensor '" + found->name + "': expected shape " + format_shape(r.shape) + ", found " +
                              format_shape(found->shape) + " (" + where + " " + r.role + ")");
      out.add(r.role, *found, r.optional_buffer);
    }
    for (const auto& r : reqs)
      if (!r.concat_group.empty() && groups[r.concat_group].first != r.concat_channels)
        throw CheckpointError("tensors " + groups[r.concat_group].second + ": " +
                              std::to_string(groups[r.concat_group].first) + " channels in total, expected " +
                              std::to_string(r.concat_channels) + " (" + where + " " + r.concat_group + ")");
  }

  void mark_used(const std::string& name) { used_.insert(name); }

  std::vector<std::string> unused(const std::vector<std::string>& ignored_prefixes) const {
    std::vector<std::string> out;
    for (const auto* t : ck_.tensors()) {
      const bool ignored = std::any_of(ignored_prefixes.begin(), ignored_prefixes.end(),
                                       [&](const std::string& p) { return t->name.compare(0, p.size(), p) == 0; });
      if (!ignored && !used_.count(t->name)) out.push_back(t->name);
    }
    return out;
  }

 private:
  void check_dtype(const TensorRequirement& r, const TensorView& t) const {
    if (t.dtype == dtype_ || (r.allow_f32 && t.dtype == DType::F32)) return;
    throw CheckpointError("tensor '" + t.name + "': dtype " + std::string(dtype_name(t.dtype)) + ", expected " +
                          std::string(dtype_name(dtype_)) + " like the embedding" +
                          (r.allow_f32 ? " (or F32)" : ""));
  }

  void check_group_member(const TensorRequirement& r, const TensorView& t) const {
    if (t.shape.size() != 3 || t.shape[1] != 1 || t.shape[2] != r.shape[2] || t.shape[0] <= 0)
      throw CheckpointError("tensor '" + t.name + "': expected shape [channels,1," + std::to_string(r.shape[2]) +
                            "], found " + format_shape(t.shape));
  }

  const Checkpoint& ck_;
  DType dtype_;
  std::unordered_set<std::string> used_;
};

}  // namespace

BoundModel BoundModel::bind(const ModelSpec& spec, const Checkpoint& checkpoint) {
  BoundModel bound;
  const auto* embedding = checkpoint.find(spec.names.embedding);
  if (!embedding)
    throw CheckpointError("checkpoint is missing tensor '" + spec.names.embedding + "' (embedding, expected shape " +
                          format_shape({spec.vocab_size, spec.hidden_size}) + ")");
  bound.dtype = embedding->dtype;
  Binder binder(checkpoint, bound.dtype);
  binder.bind(model_requirements(spec), bound.globals, "model");
  if (spec.tied_embeddings) {
    bound.globals.add("lm_head", *embedding);
    binder.mark_used(spec.names.lm_head);  // a stored copy equal to the embedding (resolve_weight_sharing)
  }
  for (const auto& block : spec.shared_blocks) {
    bound.shared_blocks.emplace_back();
    if (block.layers.empty()) continue;  // a block no layer uses has no weights
    binder.bind(shared_block_requirements(spec, block), bound.shared_blocks.back(),
                "shared block " + std::to_string(block.index));
    // A copy of a block carries the LoRA adapters of every hybrid layer that uses the block; in a copy of its own
    // (untied checkpoints) the other layers' entries are inert, in transformers too.
    for (int layer : block.layers) {
      const std::string prefix = spec.names.layer_prefix + std::to_string(layer) + "." + block.module + ".";
      for (const auto* t : checkpoint.tensors())
        if (t->name.compare(0, prefix.size(), prefix) == 0 && t->name.find("_adapter_list.") != std::string::npos)
          binder.mark_used(t->name);
    }
  }
  for (const auto& layer : spec.layers) {
    bound.layers.emplace_back();
    binder.bind(layer_requirements(spec, layer), bound.layers.back(), "layer " + std::to_string(layer.index));
  }
  bound.unused_tensors = binder.unused(spec.names.ignored_prefixes);
  if (!bound.unused_tensors.empty())
    bound.warnings.push_back(std::to_string(bound.unused_tensors.size()) +
                             " checkpoint tensor(s) not used by the model plan, e.g. '" +
                             printable(bound.unused_tensors.front()) + "'");
  return bound;
}

}  // namespace hl
