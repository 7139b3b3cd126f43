#pragma once
// File menu's exports: the token view (PNG 2×, SVG, PDF), the slide (its options first, SlideOptionsDialog), each
// panel in the three formats, and the report (JSON, CSV, HTML). Each asks for its file and reports through
// saveWithDialog (ui/FileActions.h) and writes with the window's export function of the same name.
class QMenu;

namespace hl::ui {

class MainWindow;

void addExportMenus(QMenu* file, MainWindow& window);

}  // namespace hl::ui
