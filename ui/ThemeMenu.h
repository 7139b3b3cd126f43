#pragma once
// View → Theme: one checkable entry per theme (ui/Theme.h), the current one checked; choosing one applies it to the
// whole application.
#include <QMenu>

#include "ui/Theme.h"

namespace hl::ui {

class ThemeMenu : public QMenu {
  Q_OBJECT
 public:
  explicit ThemeMenu(QWidget* parent = nullptr);

  void setTheme(Theme theme);  // applies it and checks its entry
};

}  // namespace hl::ui
