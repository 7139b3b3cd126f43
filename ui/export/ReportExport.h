#pragma once
// File → Export report: core's report writers (core/analysis/report/report.h) by the file's suffix: .json, .csv, .html.
#include <QString>

namespace hl::analysis {
struct Report;
}

namespace hl::ui {

// False with *error (one line) for no report yet (null), another suffix, a writer's error or a file that cannot be
// written.
bool exportReport(const analysis::Report* report, const QString& path, QString* error = nullptr);

}  // namespace hl::ui
