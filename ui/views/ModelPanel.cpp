#include "ui/views/ModelPanel.h"

#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>
#include <QComboBox>
#include <QStandardItemModel>
#include <optional>
#include <QDir>
#include <QEvent>
#include <algorithm>
#include <exception>
#include <filesystem>

#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/hf_cache.h"
#include "core/model/cached_models.h"
#include "core/engine/device_backend.h"
#include "core/model/layer_pattern.h"
#include "core/model/memory_estimate.h"
#include "core/model/weight_sharing.h"
#include "ui/ScoringController.h"
#include "ui/Theme.h"

namespace hl::ui {

namespace {

struct FolderDescription {
  QString text;  // the line under the folder; empty for an empty folder field
  std::optional<MemoryEstimate> memory;
};

FolderDescription describe(const QString& folder, std::int64_t tokens) {
  if (folder.trimmed().isEmpty()) return {};
  try {
    // A folder, or a Hugging Face cache repo id (org/name[@revision]) as the cached-models menu fills in.
    const std::filesystem::path path = resolve_model_folder(QFile::encodeName(folder.trimmed()).toStdString());
    const ModelPlan plan = open_model_plan(path);
    const ModelSpec& spec = plan.spec;
    const Checkpoint& checkpoint = plan.checkpoint;
    const MemoryEstimate mem = estimate_memory(spec, checkpoint.tensor_bytes(), tokens);
    const QLocale locale = QLocale::c();
    const bool hasTokenizer = std::filesystem::exists(path / "tokenizer.json");
    return {QStringLiteral("%1 · %2 · %3 layers · weights %4 · ≈%5 for %6 tokens%7")
                .arg(QString::fromStdString(spec.model_type), QString::fromStdString(compress_pattern(mixer_pattern(spec))))
                .arg(spec.layers.size())
                .arg(locale.formattedDataSize(static_cast<qint64>(mem.weights)),
                     locale.formattedDataSize(static_cast<qint64>(mem.total())))
                .arg(tokens)
                .arg(hasTokenizer ? QString() : QStringLiteral(" · no tokenizer.json")),
            mem};
  } catch (const std::exception& e) {
    return {QStringLiteral("⚠ %1").arg(QString::fromUtf8(e.what()).simplified()), std::nullopt};
  }
}

}  // namespace

QString describeModelFolder(const QString& folder, std::int64_t tokens) { return describe(folder, tokens).text; }

ModelPanel::ModelPanel(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("modelPanel"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  hybrid_ = folderRow(tr("Hybrid"), false, false);
  hybrid_.edit->setObjectName(QStringLiteral("hybridFolder"));
  layout->addWidget(hybrid_.box);
  referenceRows_ = new QVBoxLayout;
  referenceRows_->setContentsMargins(0, 0, 0, 0);
  referenceRows_->setSpacing(0);
  layout->addLayout(referenceRows_);
  addReference_ = new QPushButton(tr("Add reference"), this);
  addReference_->setObjectName(QStringLiteral("addReferenceButton"));
  addReference_->setToolTip(tr("Compare the hybrid with another model too; Δ is shown against one reference at a "
                               "time and every reference gets a column side by side and a layer stack"));
  connect(addReference_, &QPushButton::clicked, this, [this] { addReferenceRow(); });
  auto* addRow = new QHBoxLayout;
  addRow->addWidget(addReference_);
  addRow->addStretch(1);
  layout->addLayout(addRow);
  addReferenceRow();
  tokenizer_ = folderRow(tr("Tokenizer (optional, for folders without one)"), true, false);
  tokenizer_.edit->setObjectName(QStringLiteral("tokenizerPath"));
  layout->addWidget(tokenizer_.box);

  total_ = new QLabel(this);
  total_->setObjectName(QStringLiteral("totalEstimate"));
  total_->setWordWrap(true);
  total_->setVisible(false);
  layout->addWidget(total_);

  auto* deviceRow = new QHBoxLayout;
  auto* deviceLabel = new QLabel(tr("<b>Run on</b>"), this);
  device_ = new QComboBox(this);
  device_->setObjectName(QStringLiteral("deviceBox"));
  deviceLabel->setBuddy(device_);
  auto* items = new QStandardItemModel(device_);
  for (const engine::DeviceInfo& d : engine::available_devices()) {
    auto* item = new QStandardItem(QString::fromStdString(d.available ? d.label : d.label + " — unavailable"));
    item->setData(QString::fromStdString(d.id), Qt::UserRole);
    item->setToolTip(QString::fromStdString(d.available ? d.label : d.reason));
    if (!d.available) item->setFlags(item->flags() & ~(Qt::ItemIsEnabled | Qt::ItemIsSelectable));
    items->appendRow(item);
  }
  device_->setModel(items);
  device_->setToolTip(tr("Where the models run. Changing it takes effect at the next Load."));
  deviceRow->addWidget(deviceLabel);
  deviceRow->addWidget(device_, 1);
  layout->addLayout(deviceRow);

  auto* buttons = new QHBoxLayout;
  load_ = new QPushButton(tr("Load models"), this);
  load_->setObjectName(QStringLiteral("loadButton"));
  load_->setDefault(true);
  cancel_ = new QPushButton(tr("Cancel"), this);
  cancel_->setObjectName(QStringLiteral("cancelButton"));
  cancel_->setEnabled(false);
  buttons->addWidget(load_);
  buttons->addWidget(cancel_);
  buttons->addStretch(1);
  layout->addLayout(buttons);
  progress_ = new QProgressBar(this);
  progress_->setObjectName(QStringLiteral("scoreProgress"));
  progress_->setRange(0, 1);
  progress_->setValue(0);
  progress_->setTextVisible(true);
  progress_->setFormat(tr("idle"));
  layout->addWidget(progress_);
  status_ = new QLabel(tr("No models loaded."), this);
  status_->setObjectName(QStringLiteral("modelStatus"));
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(status_);
  layout->addStretch(1);

  connect(load_, &QPushButton::clicked, this, &ModelPanel::loadRequested);
  connect(cancel_, &QPushButton::clicked, this, &ModelPanel::cancelRequested);
}

ModelPanel::FolderRow ModelPanel::folderRow(const QString& label, bool file, bool removable) {
  FolderRow row;
  row.box = new QWidget(this);
  auto* v = new QVBoxLayout(row.box);
  v->setContentsMargins(0, 0, 0, 4);
  v->setSpacing(2);
  auto* title = new QLabel(QStringLiteral("<b>%1</b>").arg(label.toHtmlEscaped()), row.box);
  title->setObjectName(QStringLiteral("rowTitle"));
  v->addWidget(title);
  auto* h = new QHBoxLayout;
  row.edit = new QLineEdit(row.box);
  row.edit->setPlaceholderText(file ? tr("tokenizer.json or a folder holding one") : tr("model folder, or org/name from the Hugging Face cache"));
  row.edit->setClearButtonEnabled(true);
  auto* browse = new QToolButton(row.box);
  browse->setText(QStringLiteral("…"));
  browse->setToolTip(file ? tr("Choose a tokenizer.json") : tr("Choose a model folder"));
  h->addWidget(row.edit, 1);
  h->addWidget(browse);
  if (!file) h->addWidget(cachedModelsButton(row.edit, row.box));
  if (removable) {
    row.remove = new QToolButton(row.box);
    row.remove->setText(QStringLiteral("✕"));
    row.remove->setObjectName(QStringLiteral("removeReference"));
    row.remove->setToolTip(tr("Remove this reference"));
    h->addWidget(row.remove);
  }
  v->addLayout(h);
  row.info = new QLabel(row.box);
  row.info->setWordWrap(true);
  row.info->setForegroundRole(QPalette::PlaceholderText);  // quieter than the titles, in every theme
  row.info->setTextInteractionFlags(Qt::TextSelectableByMouse);
  v->addWidget(row.info);
  QLineEdit* target = row.edit;
  connect(browse, &QToolButton::clicked, this, [this, target, file] {
    const QString chosen =
        file ? QFileDialog::getOpenFileName(this, tr("Tokenizer"), target->text(), tr("tokenizer.json (*.json)"))
             : QFileDialog::getExistingDirectory(this, tr("Model folder"), target->text());
    if (!chosen.isEmpty()) target->setText(chosen);
  });
  connect(row.edit, &QLineEdit::textChanged, this, &ModelPanel::refreshInfo);
  connect(row.edit, &QLineEdit::textChanged, row.edit, &QLineEdit::setToolTip);
  return row;
}

QToolButton* ModelPanel::cachedModelsButton(QLineEdit* target, QWidget* parent) {
  auto* button = new QToolButton(parent);
  button->setObjectName(QStringLiteral("cachedModelsButton"));
  button->setText(tr("HF"));
  button->setToolTip(tr("Choose a model from the Hugging Face cache (%1); nothing is downloaded")
                         .arg(QString::fromStdString(hub_cache_dir().string())));
  button->setPopupMode(QToolButton::InstantPopup);
  auto* menu = new QMenu(button);
  // Listed when the menu opens, so models downloaded while the window is open appear too.
  connect(menu, &QMenu::aboutToShow, menu, [menu, target] {
    menu->clear();
    const auto cache = hub_cache_dir();
    const auto models = list_cached_models(cache);
    for (const CachedModel& m : models) {
      QAction* pick = menu->addAction(QString::fromStdString(m.label()));
      pick->setData(QString::fromStdString(m.repo.repo_id));
      pick->setEnabled(m.problem.empty());
      QObject::connect(pick, &QAction::triggered, target,
                       [target, id = pick->data().toString()] { target->setText(id); });
    }
    if (models.empty())
      menu->addAction(tr("No models in %1").arg(QString::fromStdString(cache.string())))->setEnabled(false);
  });
  button->setMenu(menu);
  return button;
}

void ModelPanel::addReferenceRow(const QString& folder) {
  if (referenceRowCount() >= ScoringController::kMaxReferences) return;
  FolderRow row = folderRow(QString(), false, true);
  referenceRows_->addWidget(row.box);
  QWidget* box = row.box;
  connect(row.remove, &QToolButton::clicked, this, [this, box] { removeReferenceRow(box); });
  references_.push_back(row);
  row.edit->setText(folder);
  renumberReferences();
}

void ModelPanel::removeReferenceRow(QWidget* box) {
  if (references_.size() <= 1) return;  // the last row only empties, through its clear button
  const auto it = std::find_if(references_.begin(), references_.end(), [box](const FolderRow& r) { return r.box == box; });
  if (it == references_.end()) return;
  references_.erase(it);
  box->deleteLater();
  renumberReferences();
  refreshInfo();
}

// Titles say which reference Δ starts with; the first row's field keeps its old name for scripts and tests.
void ModelPanel::renumberReferences() {
  const bool several = references_.size() > 1;
  for (std::size_t i = 0; i < references_.size(); ++i) {
    const FolderRow& r = references_[i];
    r.edit->setObjectName(i == 0 ? QStringLiteral("referenceFolder") : QStringLiteral("referenceFolder%1").arg(i + 1));
    r.box->findChild<QLabel*>(QStringLiteral("rowTitle"))
        ->setText(QStringLiteral("<b>%1</b>")
                      .arg(several ? tr("Reference %1 (transformer)").arg(i + 1) : tr("Reference (transformer)")));
    r.remove->setVisible(several);
  }
  addReference_->setEnabled(referenceRowCount() < ScoringController::kMaxReferences);
}

void ModelPanel::refreshInfo() {
  std::vector<MemoryEstimate> estimates;
  auto show = [&](const FolderRow& row) {
    FolderDescription d = describe(row.edit->text(), kEstimateTokens);
    row.info->setText(d.text);
    row.info->setVisible(!d.text.isEmpty());
    if (d.memory) estimates.push_back(*d.memory);
  };
  show(hybrid_);
  for (const FolderRow& r : references_) show(r);
  const QString t = tokenizer_.edit->text().trimmed();
  tokenizer_.info->setText(t.isEmpty() || QFileInfo::exists(t) ? QString() : tr("⚠ %1 does not exist").arg(t));
  tokenizer_.info->setVisible(!tokenizer_.info->text().isEmpty());
  // Every model stays loaded, and they are scored one after another: weights add up, working memory does not.
  std::uint64_t weights = 0, working = 0;
  for (const MemoryEstimate& e : estimates) {
    weights += e.weights;
    working = std::max(working, e.total() - e.weights);
  }
  const QLocale locale = QLocale::c();
  total_->setText(estimates.size() < 2 ? QString()
                                       : tr("All %1 models: weights %2 · ≈%3 for %4 tokens")
                                             .arg(estimates.size())
                                             .arg(locale.formattedDataSize(static_cast<qint64>(weights)),
                                                  locale.formattedDataSize(static_cast<qint64>(weights + working)))
                                             .arg(kEstimateTokens));
  total_->setVisible(!total_->text().isEmpty());
}

QString ModelPanel::totalEstimateText() const { return total_->text(); }

QString ModelPanel::hybridFolder() const { return hybrid_.edit->text().trimmed(); }
QStringList ModelPanel::referenceFolders() const {
  QStringList folders;
  for (const FolderRow& r : references_)
    if (const QString f = r.edit->text().trimmed(); !f.isEmpty()) folders << f;
  return folders;
}
QString ModelPanel::tokenizerPath() const { return tokenizer_.edit->text().trimmed(); }
QString ModelPanel::device() const { return device_->currentData().toString(); }

void ModelPanel::setFolders(const QString& hybrid, const QStringList& references, const QString& tokenizer) {
  hybrid_.edit->setText(hybrid);
  while (references_.size() > 1) {
    references_.back().box->deleteLater();
    references_.pop_back();
  }
  references_.front().edit->setText(references.value(0));
  for (qsizetype i = 1; i < references.size(); ++i) addReferenceRow(references[i]);
  renumberReferences();
  tokenizer_.edit->setText(tokenizer);
  refreshInfo();  // rows went away, and fields set to their own text emit no change
}

bool ModelPanel::setDevice(const QString& device) {
  const int i = device_->findData(device);
  const auto* items = static_cast<QStandardItemModel*>(device_->model());
  const bool usable = i >= 0 && items->item(i)->isEnabled();
  device_->setCurrentIndex(usable ? i : 0);
  return usable;
}

void ModelPanel::setBusy(bool busy) {
  cancel_->setEnabled(busy);
  if (busy) {
    outcome_.clear();
    progress_->setFormat(tr("working – %p%"));
    return;
  }
  progress_->setRange(0, 1);
  progress_->setValue(outcome_.isEmpty() ? 1 : 0);
  progress_->setFormat(outcome_.isEmpty() ? tr("done") : outcome_);
}

void ModelPanel::setOutcome(const QString& outcome) { outcome_ = outcome; }

void ModelPanel::setProgress(int done, int total, const QString& stage) {
  progress_->setRange(0, std::max(total, 1));
  progress_->setValue(std::clamp(done, 0, std::max(total, 1)));
  progress_->setFormat(QStringLiteral("%1 – %p%").arg(stage));
}

void ModelPanel::setStatus(const QString& message, bool error) {
  status_->setText(message);
  statusIsError_ = error;
  styleStatus();
}

void ModelPanel::styleStatus() {
  status_->setStyleSheet(statusIsError_ ? QStringLiteral("color: %1;").arg(errorTextColour(palette()).name()) : QString());
}

void ModelPanel::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() == QEvent::PaletteChange) styleStatus();  // the error red that reads on this background
}

QString ModelPanel::statusText() const { return status_->text(); }

}  // namespace hl::ui
