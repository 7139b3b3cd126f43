#include "ui/ScoringController.h"

#include <QFile>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <chrono>
#include <exception>
#include <filesystem>
#include <stdexcept>

#include "core/analysis/comparison.h"
#include "core/analysis/from_score.h"
#include "core/analysis/report.h"
#include "core/engine/device_backend.h"
#include "core/engine/loaded_model.h"
#include "core/model/context_limit.h"
#include "core/model/layer_pattern.h"
#include "core/tokenizer/tokenizer.h"

namespace hl::ui {

// Touched only on the scoring thread. The models are declared after the backend so they are released before it.
struct ScoringEngine {
  std::unique_ptr<engine::Backend> backend;
  std::string device;
  std::vector<std::unique_ptr<engine::LoadedModel>> models;  // [0] the hybrid, then the references
  std::vector<std::string> names;                            // unique (reports key by name)
};

namespace {

std::filesystem::path to_path(const QString& s) { return std::filesystem::path(QFile::encodeName(s).toStdString()); }

QString one_line(const char* what) {
  QString s = QString::fromUtf8(what).simplified();
  return s.isEmpty() ? QStringLiteral("unknown error") : s;
}

std::unique_ptr<engine::LoadedModel> open_model(const QString& folder, const QString& tokenizer, engine::Backend& b,
                                                const std::string& role) {
  if (folder.isEmpty()) throw std::runtime_error("no " + role + " model folder chosen");
  auto m = engine::LoadedModel::open(to_path(folder), b);
  if (m->tokenizer() == nullptr && !tokenizer.isEmpty()) m->set_tokenizer(tok::Tokenizer::from_file(to_path(tokenizer)));
  if (m->tokenizer() == nullptr)
    throw std::runtime_error(m->name() + ": the folder has no tokenizer.json; choose a tokenizer");
  return m;
}

// A paste can be far longer than anything worth scoring interactively (10 MB is about 2.5 million tokens): the GUI
// scores the first kMaxScoredTokens tokens and says so; hybridlens-cli scores any length. A token is at least one
// byte, so the text is first cut to kPreCutBytes (a few times the tokens a typical text needs), which keeps the
// tokenizer's time bounded too.
constexpr std::size_t kMaxScoredTokens = 100'000;
constexpr std::size_t kPreCutBytes = 16 * kMaxScoredTokens;

// Model names as reports show them; a name that occurs twice (two checkpoints of one family) says which model it is.
std::vector<std::string> unique_names(const std::vector<std::unique_ptr<engine::LoadedModel>>& models) {
  std::vector<std::string> names;
  for (const auto& m : models) names.push_back(m->name());
  std::vector<std::string> unique = names;
  for (std::size_t i = 0; i < names.size(); ++i)
    if (std::count(names.begin(), names.end(), names[i]) > 1)
      unique[i] += i == 0 ? " (hybrid)" : " (reference " + std::to_string(i) + ")";
  return unique;
}

std::string role_of(std::size_t model) { return model == 0 ? "hybrid" : "reference " + std::to_string(model); }

std::size_t utf8_boundary_at_or_before(const std::string& s, std::size_t n) {
  while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return n;
}

}  // namespace

ScoringController::ScoringController(QObject* parent) : QObject(parent), engine_(std::make_shared<ScoringEngine>()) {
  thread_ = new QThread(this);
  thread_->setObjectName(QStringLiteral("hl-scoring"));
  context_ = new QObject;  // no parent: moved to the thread, deleted when it finishes
  context_->moveToThread(thread_);
  connect(thread_, &QThread::finished, context_, &QObject::deleteLater);
  thread_->start();
  debounce_ = new QTimer(this);
  debounce_->setSingleShot(true);
  debounce_->setInterval(400);
  connect(debounce_, &QTimer::timeout, this, &ScoringController::startScore);
}

ScoringController::~ScoringController() {
  cancel();
  thread_->quit();
  thread_->wait();
  // Models and backend are released here, after the thread stopped (engine_ is no longer shared with any job).
}

void ScoringController::setDebounceInterval(int ms) { debounce_->setInterval(ms); }
int ScoringController::debounceInterval() const { return debounce_->interval(); }

void ScoringController::post(std::function<void()> job) {
  if (in_flight_++ == 0) emit busyChanged(true);
  QMetaObject::invokeMethod(
      context_,
      [this, job = std::move(job)] {
        job();
        QMetaObject::invokeMethod(this, [this] { jobDone(); }, Qt::QueuedConnection);
      },
      Qt::QueuedConnection);
}

void ScoringController::jobDone() {
  if (--in_flight_ == 0) emit busyChanged(false);
}

void ScoringController::cancel() {
  debounce_->stop();
  if (current_cancel_) current_cancel_->store(true);
  if (load_cancel_) load_cancel_->store(true);
}

void ScoringController::loadModels(const QString& hybrid, const QStringList& references, const QString& tokenizer,
                                   const QString& device) {
  cancel();
  loaded_ = false;
  const quint64 generation = ++load_generation_;
  // Its own flag: typing while a load runs re-schedules scoring (which cancels scoring runs) but must not cancel it.
  auto cancel_flag = std::make_shared<std::atomic<bool>>(false);
  load_cancel_ = cancel_flag;
  const ModelSet set{hybrid, references, tokenizer};
  post([this, engine = engine_, set, device, generation, cancel_flag, hook = step_hook_] {
    const QStringList folders = QStringList{set.hybrid} + set.references;
    const int total = static_cast<int>(folders.size());
    auto report_progress = [this, total, &hook](int done, const QString& stage) {
      if (hook) hook(done, total, stage);
      QMetaObject::invokeMethod(this, [this, done, total, stage] { emit progress(done, total, stage); },
                                Qt::QueuedConnection);
    };
    // The new set is opened beside the loaded one and replaces it only when every folder opened: a folder that
    // fails, or a cancel, leaves the previous models loaded and usable.
    const auto check_cancel = [&cancel_flag] {
      if (cancel_flag->load()) throw engine::ScoreCancelled();
    };
    const auto finish_without_new_models = [this, engine, generation](const QString& message, bool was_cancel) {
      const bool kept = !engine->models.empty();
      QMetaObject::invokeMethod(
          this,
          [this, generation, message, was_cancel, kept] {
            if (generation != load_generation_) return;
            loaded_ = kept;
            if (was_cancel)
              emit cancelled();
            else
              emit failed(kept ? message + QStringLiteral(" (the previous models stay loaded)") : message);
          },
          Qt::QueuedConnection);
    };
    try {
      if (set.references.isEmpty()) throw std::runtime_error("no reference model folder chosen");
      if (set.references.size() > kMaxReferences)
        throw std::runtime_error("at most " + std::to_string(kMaxReferences) + " references can be compared at once");
      // A device change needs its own backend; the loaded models keep theirs until the new ones replace them.
      std::unique_ptr<engine::Backend> fresh;
      engine::Backend* backend = engine->backend.get();
      if (!backend || engine->device != device.toStdString()) {
        fresh = engine::make_backend(device.toStdString());
        backend = fresh.get();
      }
      std::vector<std::unique_ptr<engine::LoadedModel>> models;  // after `fresh`: released before it on failure
      for (int m = 0; m < total; ++m) {
        check_cancel();
        report_progress(m, QStringLiteral("loading %1").arg(QString::fromStdString(role_of(m))));
        models.push_back(open_model(folders[m], set.tokenizer, *backend, role_of(m)));
      }
      check_cancel();
      report_progress(total, QStringLiteral("models loaded"));
      std::vector<std::string> names = unique_names(models);
      auto describe = [&](std::size_t m) {
        return QStringLiteral("%1 (%2, %3)")
            .arg(QString::fromStdString(names[m]), QString::fromStdString(models[m]->spec().model_type),
                 QString::fromStdString(compress_pattern(mixer_pattern(models[m]->spec()))));
      };
      QStringList others;
      for (std::size_t m = 2; m < models.size(); ++m) others << describe(m);
      QString summary = QStringLiteral("hybrid %1 vs reference %2").arg(describe(0), describe(1));
      if (!others.isEmpty()) summary += QStringLiteral(", %1").arg(others.join(QStringLiteral(", ")));
      if (backend->device() != engine::Device::cpu) summary += QStringLiteral(" · on %1").arg(device.toUpper());
      QStringList qnames;
      std::vector<ModelSpec> specs;
      for (std::size_t m = 0; m < models.size(); ++m) {
        qnames << QString::fromStdString(names[m]);
        specs.push_back(models[m]->spec());
      }
      engine->models = std::move(models);  // the old models go while their backend still exists
      engine->names = std::move(names);
      if (fresh) {
        engine->backend = std::move(fresh);
        engine->device = device.toStdString();
      }
      QMetaObject::invokeMethod(
          this,
          [this, generation, summary, qnames, set, device, specs = std::move(specs)] {
            if (generation != load_generation_) return;
            loaded_ = true;
            specs_ = specs;
            names_ = qnames;
            loaded_folders_ = set;
            loaded_device_ = device;
            if (active_ >= set.references.size()) active_ = 0;
            emit modelsReady(summary);
            if (!text_.isEmpty()) startScore();
          },
          Qt::QueuedConnection);
    } catch (const engine::ScoreCancelled&) {
      finish_without_new_models({}, true);
    } catch (const std::exception& e) {
      finish_without_new_models(one_line(e.what()), false);
    }
  });
}

void ScoringController::setActiveReference(int reference) {
  if (reference < 0 || reference >= names_.size() - 1 || reference == active_) return;
  active_ = reference;
  emit activeReferenceChanged(active_);
  if (!reports_.empty()) emit reportReady();
}

std::shared_ptr<const analysis::Report> ScoringController::report() const {
  if (reports_.empty()) return nullptr;
  return reports_[std::min(static_cast<std::size_t>(active_), reports_.size() - 1)];
}

void ScoringController::scoreText(const QString& text) {
  debounce_->stop();
  text_ = text;
  startScore();
}

void ScoringController::scheduleScore(const QString& text) {
  text_ = text;
  if (current_cancel_) current_cancel_->store(true);  // the text it scores is already stale
  ++score_generation_;  // nor report its result or its cancellation
  debounce_->start();
}

void ScoringController::startScore() {
  debounce_->stop();
  if (current_cancel_) current_cancel_->store(true);
  current_cancel_.reset();
  if (!loaded_) return;  // scored once the models are loaded
  const quint64 generation = ++score_generation_;
  if (text_.trimmed().isEmpty()) {
    reports_.clear();
    profiles_.reset();
    emit reportReady();
    return;
  }
  auto cancel_flag = std::make_shared<std::atomic<bool>>(false);
  current_cancel_ = cancel_flag;
  post([this, engine = engine_, cancel_flag, generation, text = text_.toStdString(), hook = step_hook_] {
    if (cancel_flag->load()) return;  // superseded before it started
    const auto started = std::chrono::steady_clock::now();
    try {
      const auto& models = engine->models;
      if (models.size() < 2) throw std::runtime_error("no models loaded");
      std::vector<int> layers;
      int total = 0;
      for (const auto& m : models) total += layers.emplace_back(static_cast<int>(m->spec().layers.size()) + 1);
      std::string scored_text = text.size() > kPreCutBytes ? text.substr(0, utf8_boundary_at_or_before(text, kPreCutBytes))
                                                            : text;
      tok::Encoding first = models[0]->encode(scored_text, true);
      QString notice;
      if (first.ids.size() > kMaxScoredTokens || scored_text.size() < text.size()) {
        if (first.ids.size() > kMaxScoredTokens) {
          scored_text.resize(first.byte_offsets[kMaxScoredTokens - 1].second);
          first = models[0]->encode(scored_text, true);
        }
        notice = QStringLiteral("Scored the first %L1 tokens (%L2 of %L3 bytes): the window's limit; "
                                "hybridlens-cli scores any length.")
                     .arg(first.ids.size())
                     .arg(scored_text.size())
                     .arg(text.size());
      }
      std::vector<tok::Encoding> encodings;
      encodings.push_back(std::move(first));
      for (std::size_t m = 1; m < models.size(); ++m) encodings.push_back(models[m]->encode(scored_text, true));
      {  // every model stays resident on a GPU: a set that cannot fit is refused before anything runs
        std::vector<const engine::LoadedModel*> resident;
        std::int64_t longest = 0;
        for (std::size_t m = 0; m < models.size(); ++m) {
          resident.push_back(models[m].get());
          longest = std::max(longest, static_cast<std::int64_t>(encodings[m].ids.size()));
        }
        engine::check_device_memory(*engine->backend, resident, longest);
      }
      std::vector<analysis::ModelTokens> scored;
      auto profiles = std::make_shared<std::vector<ModelProfile>>(models.size());
      int offset = 0;
      for (std::size_t m = 0; m < models.size(); ++m) {
        const tok::Encoding& enc = encodings[m];
        engine::ScoreOptions options;
        options.cancel = cancel_flag.get();
        options.state_norms = true;  // the state-norm view; computed inside the scans, no states kept
        const QString stage = QStringLiteral("scoring with %1").arg(QString::fromStdString(engine->names[m]));
        options.progress = [this, offset, total, stage, n = layers[m], &hook](int done, int of) {
          const int step = of > 0 ? offset + (done + 1) * n / (of + 1) : offset;
          if (hook) hook(step, total, stage);
          QMetaObject::invokeMethod(this, [this, step, total, stage] { emit progress(step, total, stage); },
                                    Qt::QueuedConnection);
        };
        engine::WindowOptions window;
        const std::int64_t context = context_limit(models[m]->spec()).tokens;
        if (context > 1 && static_cast<std::int64_t>(enc.ids.size()) > context) window.window = context;
        engine::ScoreResult r = models[m]->score(enc.ids, options, window);
        scored.push_back(analysis::from_score(engine->names[m], enc, r.stats, models[m]->tokenizer()));
        ModelProfile& profile = (*profiles)[m];
        profile.name = engine->names[m];
        profile.spec = models[m]->spec();
        profile.residual_norms = std::move(r.residual_norms);
        profile.state_norms = std::move(r.state_norms);
        profile.state_norm_heads = std::move(r.state_norm_heads);
        analysis::record_vocabulary(scored.back(), models[m]->tokenizer()->vocab_size(),
                                    static_cast<std::size_t>(models[m]->spec().vocab_size));
        offset += layers[m];
      }
      // One report per reference from the same scores: switching the reference is then a pointer swap.
      std::vector<std::shared_ptr<const analysis::Report>> reports;
      for (std::size_t reference = 1; reference < models.size(); ++reference) {
        if (cancel_flag->load()) throw engine::ScoreCancelled();
        reports.push_back(std::make_shared<const analysis::Report>(
            analysis::build_report(analysis::compare(scored_text, scored, reference, {}))));
      }
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      QMetaObject::invokeMethod(
          this,
          [this, generation, reports = std::move(reports),
           profiles = std::shared_ptr<const std::vector<ModelProfile>>(profiles), seconds, notice] {
            if (generation != score_generation_) return;
            reports_ = reports;
            notice_ = notice;
            profiles_ = profiles;
            last_seconds_ = seconds;
            emit reportReady();
          },
          Qt::QueuedConnection);
    } catch (const engine::ScoreCancelled&) {
      QMetaObject::invokeMethod(
          this, [this, generation] { if (generation == score_generation_) emit cancelled(); }, Qt::QueuedConnection);
    } catch (const std::exception& e) {
      const QString message = one_line(e.what());
      QMetaObject::invokeMethod(
          this, [this, generation, message] { if (generation == score_generation_) emit failed(message); },
          Qt::QueuedConnection);
    }
  });
}

}  // namespace hl::ui
