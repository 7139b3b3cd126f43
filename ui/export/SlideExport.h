#pragma once
// A slide-ready figure of the token view: title, one line naming the two models with the headline numbers (core's
// headline, core/analysis/report/headline.h, the same text as the window's summary), the Δ legend and the coloured text
// (TokenDeltaView::renderTo), the pinned unit outlined with a numbered callout explaining it, and a caption the user
// types. Exported as PNG (a chosen scale, 2× by default), SVG or PDF (one page of the slide's own size), by the
// file's suffix. The GUI's File → Export slide and `hybridlens --render` (which `hybridlens-cli render` runs) both
// use it.
#include <QSize>
#include <QString>
#include <vector>

#include "core/analysis/report/headline.h"

class QPainter;

namespace hl::ui {

class TokenDeltaView;

struct SlideOptions {
  QString title;        // empty: "<hybrid> vs <reference>"
  QString caption;      // optional, under the text
  int width = 1100;     // text width in logical pixels
  qreal pngScale = 2.0;  // device pixels per logical pixel for PNG
  int callout = -2;     // the unit to outline and explain; -1 none; MainWindow::exportSlide: < -1 = the pinned one
  // The hybrid's gap against the references other than the one coloured, appended to the models line as the
  // window's summary shows them (MainWindow::exportSlide fills it when several are loaded).
  std::vector<analysis::ReferenceGap> otherReferences;
};

class SlideExport {
 public:
  SlideExport(const TokenDeltaView& view, SlideOptions options);

  QSize size() const;  // logical pixels
  void paint(QPainter& painter) const;
  // By suffix: .png, .svg, .pdf. False with *error (one line) on failure, e.g. nothing scored or a PNG too tall.
  bool exportTo(const QString& path, QString* error = nullptr) const;

  QString title() const;
  QString modelsLine() const;
  QString calloutText() const;  // empty without a callout unit

 private:
  int headerHeight() const;
  int footerHeight() const;

  const TokenDeltaView& view_;
  SlideOptions options_;
};

}  // namespace hl::ui
