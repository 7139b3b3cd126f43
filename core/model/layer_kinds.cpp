#include "core/model/layer_kinds.h"

#include <stdexcept>

namespace hl {
namespace {

template <class Row, class Kind, std::size_t N>
const Row& find_row(const Row (&rows)[N], Kind kind) {
  for (const Row& r : rows)
    if (r.kind == kind) return r;
  throw std::logic_error("a layer kind without its row in core/model/layer_kinds.h");
}

}  // namespace

const MixerKindInfo& kind_info(MixerKind kind) { return find_row(kMixerKinds, kind); }
const FfnKindInfo& kind_info(FfnKind kind) { return find_row(kFfnKinds, kind); }

}  // namespace hl
