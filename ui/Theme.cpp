#include "ui/Theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>
#include <memory>

namespace hl::ui {

namespace {

// What System goes back to: the style and palette in effect before the first switch.
struct StartupLook {
  QString style;
  QPalette palette;
};

StartupLook& startupLook() {
  static StartupLook look{QApplication::style()->name(), QApplication::palette()};
  return look;
}

Theme& themeInEffect() {
  static Theme theme = Theme::System;
  return theme;
}

QPalette darkPalette() {
  QPalette p;
  const QColor window(45, 45, 48), base(30, 30, 32), text(230, 230, 230), disabled(125, 125, 125);
  p.setColor(QPalette::Window, window);
  p.setColor(QPalette::WindowText, text);
  p.setColor(QPalette::Base, base);
  p.setColor(QPalette::AlternateBase, QColor(40, 40, 43));
  p.setColor(QPalette::ToolTipBase, QColor(60, 60, 64));
  p.setColor(QPalette::ToolTipText, text);
  p.setColor(QPalette::PlaceholderText, QColor(150, 150, 150));
  p.setColor(QPalette::Text, text);
  p.setColor(QPalette::Button, window);
  p.setColor(QPalette::ButtonText, text);
  p.setColor(QPalette::BrightText, QColor(255, 80, 80));
  p.setColor(QPalette::Light, QColor(70, 70, 74));
  p.setColor(QPalette::Midlight, QColor(58, 58, 62));
  p.setColor(QPalette::Mid, QColor(90, 90, 94));
  p.setColor(QPalette::Dark, QColor(25, 25, 27));
  p.setColor(QPalette::Shadow, QColor(10, 10, 10));
  p.setColor(QPalette::Highlight, QColor(42, 130, 218));
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::Link, QColor(100, 170, 240));
  p.setColor(QPalette::LinkVisited, QColor(170, 140, 230));
  for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText, QPalette::HighlightedText})
    p.setColor(QPalette::Disabled, role, disabled);
  p.setColor(QPalette::Disabled, QPalette::Base, window);
  return p;
}

// The Light theme's palette: Fusion's own, whichever style is in effect.
QPalette lightPalette() {
  const std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
  return fusion->standardPalette();
}

}  // namespace

QString themeKey(Theme theme) {
  switch (theme) {
    case Theme::Light: return QStringLiteral("light");
    case Theme::Dark: return QStringLiteral("dark");
    case Theme::System: break;
  }
  return QStringLiteral("system");
}

std::optional<Theme> parseTheme(const QString& key) {
  for (Theme t : {Theme::System, Theme::Light, Theme::Dark})
    if (key == themeKey(t)) return t;
  return std::nullopt;
}

QString themeName(Theme theme) {
  switch (theme) {
    case Theme::Light: return QApplication::translate("Theme", "&Light");
    case Theme::Dark: return QApplication::translate("Theme", "&Dark");
    case Theme::System: break;
  }
  return QApplication::translate("Theme", "&System");
}

void applyTheme(Theme theme) {
  const StartupLook& look = startupLook();  // captured before the first change
  themeInEffect() = theme;
  if (theme == Theme::System) {
    QApplication::setStyle(QStyleFactory::create(look.style));
    QApplication::setPalette(look.palette);
    return;
  }
  // Fusion draws every control from the palette, so a fixed palette looks the same on every platform.
  QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
  QApplication::setPalette(theme == Theme::Dark ? darkPalette() : lightPalette());
}

Theme currentTheme() { return themeInEffect(); }

QPalette exportPalette() {
  QPalette p = lightPalette();
  // Paper white rather than Fusion's light grey window, so a panel's figure matches the token view's and slides'.
  for (auto role : {QPalette::Window, QPalette::Base, QPalette::Button}) p.setColor(role, Qt::white);
  return p;
}

bool isDark(const QPalette& palette) { return palette.color(QPalette::Window).lightness() < 128; }

QColor errorTextColour(const QPalette& palette) { return isDark(palette) ? QColor(255, 120, 120) : QColor(176, 0, 32); }

}  // namespace hl::ui
