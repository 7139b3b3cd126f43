#include "ui/FirstRunGeometry.h"

#include <QGuiApplication>
#include <QScreen>
#include <QWidget>

namespace hl::ui {

void placeForFirstRun(QWidget& window) {
  const QScreen* screen = window.screen() ? window.screen() : QGuiApplication::primaryScreen();
  if (!screen) return;
  const QRect available = screen->availableGeometry();
  QRect frame(QPoint(), (QSizeF(available.size()) * kScreenShare).toSize());
  frame.moveCenter(available.center());
  window.setGeometry(frame);
}

}  // namespace hl::ui
