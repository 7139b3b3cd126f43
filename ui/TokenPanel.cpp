#include "ui/TokenPanel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "ui/HeadlineSummary.h"
#include "ui/models/TokenDeltaModel.h"
#include "ui/views/ColouringControls.h"
#include "ui/views/DeltaLegend.h"
#include "ui/views/TokenDeltaView.h"

namespace hl::ui {

TokenPanel::TokenPanel(TokenDeltaModel* units, QWidget* parent) : QWidget(parent) {
  auto* column = new QVBoxLayout(this);
  column->setContentsMargins(0, 0, 0, 0);
  column->setSpacing(2);
  // On top: what the colours show, then the range and the legend explaining them.
  column->addWidget(new ColouringControls(units, this));

  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(6, 2, 6, 0);
  referenceBox_ = new QComboBox(this);
  referenceBox_->setObjectName(QStringLiteral("activeReference"));
  referenceBox_->setToolTip(tr("The reference Δ = NLL(reference) − NLL(hybrid) is measured against; every view and "
                               "export follows it"));
  auto* referenceLabel = new QLabel(tr("Δ against"), this);
  referenceLabel->setBuddy(referenceBox_);
  referenceLabel_ = referenceLabel;
  bar->addWidget(referenceLabel_);
  bar->addWidget(referenceBox_);
  setReferences({}, 0);
  range_ = new QDoubleSpinBox(this);
  range_->setObjectName(QStringLiteral("colourRange"));
  range_->setRange(0.1, 20.0);
  range_->setSingleStep(0.25);
  range_->setDecimals(2);
  range_->setPrefix(QStringLiteral("± "));
  range_->setValue(units->colourLimit());
  range_->setToolTip(tr("|Δ| at which the colour saturates"));
  bar->addWidget(new QLabel(tr("Colour range"), this));
  bar->addWidget(range_);
  auto* legend = new DeltaLegend(this);
  legend->follow(units);
  bar->addWidget(legend, 1);
  column->addLayout(bar);
  // The range matters only while the colours are Δ's.
  connect(units, &TokenDeltaModel::colouringChanged, range_,
          [this, units] { range_->setEnabled(units->colouring().mode == analysis::ColourMode::delta); });

  summary_ = new HeadlineSummary(this);
  column->addWidget(summary_);
  view_ = new TokenDeltaView(this);
  view_->setModel(units);
  column->addWidget(view_, 1);
}

void TokenPanel::setReferences(const QStringList& names, int active) {
  referenceBox_->clear();
  referenceBox_->addItems(names);
  referenceBox_->setCurrentIndex(active);
  referenceBox_->setVisible(names.size() > 1);
  referenceLabel_->setVisible(names.size() > 1);
}

}  // namespace hl::ui
