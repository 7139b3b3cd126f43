#include "ui/export/ReportExport.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <exception>
#include <optional>
#include <string>

#include "core/analysis/report/report.h"

namespace hl::ui {

bool exportReport(const analysis::Report* report, const QString& path, QString* error) {
  if (!report) {
    if (error) *error = QCoreApplication::translate("ReportExport", "nothing to export yet: load models and score a text first");
    return false;
  }
  std::optional<std::string> bytes;
  try {
    bytes = analysis::to_format(*report, QFileInfo(path).suffix().toLower().toStdString());
  } catch (const std::exception& e) {
    if (error) *error = QString::fromUtf8(e.what()).simplified();
    return false;
  }
  if (!bytes) {
    if (error)
      *error = QCoreApplication::translate("ReportExport", "%1: the report exports as .json, .csv or .html").arg(path);
    return false;
  }
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
      f.write(bytes->data(), static_cast<qint64>(bytes->size())) != static_cast<qint64>(bytes->size())) {
    if (error) *error = QStringLiteral("%1: %2").arg(path, f.errorString());
    return false;
  }
  return true;
}

}  // namespace hl::ui
