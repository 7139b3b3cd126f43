#include "core/model/weight_sharing.h"

#include <algorithm>
#include <cstring>

#include "core/checkpoint/strict_json.h"
#include "core/model/config_parser.h"

namespace hl {

namespace {

bool same_values(const TensorView& a, const TensorView& b) {
  return a.dtype == b.dtype && a.shape == b.shape && a.nbytes == b.nbytes &&
         (a.data == b.data || std::memcmp(a.data, b.data, a.nbytes) == 0);
}

std::string shared_prefix(const ModelSpec& spec, const SharedBlockSpec& block, int layer) {
  return spec.names.layer_prefix + std::to_string(layer) + "." + block.module + ".";
}

// The tensors stored under `prefix`, as names relative to it (the checkpoint's tensor list is sorted by name).
std::vector<const TensorView*> tensors_under(const Checkpoint& checkpoint, const std::string& prefix) {
  std::vector<const TensorView*> out;
  for (const auto* t : checkpoint.tensors())
    if (t->name.compare(0, prefix.size(), prefix) == 0) out.push_back(t);
  return out;
}

// Zamba2: hybrid layer k uses shared block k % num_mem_blocks. With tie_word_embeddings true, transformers ties each
// later use to the block's first copy, unless the checkpoint stores that layer's copy with different values; with
// false nothing is tied, and every hybrid layer reads its own copy.
void resolve_shared_blocks(ModelSpec& spec, const Checkpoint& checkpoint, std::vector<std::string>& warnings) {
  const bool tied = spec.tied_embeddings;
  const std::size_t blocks = spec.shared_blocks.size();
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::vector<int> users = spec.shared_blocks[b].layers;
    if (users.size() < 2) continue;
    const std::string first = shared_prefix(spec, spec.shared_blocks[b], users.front());
    std::vector<int> kept = {users.front()};
    for (std::size_t u = 1; u < users.size(); ++u) {
      const int layer = users[u];
      const std::string own = shared_prefix(spec, spec.shared_blocks[b], layer);
      const auto stored = tensors_under(checkpoint, own);
      bool differs = false;
      for (const auto* t : stored) {
        const auto* base = checkpoint.find(first + t->name.substr(own.size()));
        differs = differs || base == nullptr || !same_values(*t, *base);
      }
      if (stored.empty() || !differs) {
        kept.push_back(layer);
        if (stored.empty() && !tied)
          warnings.push_back("tie_word_embeddings is false, so transformers gives hybrid layer " +
                             std::to_string(layer) + " its own copy of shared block " + std::to_string(b) +
                             ", but the checkpoint stores none; layer " + std::to_string(users.front()) +
                             "'s copy is used (transformers would initialise it randomly)");
        continue;
      }
      if (tied)
        warnings.push_back("tie_word_embeddings is true but the checkpoint stores a different copy of shared block " +
                           std::to_string(b) + " for hybrid layer " + std::to_string(layer) +
                           "; it is used, as transformers does");
      SharedBlockSpec copy = spec.shared_blocks[b];
      copy.index = static_cast<int>(spec.shared_blocks.size());
      copy.layers = {layer};
      for (auto& l : spec.layers)
        if (l.index == layer) l.shared_block = copy.index;
      spec.shared_blocks.push_back(std::move(copy));
    }
    spec.shared_blocks[b].layers = kept;
  }
}

}  // namespace

std::vector<std::string> resolve_weight_sharing(ModelSpec& spec, const Checkpoint& checkpoint) {
  std::vector<std::string> warnings;
  resolve_shared_blocks(spec, checkpoint, warnings);
  if (spec.tied_embeddings) {
    const auto* head = checkpoint.find(spec.names.lm_head);
    const auto* embedding = checkpoint.find(spec.names.embedding);
    if (head && embedding && !same_values(*head, *embedding)) {
      spec.tied_embeddings = false;
      warnings.push_back("tie_word_embeddings is true but the checkpoint stores a different '" +
                         printable(spec.names.lm_head) + "'; it is used, as transformers does");
    }
  }
  return warnings;
}

ModelPlan open_model_plan(const std::filesystem::path& folder) {
  ModelSpec spec = load_model_spec(folder);
  Checkpoint checkpoint = Checkpoint::open(folder);
  auto warnings = resolve_weight_sharing(spec, checkpoint);
  return {std::move(spec), std::move(checkpoint), std::move(warnings)};
}

}  // namespace hl
