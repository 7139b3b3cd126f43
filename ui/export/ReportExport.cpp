#include "ui/export/ReportExport.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <exception>
#include <string>

#include "core/analysis/report.h"

namespace hl::ui {

bool exportReport(const analysis::Report* report, const QString& path, QString* error) {
  if (!report) {
    if (error) *error = QCoreApplication::translate("ReportExport", "nothing to export yet: load models and score a text first");
    return false;
  }
  const QString suffix = QFileInfo(path).suffix().toLower();
  std::string bytes;
  try {
    if (suffix == QLatin1String("json")) bytes = analysis::to_json(*report);
    else if (suffix == QLatin1String("csv")) bytes = analysis::to_csv(*report);
    else if (suffix == QLatin1String("html") || suffix == QLatin1String("htm")) bytes = analysis::to_html(*report);
    else {
      if (error) *error = QCoreApplication::translate("ReportExport", "%1: the report exports as .json, .csv or .html").arg(path);
      return false;
    }
  } catch (const std::exception& e) {
    if (error) *error = QString::fromUtf8(e.what()).simplified();
    return false;
  }
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
      f.write(bytes.data(), static_cast<qint64>(bytes.size())) != static_cast<qint64>(bytes.size())) {
    if (error) *error = QStringLiteral("%1: %2").arg(path, f.errorString());
    return false;
  }
  return true;
}

}  // namespace hl::ui
