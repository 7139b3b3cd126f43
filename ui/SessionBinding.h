#pragma once
// What of the window outlives it: a .hlens session (core/session: model folders, the active reference, device, text,
// colouring, pinned unit, dock layout) and the user's preferences in QSettings (geometry and dock layout, colour
// range, theme, recent model sets). An opened session's pinned unit and active reference exist only once its models
// are loaded and its text scored, so the binding holds them until then.
#include <QObject>
#include <QString>

namespace hl::ui {

class MainWindow;

class SessionBinding : public QObject {
  Q_OBJECT
 public:
  // Construct it after the window's own connections to the controller: it applies a pending pin after the window
  // has shown the new report.
  explicit SessionBinding(MainWindow& window);

  bool save(const QString& path, QString* error = nullptr) const;
  bool open(const QString& path, QString* error = nullptr);  // a file that cannot be read changes nothing

  void restoreSettings();  // and keep them from now on: recent sets at once, the rest at saveSettings()
  void saveSettings() const;
  bool remembersSettings() const { return remembersSettings_; }

 private:
  void applyPendingPin();

  MainWindow& window_;
  int pendingPin_ = -1;
  int pendingActiveReference_ = -1;
  bool remembersSettings_ = false;
};

}  // namespace hl::ui
