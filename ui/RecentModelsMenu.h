#pragma once
// Models → Recent: the model sets loaded before, most recent first (RecentModels); choosing one loads it. Folders can
// disappear while the app runs, so the entries are checked again each time the menu opens; a missing one is listed,
// disabled. While persistent (a window that restored the user's settings), every change is saved at once, so a crash
// later in the session does not lose it.
#include <QMenu>
#include <functional>

#include "ui/RecentModels.h"

namespace hl::ui {

class RecentModelsMenu : public QMenu {
  Q_OBJECT
 public:
  using Load = std::function<void(const ModelSet&)>;
  RecentModelsMenu(Load load, QWidget* parent = nullptr);

  const RecentModels& recent() const { return recent_; }
  void setRecent(RecentModels recent);
  void setPersistent(bool persistent) { persistent_ = persistent; }
  // A set that loaded successfully goes first. The built-in demo pair is left out: it has its own action and loads
  // at every start, so it would always push the user's sets down.
  void remember(const ModelSet& set);

 private:
  void rebuild();
  void changed();  // rebuilds and, when persistent, saves

  Load load_;
  RecentModels recent_;
  bool persistent_ = false;
};

}  // namespace hl::ui
