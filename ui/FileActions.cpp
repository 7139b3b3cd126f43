#include "ui/FileActions.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMainWindow>
#include <QMessageBox>
#include <QStatusBar>

namespace hl::ui {

void showError(QMainWindow& window, const QString& message) {
  window.statusBar()->showMessage(message, 8000);
  QMessageBox::warning(&window, QObject::tr("HybridLens"), message);
}

void saveWithDialog(QMainWindow& window, const QString& title, const QString& fileName, const FileAction& save) {
  const QString suffix = QFileInfo(fileName).suffix();
  QString path = QFileDialog::getSaveFileName(&window, title, fileName, QStringLiteral("*.%1").arg(suffix));
  if (path.isEmpty()) return;
  if (QFileInfo(path).suffix().isEmpty()) path += QLatin1Char('.') + suffix;
  QString error;
  if (!save(path, &error)) showError(window, error);
  else window.statusBar()->showMessage(QObject::tr("Wrote %1").arg(path), 5000);
}

void openWithDialog(QMainWindow& window, const QString& title, const QString& filter, const FileAction& open) {
  const QString path = QFileDialog::getOpenFileName(&window, title, QString(), filter);
  if (path.isEmpty()) return;
  QString error;
  if (!open(path, &error)) showError(window, error);
}

}  // namespace hl::ui
