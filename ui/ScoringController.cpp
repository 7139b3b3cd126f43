#include "ui/ScoringController.h"

#include <QFile>
#include <QThread>
#include <QTimer>
#include <chrono>
#include <exception>
#include <filesystem>
#include <stdexcept>

#include "core/analysis/comparison.h"
#include "core/analysis/from_score.h"
#include "core/analysis/report.h"
#include "core/engine/cpu_backend.h"
#include "core/engine/loaded_model.h"
#include "core/model/layer_pattern.h"
#include "core/tokenizer/tokenizer.h"

namespace hl::ui {

// Touched only on the scoring thread.
struct ScoringEngine {
  std::unique_ptr<engine::Backend> backend;
  std::unique_ptr<engine::LoadedModel> reference;
  std::unique_ptr<engine::LoadedModel> hybrid;
  std::string reference_name, hybrid_name;  // unique (reports key by name)
};

namespace {

std::filesystem::path to_path(const QString& s) { return std::filesystem::path(QFile::encodeName(s).toStdString()); }

QString one_line(const char* what) {
  QString s = QString::fromUtf8(what).simplified();
  return s.isEmpty() ? QStringLiteral("unknown error") : s;
}

std::unique_ptr<engine::LoadedModel> open_model(const QString& folder, const QString& tokenizer, engine::Backend& b,
                                                const char* role) {
  if (folder.isEmpty()) throw std::runtime_error(std::string("no ") + role + " model folder chosen");
  auto m = engine::LoadedModel::open(to_path(folder), b);
  if (m->tokenizer() == nullptr && !tokenizer.isEmpty()) m->set_tokenizer(tok::Tokenizer::from_file(to_path(tokenizer)));
  if (m->tokenizer() == nullptr)
    throw std::runtime_error(m->name() + ": the folder has no tokenizer.json; choose a tokenizer");
  return m;
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
  if (current_cancel_) current_cancel_->store(true);
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
}

void ScoringController::loadModels(const QString& hybrid, const QString& reference, const QString& tokenizer) {
  cancel();
  loaded_ = false;
  loading_ = true;
  const quint64 generation = ++load_generation_;
  post([this, engine = engine_, hybrid, reference, tokenizer, generation] {
    auto report_progress = [this](int done, const QString& stage) {
      QMetaObject::invokeMethod(this, [this, done, stage] { emit progress(done, 2, stage); }, Qt::QueuedConnection);
    };
    try {
      engine->hybrid.reset();
      engine->reference.reset();
      if (!engine->backend) engine->backend = std::make_unique<engine::CpuBackend>();
      report_progress(0, QStringLiteral("loading reference"));
      auto ref = open_model(reference, tokenizer, *engine->backend, "reference");
      report_progress(1, QStringLiteral("loading hybrid"));
      auto hyb = open_model(hybrid, tokenizer, *engine->backend, "hybrid");
      report_progress(2, QStringLiteral("models loaded"));
      engine->reference_name = ref->name();
      engine->hybrid_name = hyb->name();
      if (engine->reference_name == engine->hybrid_name) {
        engine->reference_name += " (reference)";
        engine->hybrid_name += " (hybrid)";
      }
      const QString summary =
          QStringLiteral("hybrid %1 (%2, %3) vs reference %4 (%5, %6)")
              .arg(QString::fromStdString(engine->hybrid_name), QString::fromStdString(hyb->spec().model_type),
                   QString::fromStdString(compress_pattern(mixer_pattern(hyb->spec()))),
                   QString::fromStdString(engine->reference_name), QString::fromStdString(ref->spec().model_type),
                   QString::fromStdString(compress_pattern(mixer_pattern(ref->spec()))));
      const QString hname = QString::fromStdString(engine->hybrid_name);
      const QString rname = QString::fromStdString(engine->reference_name);
      std::vector<ModelSpec> specs = {ref->spec(), hyb->spec()};
      engine->reference = std::move(ref);
      engine->hybrid = std::move(hyb);
      QMetaObject::invokeMethod(
          this,
          [this, generation, summary, hname, rname, specs = std::move(specs)] {
            if (generation != load_generation_) return;
            loading_ = false;
            loaded_ = true;
            specs_ = specs;
            hybrid_name_ = hname;
            reference_name_ = rname;
            emit modelsReady(summary);
            if (!text_.isEmpty()) startScore();
          },
          Qt::QueuedConnection);
    } catch (const std::exception& e) {
      const QString message = one_line(e.what());
      QMetaObject::invokeMethod(
          this,
          [this, generation, message] {
            if (generation != load_generation_) return;
            loading_ = false;
            emit failed(message);
          },
          Qt::QueuedConnection);
    }
  });
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
    report_.reset();
    profiles_.reset();
    emit reportReady();
    return;
  }
  auto cancel_flag = std::make_shared<std::atomic<bool>>(false);
  current_cancel_ = cancel_flag;
  post([this, engine = engine_, cancel_flag, generation, text = text_.toStdString()] {
    if (cancel_flag->load()) return;  // superseded before it started
    const auto started = std::chrono::steady_clock::now();
    try {
      if (!engine->reference || !engine->hybrid) throw std::runtime_error("no models loaded");
      engine::LoadedModel* models[2] = {engine->reference.get(), engine->hybrid.get()};
      const std::string names[2] = {engine->reference_name, engine->hybrid_name};
      const int layers[2] = {static_cast<int>(models[0]->spec().layers.size()) + 1,
                             static_cast<int>(models[1]->spec().layers.size()) + 1};
      const int total = layers[0] + layers[1];
      std::vector<analysis::ModelTokens> scored;
      auto profiles = std::make_shared<std::vector<ModelProfile>>(2);
      int offset = 0;
      for (int m = 0; m < 2; ++m) {
        const tok::Encoding enc = models[m]->encode(text, true);
        engine::ScoreOptions options;
        options.cancel = cancel_flag.get();
        options.state_norms = true;  // the state-norm view; computed inside the scans, no states kept
        const QString stage = QStringLiteral("scoring with %1").arg(QString::fromStdString(names[m]));
        options.progress = [this, offset, total, stage, n = layers[m]](int done, int of) {
          const int step = of > 0 ? offset + (done + 1) * n / (of + 1) : offset;
          QMetaObject::invokeMethod(this, [this, step, total, stage] { emit progress(step, total, stage); },
                                    Qt::QueuedConnection);
        };
        engine::WindowOptions window;
        const std::int64_t context = models[m]->spec().max_position_embeddings;
        if (context > 1 && static_cast<std::int64_t>(enc.ids.size()) > context) window.window = context;
        engine::ScoreResult r = models[m]->score(enc.ids, options, window);
        scored.push_back(analysis::from_score(names[m], enc, r.stats, models[m]->tokenizer()));
        ModelProfile& profile = (*profiles)[static_cast<std::size_t>(m)];
        profile.name = names[m];
        profile.spec = models[m]->spec();
        profile.residual_norms = std::move(r.residual_norms);
        profile.state_norms = std::move(r.state_norms);
        profile.state_norm_heads = std::move(r.state_norm_heads);
        analysis::record_vocabulary(scored.back(), models[m]->tokenizer()->vocab_size(),
                                    static_cast<std::size_t>(models[m]->spec().vocab_size));
        offset += layers[m];
      }
      if (cancel_flag->load()) throw engine::ScoreCancelled();
      auto report = std::make_shared<const analysis::Report>(
          analysis::build_report(analysis::compare(text, std::move(scored), 0, {})));
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      QMetaObject::invokeMethod(
          this,
          [this, generation, report, profiles = std::shared_ptr<const std::vector<ModelProfile>>(profiles), seconds] {
            if (generation != score_generation_) return;
            report_ = report;
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
