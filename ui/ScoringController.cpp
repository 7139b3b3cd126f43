#include "ui/ScoringController.h"

#include <QFile>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <chrono>
#include <exception>
#include <filesystem>
#include <optional>
#include <stdexcept>

#include "core/analysis/report/report.h"
#include "core/compare/model_set.h"
#include "core/compare/scoring_pipeline.h"
#include "core/engine/device_backend.h"

namespace hl::ui {

// Touched only on the scoring thread. The models are declared after the backend so they are released before it.
struct ScoringEngine {
  std::unique_ptr<engine::Backend> backend;
  std::string device;
  std::optional<compare::ModelSet> models;  // [0] the hybrid, then the references
};

namespace {

std::filesystem::path to_path(const QString& s) { return std::filesystem::path(QFile::encodeName(s).toStdString()); }

QString one_line(const char* what) {
  QString s = QString::fromUtf8(what).simplified();
  return s.isEmpty() ? QStringLiteral("unknown error") : s;
}

// A paste can be far longer than anything worth scoring interactively (10 MB is about 2.5 million tokens): the
// window scores the first kMaxScoredTokens tokens and says so; hybridlens-cli scores any length.
constexpr std::size_t kMaxScoredTokens = 100'000;

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
    const int total = static_cast<int>(1 + set.references.size());
    auto report_progress = [this, total, &hook](int done, const QString& stage) {
      if (hook) hook(done, total, stage);
      QMetaObject::invokeMethod(this, [this, done, total, stage] { emit progress(done, total, stage); },
                                Qt::QueuedConnection);
    };
    // The new set is opened beside the loaded one and replaces it only when every folder opened: a folder that
    // fails, or a cancel, leaves the previous models loaded and usable.
    const auto finish_without_new_models = [this, engine, generation](const QString& message, bool was_cancel) {
      const bool kept = engine->models.has_value();
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
      // A device change needs its own backend; the loaded models keep theirs until the new ones replace them.
      std::unique_ptr<engine::Backend> fresh;
      engine::Backend* backend = engine->backend.get();
      if (!backend || engine->device != device.toStdString()) {
        fresh = engine::make_backend(device.toStdString());
        backend = fresh.get();
      }
      compare::ModelSetPaths paths;
      paths.compared.push_back(to_path(set.hybrid));
      for (const QString& r : set.references) paths.references.push_back(to_path(r));
      if (!set.tokenizer.isEmpty()) paths.tokenizer = to_path(set.tokenizer);
      const auto on_step = [&report_progress](int done, int, const std::string& stage) {
        report_progress(done, QString::fromStdString(stage));
      };
      compare::ModelSet models = compare::ModelSet::open(paths, *backend, on_step, cancel_flag.get());
      QString summary = QString::fromStdString(models.summary());
      if (backend->device() != engine::Device::cpu) summary += QStringLiteral(" · on %1").arg(device.toUpper());
      QStringList qnames;
      std::vector<ModelSpec> specs;
      for (std::size_t m = 0; m < models.size(); ++m) {
        qnames << QString::fromStdString(models.names()[m]);
        specs.push_back(models.model(m).spec());
      }
      engine->models = std::move(models);  // the old models go while their backend still exists
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
      if (!engine->models) throw std::runtime_error("no models loaded");
      const compare::ModelSet& models = *engine->models;
      compare::ScoreRequest request;
      request.max_tokens = kMaxScoredTokens;
      request.state_norms = true;  // the state-norm view; computed inside the scans, no states kept
      request.cancel = cancel_flag.get();
      request.progress = [this, &hook](int step, int total, const std::string& stage_name) {
        const QString stage = QString::fromStdString(stage_name);
        if (hook) hook(step, total, stage);
        QMetaObject::invokeMethod(this, [this, step, total, stage] { emit progress(step, total, stage); },
                                  Qt::QueuedConnection);
      };
      compare::ScoredText scored = compare::score_text(models, *engine->backend, text, request);
      QString notice;
      if (scored.cut_tokens > 0)
        notice = QStringLiteral("Scored the first %L1 tokens (%L2 of %L3 bytes): the window's limit; "
                                "hybridlens-cli scores any length.")
                     .arg(scored.cut_tokens)
                     .arg(scored.text.size())
                     .arg(scored.input_bytes);
      auto profiles = std::make_shared<std::vector<ModelProfile>>(models.size());
      for (std::size_t m = 0; m < models.size(); ++m) {
        ModelProfile& profile = (*profiles)[m];
        profile.name = models.names()[m];
        profile.spec = models.model(m).spec();
        profile.residual_norms = std::move(scored.models[m].residual_norms);
        profile.state_norms = std::move(scored.models[m].state_norms);
        profile.state_norm_heads = std::move(scored.models[m].state_norm_heads);
      }
      // One report per reference from the same scores: switching the reference is then a pointer swap.
      std::vector<std::shared_ptr<const analysis::Report>> reports;
      for (analysis::Report& r : compare::build_reports(models, scored, {}, cancel_flag.get()))
        reports.push_back(std::make_shared<const analysis::Report>(std::move(r)));
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
