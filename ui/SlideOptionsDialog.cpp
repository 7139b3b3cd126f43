#include "ui/SlideOptionsDialog.h"

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>

namespace hl::ui {

std::optional<SlideRequest> askForSlide(QWidget* parent, const QString& defaultTitle) {
  QDialog dialog(parent);
  dialog.setWindowTitle(QDialog::tr("Export slide"));
  auto* form = new QFormLayout(&dialog);
  auto* title = new QLineEdit(&dialog);
  title->setPlaceholderText(defaultTitle);
  auto* caption = new QPlainTextEdit(&dialog);
  caption->setPlaceholderText(QDialog::tr("Optional caption under the text"));
  caption->setMaximumHeight(80);
  const SlideOptions defaults;
  auto* width = new QSpinBox(&dialog);
  width->setRange(320, 4000);
  width->setValue(defaults.width);
  width->setSuffix(QDialog::tr(" px"));
  auto* scale = new QDoubleSpinBox(&dialog);
  scale->setRange(1.0, 4.0);
  scale->setValue(defaults.pngScale);
  scale->setSuffix(QStringLiteral("×"));
  auto* format = new QComboBox(&dialog);
  format->addItems({QStringLiteral("png"), QStringLiteral("svg"), QStringLiteral("pdf")});
  form->addRow(QDialog::tr("Title"), title);
  form->addRow(QDialog::tr("Caption"), caption);
  form->addRow(QDialog::tr("Text width"), width);
  form->addRow(QDialog::tr("PNG scale"), scale);
  form->addRow(QDialog::tr("Format"), format);
  form->addRow(new QLabel(QDialog::tr("The pinned unit, if any, is outlined and explained under the text."), &dialog));
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
  form->addRow(buttons);
  QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
  QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
  if (dialog.exec() != QDialog::Accepted) return std::nullopt;
  SlideRequest request{defaults, format->currentText()};
  request.options.title = title->text();
  request.options.caption = caption->toPlainText();
  request.options.width = width->value();
  request.options.pngScale = scale->value();
  return request;
}

}  // namespace hl::ui
