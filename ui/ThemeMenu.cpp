#include "ui/ThemeMenu.h"

#include <QActionGroup>

namespace hl::ui {

ThemeMenu::ThemeMenu(QWidget* parent) : QMenu(tr("&Theme"), parent) {
  setObjectName(QStringLiteral("themeMenu"));
  auto* group = new QActionGroup(this);
  for (Theme theme : {Theme::System, Theme::Light, Theme::Dark}) {
    QAction* action = addAction(themeName(theme), this, [this, theme] { setTheme(theme); });
    action->setObjectName(QStringLiteral("theme_%1").arg(themeKey(theme)));
    action->setCheckable(true);
    action->setChecked(theme == currentTheme());
    action->setData(static_cast<int>(theme));
    group->addAction(action);
  }
}

void ThemeMenu::setTheme(Theme theme) {
  if (theme != currentTheme()) applyTheme(theme);
  for (QAction* action : actions()) action->setChecked(action->data().toInt() == static_cast<int>(theme));
}

}  // namespace hl::ui
