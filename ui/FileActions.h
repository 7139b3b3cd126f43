#pragma once
// A file action the user starts from a menu: ask for the file, do it, say how it went (a status-bar message on
// success, the error in the status bar and a message box on failure). Every open and save of the window goes
// through these, so they all ask and report the same way.
#include <QString>
#include <functional>

class QMainWindow;

namespace hl::ui {

// path → success; on failure *error is set (one line).
using FileAction = std::function<bool(const QString& path, QString* error)>;

void showError(QMainWindow& window, const QString& message);

// Suggests `fileName` and offers only its suffix; a path typed without a suffix gets it. Reports "Wrote <path>".
void saveWithDialog(QMainWindow& window, const QString& title, const QString& fileName, const FileAction& save);
// `filter` as QFileDialog takes it. Reports only failures: what was opened shows itself.
void openWithDialog(QMainWindow& window, const QString& title, const QString& filter, const FileAction& open);

}  // namespace hl::ui
