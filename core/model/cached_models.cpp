#include "core/model/cached_models.h"

#include <exception>

#include "core/model/model_binding.h"
#include "core/model/parameter_count.h"
#include "core/model/weight_sharing.h"
#include "core/util/human_units.h"

namespace hl {

std::string CachedModel::label() const {
  if (!problem.empty()) return repo.repo_id + " · ⚠ " + problem;
  return repo.repo_id + " · " + family + " · " + human_count(parameters) + " parameters · " +
         human_bytes(repo.size_on_disk);
}

std::vector<CachedModel> list_cached_models(const std::filesystem::path& cache) {
  std::vector<CachedModel> models;
  for (auto& repo : list_cached_repos(cache)) {
    CachedModel m;
    m.problem = repo.problem;
    m.repo = std::move(repo);
    if (m.problem.empty()) {
      try {
        const ModelPlan plan = open_model_plan(m.repo.folder);
        m.family = plan.spec.model_type;
        m.parameters = total_parameters(parameters_by_kind(plan.spec, BoundModel::bind(plan.spec, plan.checkpoint)));
      } catch (const std::exception& e) {
        m.problem = e.what();
      }
    }
    models.push_back(std::move(m));
  }
  return models;
}

}  // namespace hl
