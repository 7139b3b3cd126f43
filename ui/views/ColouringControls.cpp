#include "ui/views/ColouringControls.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QToolButton>

#include "core/analysis/report/report.h"
#include "ui/models/TokenDeltaModel.h"

namespace hl::ui {

using analysis::ColourMode;
using analysis::ModelRole;

namespace {
constexpr int kModelIndexRole = Qt::UserRole + 1;  // the "of" box: a model's index in the report, -1 for a role
bool perModel(ColourMode m) { return m == ColourMode::nll || m == ColourMode::rank || m == ColourMode::entropy; }
bool sequential(ColourMode m) { return m == ColourMode::nll || m == ColourMode::entropy; }
}  // namespace

ColouringControls::ColouringControls(TokenDeltaModel* model, QWidget* parent) : QWidget(parent), model_(model) {
  setObjectName(QStringLiteral("colouringControls"));
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(6, 0, 6, 0);
  row->setSpacing(6);

  mode_ = new QComboBox(this);
  mode_->setObjectName(QStringLiteral("colourMode"));
  mode_->addItem(tr("Δ (loss difference)"), static_cast<int>(ColourMode::delta));
  mode_->addItem(tr("NLL"), static_cast<int>(ColourMode::nll));
  mode_->addItem(tr("rank (GLTR buckets)"), static_cast<int>(ColourMode::rank));
  mode_->addItem(tr("entropy"), static_cast<int>(ColourMode::entropy));
  mode_->addItem(tr("category"), static_cast<int>(ColourMode::category));
  mode_->setToolTip(tr("What the token view's colours show"));

  whoseLabel_ = new QLabel(tr("of"), this);
  whose_ = new QComboBox(this);
  whose_->setObjectName(QStringLiteral("colourModel"));
  whose_->setToolTip(tr("The model whose NLL, rank or entropy is shown"));
  whose_->setSizeAdjustPolicy(QComboBox::AdjustToContents);

  max_ = new QDoubleSpinBox(this);
  max_->setObjectName(QStringLiteral("colourMax"));
  max_->setRange(0.0, 100.0);
  max_->setDecimals(2);
  max_->setSingleStep(0.5);
  max_->setValue(0.0);
  max_->setToolTip(tr("NLL or entropy at the dark end of the scale; 0 = auto (the 95th percentile of the text)"));

  category_ = new QComboBox(this);
  category_->setObjectName(QStringLiteral("categoryFilter"));
  category_->setToolTip(tr("Dim every unit outside this category (docs/categories.md)"));
  category_->setMaxVisibleItems(24);
  category_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  category_->setMinimumContentsLength(14);
  clear_ = new QToolButton(this);
  clear_->setObjectName(QStringLiteral("clearCategoryFilter"));
  clear_->setText(tr("Clear"));
  clear_->setToolTip(tr("Show every unit in full colour"));

  row->addWidget(new QLabel(tr("Colour by"), this));
  row->addWidget(mode_);
  row->addWidget(whoseLabel_);
  row->addWidget(whose_);
  row->addWidget(new QLabel(tr("max"), this));
  row->addWidget(max_);
  row->addSpacing(12);
  row->addWidget(new QLabel(tr("Filter"), this));
  row->addWidget(category_, 1);
  row->addWidget(clear_);
  row->addStretch(0);

  connect(mode_, &QComboBox::currentIndexChanged, this, &ColouringControls::chooseFromBoxes);
  connect(whose_, &QComboBox::currentIndexChanged, this, &ColouringControls::chooseFromBoxes);
  connect(max_, &QDoubleSpinBox::valueChanged, model_, &TokenDeltaModel::setSequentialMax);
  connect(category_, &QComboBox::currentIndexChanged, this,
          [this] { model_->setCategoryFilter(category_->currentData().toString()); });
  connect(clear_, &QToolButton::clicked, this, [this] { model_->setCategoryFilter({}); });
  connect(model_, &TokenDeltaModel::colouringChanged, this, &ColouringControls::showSettings);
  connect(model_, &TokenDeltaModel::categoryFilterChanged, this, &ColouringControls::showCategories);
  connect(model_, &QAbstractItemModel::modelReset, this, &ColouringControls::showCategories);
  showSettings();
  showCategories();
}

void ColouringControls::chooseFromBoxes() {
  // Read every box first: each setter refills the boxes (showSettings) through colouringChanged.
  const auto role = static_cast<ModelRole>(whose_->currentData().toInt());
  const int index = whose_->currentData(kModelIndexRole).toInt();
  const auto mode = static_cast<ColourMode>(mode_->currentData().toInt());
  model_->setColourModelIndex(index);
  model_->setColourModel(role);
  model_->setColourMode(mode);
}

void ColouringControls::showSettings() {
  const QSignalBlocker blockMode(mode_), blockWhose(whose_), blockMax(max_);
  const auto& s = model_->colouring();
  mode_->setCurrentIndex(mode_->findData(static_cast<int>(s.mode)));
  // The model names come with the report; the box keeps the roles as data, and for references other than the one Δ
  // is measured against, their index in the report (they have no role).
  whose_->clear();
  whose_->addItem(model_->hybridName(), static_cast<int>(ModelRole::compared));
  whose_->addItem(model_->referenceName(), static_cast<int>(ModelRole::reference));
  for (int i = 0; i < 2; ++i) whose_->setItemData(i, -1, kModelIndexRole);
  int current = s.model == ModelRole::reference ? 1 : 0;
  if (const auto& report = model_->report()) {
    const auto& c = report->comparison;
    for (std::size_t m = 0; m < c.models.size(); ++m) {
      const int chosen = s.model_index;  // a model chosen by index may since have become the reference, or vice versa
      if (m == c.compared_model() || m == c.reference) {
        if (chosen == static_cast<int>(m)) current = m == c.reference ? 1 : 0;
        continue;
      }
      whose_->addItem(QString::fromStdString(c.models[m].name), static_cast<int>(ModelRole::reference));
      whose_->setItemData(whose_->count() - 1, static_cast<int>(m), kModelIndexRole);
      if (chosen == static_cast<int>(m)) current = whose_->count() - 1;
    }
  }
  whose_->setCurrentIndex(current);
  whoseLabel_->setEnabled(perModel(s.mode));
  whose_->setEnabled(perModel(s.mode));
  max_->setEnabled(sequential(s.mode));
  max_->setSuffix(QLatin1Char(' ') + model_->lossUnit());
  max_->setSpecialValueText(sequential(s.mode) && s.sequential_max <= 0
                                ? tr("auto (%1)").arg(model_->effectiveSequentialMax(), 0, 'g', 3)
                                : tr("auto"));
  max_->setValue(s.sequential_max);
}

void ColouringControls::showCategories() {
  const QSignalBlocker block(category_);
  category_->clear();
  category_->addItem(tr("all units"), QString());
  for (const QString& name : model_->categories()) category_->addItem(name, name);
  const QString& filter = model_->categoryFilter();
  // A filter whose category this text lacks stays chosen (every unit dimmed) until it is cleared.
  if (!filter.isEmpty() && category_->findData(filter) < 0) category_->addItem(tr("%1 (none here)").arg(filter), filter);
  category_->setCurrentIndex(std::max(0, category_->findData(filter)));
  clear_->setEnabled(!filter.isEmpty());
}

}  // namespace hl::ui
