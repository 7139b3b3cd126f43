#pragma once
// The window's docks, created and laid out: Models above Units on the left; Categories (tabbed with Layers) above
// Pinned unit on the right, both columns the window's full height; State norms under the centre, with Side
// by side tabbed beside it and closed at first. The docks start at fixed shares of the window, narrow and low enough
// that the token view is its largest part. The layer stack and the
// state norms select a layer for each other (the hybrid's column); everything else the window wires.
#include <QList>

class QDockWidget;
class QMainWindow;
class QMenu;
class QTextBrowser;
class QWidget;

namespace hl::ui {

class CategoryChart;
class LayersPanel;
class ModelPanel;
class SideBySideView;
class StateNormView;
class TokenDeltaModel;
class UnitTable;

class WindowDocks {
 public:
  WindowDocks(QMainWindow& window, TokenDeltaModel* units);

  ModelPanel* models() const { return models_; }
  CategoryChart* chart() const { return chart_; }
  QTextBrowser* details() const { return details_; }
  UnitTable* table() const { return table_; }
  LayersPanel* layers() const { return layers_; }
  StateNormView* stateNorms() const { return stateNorms_; }
  SideBySideView* sideBySide() const { return sideBySide_; }

  // Each dock's show/hide action, in the order above.
  void addToggleActions(QMenu* menu) const;
  // Opens and raises the dock holding `content` and lays it out now, since a closed or hidden tab has nothing laid
  // out (for exporting a panel as it is shown).
  static void bringToFront(QWidget* content);

 private:
  QDockWidget* addDock(const char* name, const QString& title, QWidget* content);

  QMainWindow& window_;
  QList<QDockWidget*> docks_;
  ModelPanel* models_ = nullptr;
  CategoryChart* chart_ = nullptr;
  QTextBrowser* details_ = nullptr;
  UnitTable* table_ = nullptr;
  LayersPanel* layers_ = nullptr;
  StateNormView* stateNorms_ = nullptr;
  SideBySideView* sideBySide_ = nullptr;
};

}  // namespace hl::ui
