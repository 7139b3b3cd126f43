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

// A paste can be far longer than anything worth scoring interactively (10 MB is about 2.5 million tokens): the GUI
// scores the first kMaxScoredTokens tokens and says so; hybridlens-cli scores any length. A token is at least one
// byte, so the text is first cut to kPreCutBytes (a few times the tokens a typical text needs), which keeps the
// tokenizer's time bounded too.
constexpr std::size_t kMaxScoredTokens = 100'000;
constexpr std::size_t kPreCutBytes = 16 * kMaxScoredTokens;

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

void ScoringController::loadModels(const QString& hybrid, const QString& reference, const QString& tokenizer) {
  cancel();
  loaded_ = false;
  const quint64 generation = ++load_generation_;
  // Its own flag: typing while a load runs re-schedules scoring (which cancels scoring runs) but must not cancel it.
  auto cancel_flag = std::make_shared<std::atomic<bool>>(false);
  load_cancel_ = cancel_flag;
  post([this, engine = engine_, hybrid, reference, tokenizer, generation, cancel_flag] {
    auto report_progress = [this](int done, const QString& stage) {
      QMetaObject::invokeMethod(this, [this, done, stage] { emit progress(done, 2, stage); }, Qt::QueuedConnection);
    };
    // The new pair is opened beside the loaded one and replaces it only when both opened: a folder that fails, or a
    // cancel, leaves the previous models loaded and usable.
    const auto check_cancel = [&cancel_flag] {
      if (cancel_flag->load()) throw engine::ScoreCancelled();
    };
    const auto finish_without_new_models = [this, engine, generation](const QString& message, bool was_cancel) {
      const bool kept = engine->reference && engine->hybrid;
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
      if (!engine->backend) engine->backend = std::make_unique<engine::CpuBackend>();
      check_cancel();
      report_progress(0, QStringLiteral("loading reference"));
      auto ref = open_model(reference, tokenizer, *engine->backend, "reference");
      check_cancel();
      report_progress(1, QStringLiteral("loading hybrid"));
      auto hyb = open_model(hybrid, tokenizer, *engine->backend, "hybrid");
      check_cancel();
      report_progress(2, QStringLiteral("models loaded"));
      std::string reference_name = ref->name(), hybrid_name = hyb->name();
      if (reference_name == hybrid_name) {
        reference_name += " (reference)";
        hybrid_name += " (hybrid)";
      }
      const QString summary =
          QStringLiteral("hybrid %1 (%2, %3) vs reference %4 (%5, %6)")
              .arg(QString::fromStdString(hybrid_name), QString::fromStdString(hyb->spec().model_type),
                   QString::fromStdString(compress_pattern(mixer_pattern(hyb->spec()))),
                   QString::fromStdString(reference_name), QString::fromStdString(ref->spec().model_type),
                   QString::fromStdString(compress_pattern(mixer_pattern(ref->spec()))));
      const QString hname = QString::fromStdString(hybrid_name);
      const QString rname = QString::fromStdString(reference_name);
      std::vector<ModelSpec> specs = {ref->spec(), hyb->spec()};
      engine->reference = std::move(ref);
      engine->hybrid = std::move(hyb);
      engine->reference_name = std::move(reference_name);
      engine->hybrid_name = std::move(hybrid_name);
      QMetaObject::invokeMethod(
          this,
          [this, generation, summary, hname, rname, hybrid, reference, tokenizer, specs = std::move(specs)] {
            if (generation != load_generation_) return;
            loaded_ = true;
            specs_ = specs;
            hybrid_name_ = hname;
            reference_name_ = rname;
            loaded_folders_ = {hybrid, reference, tokenizer};
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
      std::vector<analysis::ModelTokens> scored;
      auto profiles = std::make_shared<std::vector<ModelProfile>>(2);
      int offset = 0;
      for (int m = 0; m < 2; ++m) {
        const tok::Encoding enc = m == 0 ? std::move(first) : models[m]->encode(scored_text, true);
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
          analysis::build_report(analysis::compare(scored_text, std::move(scored), 0, {})));
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      QMetaObject::invokeMethod(
          this,
          [this, generation, report, profiles = std::shared_ptr<const std::vector<ModelProfile>>(profiles), seconds,
           notice] {
            if (generation != score_generation_) return;
            report_ = report;
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
