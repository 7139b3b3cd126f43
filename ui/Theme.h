#pragma once
// The application's colour theme: the platform's own (System), or Fusion with a fixed light or dark palette, applied
// to the whole application. Custom-painted views draw their chrome (backgrounds, axes, labels) from the palette and
// repaint on QEvent::PaletteChange; token colours and exports (slides, PNG/SVG/PDF) stay on white in every theme.
#include <QColor>
#include <QString>
#include <optional>

class QPalette;

namespace hl::ui {

enum class Theme { System, Light, Dark };

QString themeKey(Theme theme);  // "system", "light", "dark": the settings value
std::optional<Theme> parseTheme(const QString& key);
QString themeName(Theme theme);  // for the menu

// Sets the application's style and palette. System restores the style and palette the application started with.
void applyTheme(Theme theme);
Theme currentTheme();

// The palette exports are drawn with in every theme: the Light theme's, on white. The token view and the slide paint
// on white themselves; a panel export (ui/export/PanelExport.h) lends this palette to the widget while it renders.
QPalette exportPalette();

// True when the palette's window background is dark (a dark theme, whichever set it).
bool isDark(const QPalette& palette);
// Text for errors that stays readable on the palette's window background.
QColor errorTextColour(const QPalette& palette);

}  // namespace hl::ui
