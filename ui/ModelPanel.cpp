#include "ui/ModelPanel.h"

#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>
#include <QDir>
#include <QEvent>
#include <algorithm>
#include <exception>
#include <filesystem>

#include "core/checkpoint/checkpoint.h"
#include "core/model/config_parser.h"
#include "core/model/layer_pattern.h"
#include "core/model/memory_estimate.h"
#include "ui/Theme.h"

namespace hl::ui {

QString describeModelFolder(const QString& folder, std::int64_t tokens) {
  if (folder.trimmed().isEmpty()) return {};
  try {
    const std::filesystem::path path(QFile::encodeName(folder).toStdString());
    const ModelSpec spec = load_model_spec(path);
    const Checkpoint checkpoint = Checkpoint::open(path);
    const MemoryEstimate mem = estimate_memory(spec, checkpoint.tensor_bytes(), tokens);
    const QLocale locale = QLocale::c();
    const bool hasTokenizer = QFileInfo::exists(QDir(folder).filePath(QStringLiteral("tokenizer.json")));
    return QStringLiteral("%1 · %2 · %3 layers · weights %4 · ≈%5 for %6 tokens%7")
        .arg(QString::fromStdString(spec.model_type), QString::fromStdString(compress_pattern(mixer_pattern(spec))))
        .arg(spec.layers.size())
        .arg(locale.formattedDataSize(static_cast<qint64>(mem.weights)),
             locale.formattedDataSize(static_cast<qint64>(mem.total())))
        .arg(tokens)
        .arg(hasTokenizer ? QString() : QStringLiteral(" · no tokenizer.json"));
  } catch (const std::exception& e) {
    return QStringLiteral("⚠ %1").arg(QString::fromUtf8(e.what()).simplified());
  }
}

ModelPanel::ModelPanel(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("modelPanel"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->addWidget(folderRow(tr("Hybrid"), hybrid_, hybridInfo_, false));
  layout->addWidget(folderRow(tr("Reference (transformer)"), reference_, referenceInfo_, false));
  layout->addWidget(folderRow(tr("Tokenizer (optional, for folders without one)"), tokenizer_, tokenizerInfo_, true));
  hybrid_->setObjectName(QStringLiteral("hybridFolder"));
  reference_->setObjectName(QStringLiteral("referenceFolder"));
  tokenizer_->setObjectName(QStringLiteral("tokenizerPath"));

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

QWidget* ModelPanel::folderRow(const QString& label, QLineEdit*& edit, QLabel*& info, bool file) {
  auto* box = new QWidget(this);
  auto* v = new QVBoxLayout(box);
  v->setContentsMargins(0, 0, 0, 4);
  v->setSpacing(2);
  auto* title = new QLabel(QStringLiteral("<b>%1</b>").arg(label.toHtmlEscaped()), box);
  v->addWidget(title);
  auto* h = new QHBoxLayout;
  edit = new QLineEdit(box);
  edit->setPlaceholderText(file ? tr("tokenizer.json or a folder holding one") : tr("Hugging Face model folder"));
  edit->setClearButtonEnabled(true);
  auto* browse = new QToolButton(box);
  browse->setText(QStringLiteral("…"));
  browse->setToolTip(file ? tr("Choose a tokenizer.json") : tr("Choose a model folder"));
  h->addWidget(edit, 1);
  h->addWidget(browse);
  v->addLayout(h);
  info = new QLabel(box);
  info->setWordWrap(true);
  info->setForegroundRole(QPalette::PlaceholderText);  // quieter than the titles, in every theme
  info->setTextInteractionFlags(Qt::TextSelectableByMouse);
  v->addWidget(info);
  QLineEdit* target = edit;
  connect(browse, &QToolButton::clicked, this, [this, target, file] {
    const QString chosen =
        file ? QFileDialog::getOpenFileName(this, tr("Tokenizer"), target->text(), tr("tokenizer.json (*.json)"))
             : QFileDialog::getExistingDirectory(this, tr("Model folder"), target->text());
    if (!chosen.isEmpty()) target->setText(chosen);
  });
  connect(edit, &QLineEdit::textChanged, this, &ModelPanel::refreshInfo);
  connect(edit, &QLineEdit::textChanged, edit, &QLineEdit::setToolTip);
  return box;
}

void ModelPanel::refreshInfo() {
  hybridInfo_->setText(describeModelFolder(hybrid_->text()));
  referenceInfo_->setText(describeModelFolder(reference_->text()));
  const QString t = tokenizer_->text().trimmed();
  tokenizerInfo_->setText(t.isEmpty() || QFileInfo::exists(t) ? QString() : tr("⚠ %1 does not exist").arg(t));
  tokenizerInfo_->setVisible(!tokenizerInfo_->text().isEmpty());
}

QString ModelPanel::hybridFolder() const { return hybrid_->text().trimmed(); }
QString ModelPanel::referenceFolder() const { return reference_->text().trimmed(); }
QString ModelPanel::tokenizerPath() const { return tokenizer_->text().trimmed(); }

void ModelPanel::setFolders(const QString& hybrid, const QString& reference, const QString& tokenizer) {
  hybrid_->setText(hybrid);
  reference_->setText(reference);
  tokenizer_->setText(tokenizer);
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
